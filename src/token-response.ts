import type { TokenResponse } from '@logto/connector-kit';

import type { XiaomiApp } from './mobile-apps.js';
import { wrapMobileRefreshToken } from './mobile-refresh-token.js';
import type { XiaomiTokenSet } from './types.js';

/** The app a token set was issued to, and the redirect URI it was issued with. */
export type IssuedTo = { app: XiaomiApp; redirectUri: string };

/**
 * The token set Logto stores: only what it documents, no mac key. A mobile app's refresh token
 * names its app and redirect URI, which a later refresh needs and Logto does not keep.
 */
export const toTokenResponse = (
  tokens: XiaomiTokenSet,
  { app, redirectUri }: IssuedTo,
): TokenResponse => {
  const refreshToken =
    tokens.refresh_token !== undefined && app.kind === 'mobile'
      ? wrapMobileRefreshToken({
          appId: app.clientId,
          redirectUri,
          refreshToken: tokens.refresh_token,
        })
      : tokens.refresh_token;
  return {
    access_token: tokens.access_token,
    ...(refreshToken !== undefined && { refresh_token: refreshToken }),
    ...(tokens.expires_in !== undefined && { expires_in: tokens.expires_in }),
    ...(tokens.scope !== undefined && { scope: tokens.scope }),
    ...(tokens.token_type !== undefined && { token_type: tokens.token_type }),
  };
};
