import snakecaseKeys from 'snakecase-keys';
import { parseOpenApiAnswer, parseTokenAnswer, type Parse } from './answers.js';
import type { XiaomiEndpoints } from './constant.js';
import type { XiaomiApp } from './mobile-apps.js';
import {
  openIdDataGuard,
  phoneAndEmailDataGuard,
  profileDataGuard,
  type XiaomiTokenSet,
} from './types.js';
import { createXiaomiHttp, type XiaomiCall } from './xiaomi-http.js';

export type { XiaomiCall } from './xiaomi-http.js';

export type XiaomiApiOptions = {
  endpoints: XiaomiEndpoints;
  timeoutMs: number;
  onCall?: (call: XiaomiCall) => void;
};

/**
 * Everything that talks to Xiaomi. Each function either returns a parsed value or throws the
 * ConnectorError of a named failure; no HTTP, JSON or timeout error escapes from here.
 */
export const createXiaomiApi = ({ endpoints, timeoutMs, onCall }: XiaomiApiOptions) => {
  const send = createXiaomiHttp({ timeoutMs, onCall });
  const parse = {
    token: parseTokenAnswer('token'),
    refresh: parseTokenAnswer('refresh'),
    profile: parseOpenApiAnswer('profile', profileDataGuard),
    openid: parseOpenApiAnswer('openid', openIdDataGuard),
    phoneAndEmail: parseOpenApiAnswer('phoneAndEmail', phoneAndEmailDataGuard),
  };

  /** Xiaomi's form parameters are snake_case. */
  const form = (parameters: Record<string, string>) =>
    new URLSearchParams(snakecaseKeys(parameters));

  /** A mobile app's calls name it in their errors. */
  const mobileAppIdOf = ({ kind, clientId }: XiaomiApp) =>
    kind === 'mobile' ? clientId : undefined;

  const requestToken = async (
    name: 'token' | 'refresh',
    app: XiaomiApp,
    parameters: Record<string, string>,
    secrets: ReadonlyArray<string | undefined>,
    lifetime?: AbortSignal,
  ): Promise<XiaomiTokenSet> =>
    send(
      {
        name,
        method: 'POST',
        url: endpoints.token,
        shownUrl: endpoints.token,
        body: form({ clientId: app.clientId, clientSecret: app.clientSecret, ...parameters }),
        secrets: [app.clientSecret, ...secrets],
        mobileAppId: mobileAppIdOf(app),
        lifetime,
      },
      parse[name],
    );

  const readOpenApi = async <T>(
    name: 'profile' | 'openid' | 'phoneAndEmail',
    endpoint: string,
    parseAnswer: Parse<T>,
    { app, accessToken, secrets, lifetime }: Access,
  ): Promise<T> => {
    // The App ID the token was issued to: Xiaomi's open APIs check the pair.
    const query = `clientId=${encodeURIComponent(app.clientId)}&token=`;
    return send(
      {
        name,
        method: 'GET',
        url: `${endpoint}?${query}${encodeURIComponent(accessToken)}`,
        shownUrl: `${endpoint}?${query}***`,
        secrets: [accessToken, ...secrets],
        mobileAppId: mobileAppIdOf(app),
        lifetime,
      },
      parseAnswer,
    );
  };

  /**
   * The other secrets are every configured App Secret and those known at that point of the
   * sign-in, should Xiaomi echo one.
   */
  type Access = {
    app: XiaomiApp;
    accessToken: string;
    secrets: ReadonlyArray<string | undefined>;
    /** The sign-in's lifetime: its end cuts the call short. */
    lifetime?: AbortSignal;
  };

  return {
    exchangeCode: async (
      app: XiaomiApp,
      { code, redirectUri }: { code: string; redirectUri: string },
      secrets: readonly string[],
      lifetime?: AbortSignal,
    ) =>
      requestToken(
        'token',
        app,
        { grantType: 'authorization_code', code, redirectUri },
        [...secrets, code],
        lifetime,
      ),
    // Xiaomi requires the redirect URI on refresh too.
    refresh: async (
      app: XiaomiApp,
      { refreshToken, redirectUri }: { refreshToken: string; redirectUri: string },
      secrets: readonly string[],
    ) =>
      requestToken('refresh', app, { grantType: 'refresh_token', refreshToken, redirectUri }, [
        ...secrets,
        refreshToken,
      ]),
    readProfile: async (access: Access) =>
      readOpenApi('profile', endpoints.profile, parse.profile, access),
    readOpenId: async (access: Access) =>
      readOpenApi('openid', endpoints.openId, parse.openid, access),
    readPhoneAndEmail: async (access: Access) =>
      readOpenApi('phoneAndEmail', endpoints.phoneAndEmail, parse.phoneAndEmail, access),
  };
};
