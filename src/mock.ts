/**
 * What the unit tests share: obvious fake values (none of these is a real credential), Xiaomi's
 * answers, and small helpers (a connector as Logto builds it, sessions, nock playing Xiaomi).
 */
import {
  ConnectorError,
  ConnectorErrorCodes,
  type ConnectorSession,
  type SocialConnector,
} from '@logto/connector-kit';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

import { createXiaomiConnector, type XiaomiConnectorOptions } from './index.js';

export const mockClientId = '2882303761517000000';
export const mockClientSecret = 'fake-app-secret-for-tests';
export const mockCode = 'fake-authorization-code';
export const mockAccessToken = 'fake-access-token-V3_abc';
export const mockRefreshToken = 'fake-refresh-token-R1';
export const mockMacKey = 'fake-mac-key-xyz';
export const mockState = 'state-123';
export const mockRedirectUri = 'https://logto.example.com/callback/xiaomi-test';
export const mockUnionId = 'fake-union-id-42';

export const mockAccountBaseUrl = 'https://account.xiaomi.com';
export const mockOpenApiBaseUrl = 'https://open.account.xiaomi.com';

export const mockConfig = {
  clientId: mockClientId,
  clientSecret: mockClientSecret,
};

/** A Mobile/Tablet app's own App ID, App Secret and registered redirect URL (its SDK's). */
export const mockMobileClientId = '2882303761517000777';
export const mockMobileClientSecret = 'fake-mobile-app-secret';
export const mockMobileRedirectUri = 'https://app.example.com/xiaomi/oauth';
export const mockOtherMobileClientId = '2882303761517000888';
export const mockOtherMobileClientSecret = 'fake-other-mobile-secret';

/** The web app and two mobile apps, the secrets in the order of the IDs. */
export const mockMobileConfig = {
  ...mockConfig,
  redirectUri: mockRedirectUri,
  mobileClientIds: `${mockMobileClientId} ${mockOtherMobileClientId}`,
  mobileClientSecrets: `${mockMobileClientSecret} ${mockOtherMobileClientSecret}`,
};

export const mockTokenSuccess = {
  access_token: mockAccessToken,
  expires_in: 7_776_000,
  refresh_token: mockRefreshToken,
  scope: '1',
  token_type: 'mac',
  mac_key: mockMacKey,
  mac_algorithm: 'HmacSha1',
  openId: 'fake-open-id-7',
};

/** The form the web app's refresh of `mockRefreshToken` sends Xiaomi's token endpoint. */
export const mockRefreshForm = {
  client_id: mockClientId,
  client_secret: mockClientSecret,
  grant_type: 'refresh_token',
  refresh_token: mockRefreshToken,
  redirect_uri: mockRedirectUri,
};

/** Xiaomi's token answers: the literal prefix, then JSON. */
export const xiaomiTokenBody = (json: unknown, separator = '') =>
  `&&&START&&&${separator}${JSON.stringify(json)}`;

export const mockProfileData = {
  unionId: mockUnionId,
  miliaoNick: 'Mi Fan',
  miliaoIcon: 'https://cdn.example.com/icon.jpg',
  miliaoIcon_75: 'https://cdn.example.com/icon_75.jpg',
  miliaoIcon_90: 'https://cdn.example.com/icon_90.jpg',
  miliaoIcon_120: 'https://cdn.example.com/icon_120.jpg',
  miliaoIcon_320: 'https://cdn.example.com/icon_320.jpg',
  miliaoIcon_orig: 'https://cdn.example.com/icon_orig.jpg',
  userId: '1234567',
};

export const openApiOk = (data: unknown) => ({
  result: 'ok',
  code: 0,
  description: 'success',
  data,
});

export const openApiError = (code: number | string, description = 'error') => ({
  result: 'error',
  code,
  description,
});

export const mockCallback = {
  code: mockCode,
  state: mockState,
  redirectUri: mockRedirectUri,
};

export const mockSession = { state: mockState, redirectUri: mockRedirectUri };

/** What an Android app posts to Logto as connectorData: the SDK's code and state, its App ID. */
export const mockMobileCallback = {
  code: mockCode,
  state: mockState,
  clientId: mockMobileClientId,
};

/** The session Logto keeps from the app's authorization-uri call with its SDK's redirect URL. */
export const mockMobileSession = { state: mockState, redirectUri: mockMobileRedirectUri };

/** Every App Secret of `mockMobileConfig`. */
export const mockConfiguredSecrets = [
  mockClientSecret,
  mockMobileClientSecret,
  mockOtherMobileClientSecret,
];

/** Everything that must never show in an error, a log or rawData. */
export const mockSecrets = [
  mockClientSecret,
  mockCode,
  mockAccessToken,
  mockRefreshToken,
  mockMacKey,
];

/** A connector as Logto builds it, with the given stored config. */
export const makeConnector = async (
  config: unknown = mockConfig,
  options: XiaomiConnectorOptions = {},
): Promise<SocialConnector> => createXiaomiConnector(options)({ getConfig: async () => config });

/** getAuthorizationUri as Logto calls it, with the given stored config and per-request scope. */
export const authorize = async (config: unknown, scope?: string) => {
  const setSession = vi.fn(async () => undefined);
  const connector = await makeConnector(config);
  const url = await connector.getAuthorizationUri(
    {
      state: mockState,
      redirectUri: mockRedirectUri,
      connectorId: 'xiaomi-test',
      connectorFactoryId: 'xiaomi-universal',
      jti: 'jti',
      headers: {},
      ...(scope !== undefined && { scope }),
    },
    setSession,
  );
  return { url: new URL(url), setSession };
};

export const sessionOf =
  (session: ConnectorSession = mockSession) =>
  async () =>
    session;

/** What Logto passes when there is no session (Management API, Account API). */
export const noSession = async (): Promise<ConnectorSession> => {
  throw new ConnectorError(ConnectorErrorCodes.NotImplemented);
};

export const tokenScope = () => nock(mockAccountBaseUrl);
export const openApiScope = () => nock(mockOpenApiBaseUrl);

export const replyToken = (json: unknown, status = 200) =>
  tokenScope().post('/oauth2/token').reply(status, xiaomiTokenBody(json));

export const replyProfile = (data: unknown) =>
  openApiScope().get('/user/profile').query(true).reply(200, openApiOk(data));

/** Answers the token request with a success and keeps the form body it was sent. */
export const captureTokenForm = (json: unknown = mockTokenSuccess) => {
  const sent: { form?: unknown } = {};
  tokenScope()
    .post('/oauth2/token', (body) => {
      sent.form = body;
      return true;
    })
    .matchHeader('content-type', /application\/x-www-form-urlencoded/)
    .reply(200, xiaomiTokenBody(json));
  return sent;
};

/** nock plays Xiaomi: nothing reaches the network, and no answer outlives its test. */
export const useNock = () => {
  beforeAll(() => {
    nock.disableNetConnect();
  });
  afterEach(() => {
    nock.cleanAll();
  });
};

/** Runs a promise that must fail, and returns the ConnectorError it failed with. */
export const connectorErrorOf = async (promise: Promise<unknown>): Promise<ConnectorError> => {
  try {
    await promise;
  } catch (error: unknown) {
    if (error instanceof ConnectorError) {
      return error;
    }
    throw new Error(`expected a ConnectorError, got ${String(error)}`);
  }
  throw new Error('expected a ConnectorError, but the call succeeded');
};

/** Fails when `text` holds any of `mockSecrets`. */
export const expectNoSecret = (text: string) => {
  for (const secret of mockSecrets) {
    expect(text).not.toContain(secret);
  }
};

/** Xiaomi's token endpoint answering an error code. */
export const tokenError =
  (error: number | string, description = 'xiaomi says no') =>
  () => {
    replyToken({ error, error_description: description });
  };

/** A token, then the profile API answering `status` with `body`. */
export const profileAnswer = (status: number, body: string | Record<string, unknown>) => () => {
  replyToken(mockTokenSuccess);
  openApiScope().get('/user/profile').query(true).reply(status, body);
};

/** How Xiaomi (or the network) fails a sign-in, and the ConnectorError the sign-in must end in. */
export type SignInFault = {
  what: string;
  /** Sets up nock as Xiaomi (or the network) behaves. */
  xiaomi: () => void;
  code: ConnectorErrorCodes;
  /** What the error's message says. */
  words: string[];
  /** The callback Logto hands over; `mockCallback` if none. */
  callback?: Record<string, unknown>;
};

/** Each fault through both of Logto's sign-in methods: the right code and words, no secret. */
export const signInFaultTests = (faults: SignInFault[]) => {
  describe.each(['getUserInfo', 'getTokenResponseAndUserInfo'] as const)(
    'every sign-in failure becomes the right ConnectorError, through %s',
    (method) => {
      it.each(faults)('$what', async ({ xiaomi, callback, code, words }) => {
        xiaomi();
        const connector = await makeConnector();
        const signIn = connector[method];
        const error = await connectorErrorOf(signIn!(callback ?? mockCallback, sessionOf()));
        expect(error.code).toBe(code);
        for (const word of words) {
          expect(error.message).toContain(word);
        }
        expectNoSecret(error.message);
        expectNoSecret(JSON.stringify(error.data));
      });
    },
  );
};

/** How Xiaomi (or the network) fails a refresh, the error's code and a word of its message. */
export type RefreshFault = [
  what: string,
  xiaomi: () => void,
  code: ConnectorErrorCodes,
  word: string,
];

/** Each fault on a refresh of the web app's token: the right code, a message naming the refresh. */
export const refreshFaultTests = (faults: RefreshFault[]) => {
  const refreshConfig = { ...mockConfig, redirectUri: mockRedirectUri };
  it.each(faults)('%s', async (_, xiaomi, code, word) => {
    xiaomi();
    const connector = await makeConnector(refreshConfig);
    const error = await connectorErrorOf(connector.getAccessTokenByRefreshToken!(mockRefreshToken));
    expect(error.code).toBe(code);
    expect(error.message).toContain(word);
    expect(error.message).toContain('refresh');
    expectNoSecret(error.message);
  });
};
