import type { GetAuthorizationUri, SetSession } from '@logto/connector-kit';

import { fail } from './errors.js';
import { parseScopes, withProfileScope } from './scope.js';
import type { XiaomiConfig, XiaomiSession } from './types.js';

type AuthorizationRequest = Parameters<GetAuthorizationUri>[0];

/** The scope of one sign-in: Logto's per-request scope, else the configured one, else 1. */
export const requestedScope = (config: XiaomiConfig, perRequestScope?: string): string => {
  if (perRequestScope?.trim()) {
    const scopes = parseScopes(perRequestScope);
    return scopes ? withProfileScope(scopes) : fail({ kind: 'invalid-scope-request' });
  }
  return withProfileScope(parseScopes(config.scope) ?? []);
};

export const buildAuthorizationUri = async (
  authorizeEndpoint: string,
  config: XiaomiConfig,
  { state, redirectUri, scope }: AuthorizationRequest,
  setSession: SetSession,
): Promise<string> => {
  const scopeToRequest = requestedScope(config, scope);
  const query = new URLSearchParams({
    client_id: config.clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    state,
    scope: scopeToRequest,
  });
  if (config.skipConfirm) {
    query.set('skip_confirm', 'true');
  }
  const session: XiaomiSession = { state, redirectUri };
  await setSession(session);
  return `${authorizeEndpoint}?${query.toString()}`;
};
