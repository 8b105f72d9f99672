/**
 * The refresh token Logto stores for a sign-in through a mobile app. Logto refreshes with nothing
 * but the stored refresh token (core's libraries/social.ts `refreshTokenSetSecret`), and Xiaomi
 * refreshes only with the issuing app's App ID, App Secret and redirect URI: so the token names
 * its app and redirect URI. The web app's tokens stay Xiaomi's own, as before.
 *
 * Format: `xiaomi-mobile:v1:{App ID}:{redirect URI, percent-encoded}:{Xiaomi's refresh token}`.
 * No App Secret is ever in it: the secret stays in the config.
 */

const prefix = 'xiaomi-mobile:v1:';

export type MobileRefreshToken = {
  /** The mobile app's App ID. */
  appId: string;
  /** The redirect URI the token was issued with; Xiaomi wants it again on a refresh. */
  redirectUri: string;
  /** Xiaomi's own refresh token. */
  refreshToken: string;
};

export type StoredRefreshToken =
  | { kind: 'web'; refreshToken: string }
  | ({ kind: 'mobile' } & MobileRefreshToken)
  | { kind: 'malformed' };

export const wrapMobileRefreshToken = ({
  appId,
  redirectUri,
  refreshToken,
}: MobileRefreshToken): string =>
  `${prefix}${appId}:${encodeURIComponent(redirectUri)}:${refreshToken}`;

const decoded = (text: string): string | undefined => {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
};

/** Which app a stored refresh token belongs to: a mobile app's is wrapped, the web app's is not. */
export const readStoredRefreshToken = (token: string): StoredRefreshToken => {
  if (!token.startsWith(prefix)) {
    return { kind: 'web', refreshToken: token };
  }
  // The encoded URI holds no `:`; Xiaomi's token, last, may.
  const [, appId, encodedUri = '', refreshToken] =
    /^(\d+):([^:]+):(.+)$/s.exec(token.slice(prefix.length)) ?? [];
  const redirectUri = decoded(encodedUri);
  return appId && redirectUri && refreshToken
    ? { kind: 'mobile', appId, redirectUri, refreshToken }
    : { kind: 'malformed' };
};
