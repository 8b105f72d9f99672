/** The scopes an authorization asks for, checked against Xiaomi's list and the app's grants. */
import { scopeDescriptions, type SimulatorApp } from './data.js';

export type ScopeResult = { ok: true; scopes: string[] } | { ok: false; description: string };

/** No scope (or an empty one) asks for all the app's scopes. */
export const parseScopes = (raw: string | undefined, app: SimulatorApp): ScopeResult => {
  const requested = (raw ?? '').split(/\s+/).filter(Boolean);
  if (requested.length === 0) {
    return { ok: true, scopes: [...app.allowedScopes] };
  }
  const scopes = [...new Set(requested)];
  for (const scope of scopes) {
    if (!/^\d+$/.test(scope) || !(scope in scopeDescriptions)) {
      return { ok: false, description: `unknown scope: ${scope}` };
    }
    if (!app.allowedScopes.includes(scope)) {
      return { ok: false, description: `scope ${scope} is not granted to this app` };
    }
  }
  return { ok: true, scopes };
};
