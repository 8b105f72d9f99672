/**
 * Linking without a connector session (Logto v1.41.0; the same in v1.37.1). Both pass an empty jti
 * and @logto/cli's `notImplemented` as setSession and getSession ("only works for connectors not
 * relying on session storage"):
 * - an admin: packages/core/src/routes/connector/authorization-uri.ts
 *   (`POST /api/connectors/:connectorId/authorization-uri`), then
 *   packages/core/src/routes/admin-user/social.ts (`POST /api/users/:userId/identities`);
 * - a signed-in user: packages/core/src/routes-me/social.ts (`/me/social/authorization-uri`,
 *   `/me/social/link-identity`).
 */
import { notImplemented } from '@logto/cli/lib/connector/consts.js';

import { assertThat } from './request-error.js';
import type { LogtoConnector } from './social-library.js';

export const authorizationUriWithoutSession = async (
  { id, connector }: LogtoConnector,
  { state, redirectUri }: { state: string; redirectUri: string },
  userAgent: string | undefined,
): Promise<string> => {
  assertThat(state && redirectUri, 'session.insufficient_info');
  return connector.getAuthorizationUri(
    {
      state,
      redirectUri,
      connectorId: id,
      connectorFactoryId: connector.metadata.id,
      jti: '',
      headers: { userAgent },
    },
    notImplemented,
  );
};

/** The link call: getUserInfo with the connectorData the caller sent (no token storage here). */
export const userInfoWithoutSession = async (
  { connector }: LogtoConnector,
  connectorData: Record<string, unknown>,
) => connector.getUserInfo(connectorData, notImplemented);
