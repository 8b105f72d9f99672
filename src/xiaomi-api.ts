import snakecaseKeys from 'snakecase-keys';
import { parseOpenApiAnswer, parseTokenAnswer, type Parse } from './answers.js';
import type { XiaomiEndpoints } from './constant.js';
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

  const requestToken = async (
    name: 'token' | 'refresh',
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
        body: form(parameters),
        secrets,
        lifetime,
      },
      parse[name],
    );

  const readOpenApi = async <T>(
    name: 'profile' | 'openid' | 'phoneAndEmail',
    endpoint: string,
    parseAnswer: Parse<T>,
    { clientId, accessToken, secrets, lifetime }: Access,
  ): Promise<T> => {
    const query = `clientId=${encodeURIComponent(clientId)}&token=`;
    return send(
      {
        name,
        method: 'GET',
        url: `${endpoint}?${query}${encodeURIComponent(accessToken)}`,
        shownUrl: `${endpoint}?${query}***`,
        secrets: [accessToken, ...secrets],
        lifetime,
      },
      parseAnswer,
    );
  };

  type Credentials = { clientId: string; clientSecret: string };
  /** The other secrets are those known at that point of the sign-in, should Xiaomi echo one. */
  type Access = {
    clientId: string;
    accessToken: string;
    secrets: ReadonlyArray<string | undefined>;
    /** The sign-in's lifetime: its end cuts the call short. */
    lifetime?: AbortSignal;
  };

  return {
    exchangeCode: async (
      { clientId, clientSecret }: Credentials,
      { code, redirectUri }: { code: string; redirectUri: string },
      lifetime?: AbortSignal,
    ) =>
      requestToken(
        'token',
        { clientId, clientSecret, grantType: 'authorization_code', code, redirectUri },
        [clientSecret, code],
        lifetime,
      ),
    // Xiaomi requires the redirect URI on refresh too.
    refresh: async (
      { clientId, clientSecret }: Credentials,
      { refreshToken, redirectUri }: { refreshToken: string; redirectUri: string },
    ) =>
      requestToken(
        'refresh',
        { clientId, clientSecret, grantType: 'refresh_token', refreshToken, redirectUri },
        [clientSecret, refreshToken],
      ),
    readProfile: async (access: Access) =>
      readOpenApi('profile', endpoints.profile, parse.profile, access),
    readOpenId: async (access: Access) =>
      readOpenApi('openid', endpoints.openId, parse.openid, access),
    readPhoneAndEmail: async (access: Access) =>
      readOpenApi('phoneAndEmail', endpoints.phoneAndEmail, parse.phoneAndEmail, access),
  };
};
