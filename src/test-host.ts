/**
 * Logto's side of a connector call, replayed for tests: each function does what the named Logto
 * file (logto-io/logto, v1.37.1; the same from 1.20 to 1.42) does before and after it calls the
 * connector. Only what reaches the connector is kept; routing, audit logs and the database are not.
 */
import {
  connectorSessionGuard,
  type ConnectorSession,
  type SocialConnector,
  type TokenResponse,
} from '@logto/connector-kit';

import { replayCallback, storeState, type StateStorage } from '../playground/sign-in-page.js';

/**
 * The sign-in page's callback page (packages/experience/src/pages/SocialSignInWebCallback/
 * use-social-sign-in-listener.ts), with the state the page kept in sessionStorage: the playground's
 * replay of it, so tests and the playground follow one reading of Logto's page.
 */
export const experienceCallbackPage = (
  callbackUrl: string,
  { connectorId, storedState }: { connectorId: string; storedState: string },
): { connectorData: Record<string, unknown> } | { refused: string } => {
  const url = new URL(callbackUrl);
  const storage: StateStorage = new Map();
  storeState(storage, storedState, connectorId);
  const replay = replayCallback(url.searchParams, {
    origin: url.origin,
    connectorId,
    storage,
    apiClient: false,
  });
  return replay.ok ? { connectorData: replay.connectorData } : { refused: replay.code };
};

/** What core throws where a connector session is missing (a RequestError, not a ConnectorError). */
class HostRequestError extends Error {
  constructor(public readonly code: string) {
    super(code);
  }
}

/**
 * The OIDC interaction's connector session, packages/core/src/routes/interaction/utils/
 * social-verification.ts: `assignConnectorSessionResult` stores it; `getConnectorSessionResult`
 * throws when there is none and removes it once read (one verify per authorization).
 */
export const interactionSessionStore = () => {
  let stored: ConnectorSession | undefined;
  return {
    setSession: async (session: ConnectorSession) => {
      stored = session;
    },
    getSession: async (): Promise<ConnectorSession> => {
      const parsed = connectorSessionGuard.safeParse(stored);
      if (stored === undefined || !parsed.success) {
        throw new HostRequestError('session.connector_validation_session_not_found');
      }
      stored = undefined;
      return parsed.data;
    },
  };
};

/**
 * The verification record's connector session, packages/core/src/routes/experience/classes/
 * verifications/social-verification.ts (`createSocialAuthorizationSession` and `verify` with
 * 'verificationRecord', used by the Account API's `POST /api/verifications/social[/verify]`): it
 * starts as `{}`, is replaced by setSession and is not removed when read.
 */
export const verificationRecordSessionStore = () => {
  let connectorSession: ConnectorSession = {};
  return {
    setSession: async (session: ConnectorSession) => {
      connectorSession = session;
    },
    getSession: async () => connectorSession,
  };
};

/** packages/core/src/routes/interaction/utils/social-verification.ts `createSocialAuthorizationUrl`. */
export const authorizationPayload = (
  connectorId: string,
  {
    state,
    redirectUri,
    jti = 'interaction-jti',
  }: { state: string; redirectUri: string; jti?: string },
) => ({
  state,
  redirectUri,
  scope: undefined,
  connectorId,
  connectorFactoryId: 'xiaomi-universal',
  jti,
  headers: { userAgent: 'Mozilla/5.0 (replayed)' },
});

/**
 * packages/core/src/libraries/social.ts `getUserInfoWithOptionalTokenResponse`: with token storage
 * enabled and supported, getTokenResponseAndUserInfo; a token set without access_token is dropped.
 */
export const getUserInfoWithOptionalTokenResponse = async (
  connector: SocialConnector,
  data: unknown,
  getSession: () => Promise<ConnectorSession>,
  enableTokenStorage: boolean,
) => {
  const { getTokenResponseAndUserInfo } = connector;
  if (
    enableTokenStorage &&
    connector.metadata.isTokenStorageSupported &&
    getTokenResponseAndUserInfo
  ) {
    const { userInfo, tokenResponse } = await getTokenResponseAndUserInfo(data, getSession);
    return { userInfo, tokenResponse: tokenResponse?.access_token ? tokenResponse : undefined };
  }
  return { userInfo: await connector.getUserInfo(data, getSession), tokenResponse: undefined };
};

/**
 * packages/core/src/libraries/social.ts `refreshTokenSetSecret` (called by the Account API's
 * routes/account/third-party-tokens.ts once the stored access token expired): no session; the old
 * refresh token is kept unless the answer carries a new one.
 */
export const refreshTokenSetSecret = async (
  connector: SocialConnector,
  refreshToken: string,
): Promise<TokenResponse> => {
  if (!connector.getAccessTokenByRefreshToken) {
    throw new HostRequestError('connector.token_storage_not_supported');
  }
  const tokenResponse = await connector.getAccessTokenByRefreshToken(refreshToken);
  if (!tokenResponse.access_token) {
    throw new HostRequestError('connector.invalid_response');
  }
  return { refresh_token: refreshToken, ...tokenResponse };
};
