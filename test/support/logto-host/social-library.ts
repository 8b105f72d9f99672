/**
 * Core's social library, packages/core/src/libraries/social.ts (v1.41.0; the same in v1.37.1), and
 * what core keeps of a token set (packages/core/src/utils/secret-encryption.ts
 * `encryptTokenResponse`; the model keeps it in plain text, without the encryption).
 */
import type { GetSession, SocialConnector, TokenResponse } from '@logto/connector-kit';

import { assertThat } from './request-error.js';

/** A connector as core's `getLogtoConnectorById` gives it: the connector and its database row. */
export type LogtoConnector = {
  /** The connector's id in Logto (its row), the last part of its callback URIs. */
  id: string;
  connector: SocialConnector;
  /** `dbEntry.enableTokenStorage`: the Console's "Store tokens for persistent API access". */
  enableTokenStorage: boolean;
};

/** The connector method `getUserInfoWithOptionalTokenResponse` calls. */
export const userInfoMethod = ({ connector, enableTokenStorage }: LogtoConnector) =>
  enableTokenStorage &&
  connector.metadata.isTokenStorageSupported &&
  connector.getTokenResponseAndUserInfo
    ? 'getTokenResponseAndUserInfo'
    : 'getUserInfo';

/**
 * `getUserInfoWithOptionalTokenResponse`: with token storage on and supported,
 * getTokenResponseAndUserInfo, and a token set without access_token is dropped ("Only store the
 * token response if it contains an access token"); otherwise getUserInfo.
 */
export const getUserInfoWithOptionalTokenResponse = async (
  logtoConnector: LogtoConnector,
  data: unknown,
  getConnectorSession: GetSession,
) => {
  const {
    enableTokenStorage,
    connector: {
      metadata: { isTokenStorageSupported },
      getUserInfo,
      getTokenResponseAndUserInfo,
    },
  } = logtoConnector;
  if (enableTokenStorage && isTokenStorageSupported && getTokenResponseAndUserInfo) {
    const { userInfo, tokenResponse } = await getTokenResponseAndUserInfo(
      data,
      getConnectorSession,
    );
    return { userInfo, tokenResponse: tokenResponse?.access_token ? tokenResponse : undefined };
  }
  return { userInfo: await getUserInfo(data, getConnectorSession), tokenResponse: undefined };
};

/** The token set as core stores it: the tokens (encrypted there) and their metadata. */
export type StoredTokenSet = {
  tokens: { access_token: string; id_token?: string; refresh_token?: string };
  metadata: { hasRefreshToken: boolean; scope?: string; tokenType?: string; expiresAt?: number };
};

/** `encryptTokenResponse`, given a response with an access token; `expiresAt` in seconds. */
export const storedTokenSet = (
  { access_token, id_token, refresh_token, scope, token_type, expires_in }: TokenResponse,
  requestedAt = Math.floor(Date.now() / 1000),
): StoredTokenSet | undefined => {
  if (!access_token) {
    return undefined;
  }
  // "Some providers like Azure may return expires_in as a string."
  const expiresIn = typeof expires_in === 'string' ? Number.parseInt(expires_in, 10) : expires_in;
  const expiresAt = expiresIn === undefined ? undefined : requestedAt + expiresIn;
  return {
    tokens: {
      access_token,
      ...(id_token && { id_token }),
      ...(refresh_token && { refresh_token }),
    },
    metadata: {
      hasRefreshToken: Boolean(refresh_token),
      ...(scope && { scope }),
      ...(token_type && { tokenType: token_type }),
      ...(expiresAt && { expiresAt }),
    },
  };
};

/**
 * `refreshTokenSetSecret`, as the Account API calls it once a stored access token expired
 * (packages/core/src/routes/account/third-party-tokens.ts): no session; an answer without
 * access_token is an invalid response; the old refresh token is kept unless a new one comes.
 * Returns the token response core then stores.
 */
export const refreshTokenSetSecret = async (
  { connector, enableTokenStorage }: LogtoConnector,
  refreshToken: string,
): Promise<TokenResponse> => {
  const { getAccessTokenByRefreshToken } = connector;
  assertThat(
    connector.metadata.isTokenStorageSupported &&
      enableTokenStorage &&
      getAccessTokenByRefreshToken,
    'connector.token_storage_not_supported',
    422,
  );
  const tokenResponse = await getAccessTokenByRefreshToken(refreshToken);
  assertThat(tokenResponse.access_token, 'connector.invalid_response');
  return { refresh_token: refreshToken, ...tokenResponse };
};
