import {
  ConnectorErrorCodes,
  type GetAuthorizationUri,
  type SetSession,
} from '@logto/connector-kit';

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

/**
 * Stores what the callback is checked against. Logto's routes without a session store (the
 * Management API's `POST /connectors/:id/authorization-uri`, `/me/social/authorization-uri`)
 * pass a setSession that throws NotImplemented: the authorization URL is still built.
 */
const keepSession = async (setSession: SetSession, session: XiaomiSession) => {
  try {
    await setSession(session);
  } catch (error: unknown) {
    // Checked by code, not instanceof: the thrower's kit copy may differ from this one.
    const code = error instanceof Error && 'code' in error ? error.code : undefined;
    if (code !== ConnectorErrorCodes.NotImplemented) {
      throw error;
    }
  }
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
    // Always sent: Xiaomi's current (HyperOS) documents make `true` the default, so "off" must be said.
    skip_confirm: String(config.skipConfirm ?? false),
  });
  await keepSession(setSession, { state, redirectUri });
  return `${authorizeEndpoint}?${query.toString()}`;
};
