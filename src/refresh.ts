/**
 * `getAccessTokenByRefreshToken`: Logto hands over the stored refresh token and nothing else
 * (core's libraries/social.ts `refreshTokenSetSecret`). A web app's token is refreshed with the
 * web app and the configured redirect URI, as before; a mobile app's names its app and redirect
 * URI, and is refreshed with exactly that app or not at all.
 */
import type { TokenResponse } from '@logto/connector-kit';

import type { LoadedConfig } from './config.js';
import { fail } from './errors.js';
import { configuredSecrets, mobileApp, webApp } from './mobile-apps.js';
import { readStoredRefreshToken } from './mobile-refresh-token.js';
import { shareRefresh } from './shared-refresh.js';
import { toTokenResponse, type IssuedTo } from './token-response.js';
import type { createXiaomiApi } from './xiaomi-api.js';

type Refresh = { issuedTo: IssuedTo; refreshToken: string };

/** The app, redirect URI and Xiaomi refresh token of a stored refresh token; fails before Xiaomi. */
const refreshOf = (config: LoadedConfig, stored: string): Refresh => {
  const token = readStoredRefreshToken(stored);
  switch (token.kind) {
    case 'web': {
      if (!config.redirectUri) {
        return fail({ kind: 'refresh-needs-redirect-uri' });
      }
      if (!token.refreshToken.trim()) {
        return fail({ kind: 'missing-refresh-token' });
      }
      return {
        issuedTo: { app: webApp(config), redirectUri: config.redirectUri },
        refreshToken: token.refreshToken,
      };
    }
    case 'mobile': {
      // Another app's credentials would spend the single-use token for nothing.
      const app =
        mobileApp(config, token.appId) ??
        fail({ kind: 'refresh-app-not-configured', appId: token.appId });
      return {
        issuedTo: { app, redirectUri: token.redirectUri },
        refreshToken: token.refreshToken,
      };
    }
    case 'malformed': {
      return fail({ kind: 'malformed-stored-refresh-token' });
    }
  }
};

export const refreshTokens = async (
  api: ReturnType<typeof createXiaomiApi>,
  tokenEndpoint: string,
  config: LoadedConfig,
  stored: string,
): Promise<TokenResponse> => {
  const { issuedTo, refreshToken } = refreshOf(config, stored);
  const { app, redirectUri } = issuedTo;
  const tokens = await shareRefresh(
    [tokenEndpoint, app.clientId, redirectUri, refreshToken],
    async () =>
      api.refresh(app, { refreshToken, redirectUri }, [...configuredSecrets(config), stored]),
  );
  return toTokenResponse(tokens, issuedTo);
};
