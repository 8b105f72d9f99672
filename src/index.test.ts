import { ConnectorErrorCodes, ConnectorPlatform, ConnectorType } from '@logto/connector-kit';
import { describe, expect, it } from 'vitest';

import createConnector from './index.js';
import {
  mockAccessToken,
  mockCallback,
  mockClientId,
  mockClientSecret,
  mockCode,
  mockConfig,
  mockMacKey,
  mockProfileData,
  mockRedirectUri,
  mockRefreshToken,
  mockState,
  mockTokenSuccess,
  mockUnionId,
  openApiOk,
  xiaomiTokenBody,
  authorize,
  captureTokenForm,
  connectorErrorOf,
  makeConnector,
  noSession,
  openApiScope,
  replyProfile,
  replyToken,
  sessionOf,
  tokenScope,
  useNock,
} from './mock.js';

useNock();

describe('metadata', () => {
  it('is a drop-in for the official connector: same id, target, platform and config keys', async () => {
    const connector = await createConnector({ getConfig: async () => mockConfig });
    expect(connector.type).toBe(ConnectorType.Social);
    expect(connector.metadata.id).toBe('xiaomi-universal');
    expect(connector.metadata.target).toBe('xiaomi');
    expect(connector.metadata.platform).toBe(ConnectorPlatform.Universal);
    expect(connector.metadata.isTokenStorageSupported).toBe(true);
    expect(connector.metadata.logo).toBe('./logo.svg');
    expect(connector.metadata.readme).toBe('./README.md');
    expect(connector.metadata.formItems?.map(({ key }) => key)).toEqual([
      'clientId',
      'clientSecret',
      'scope',
      'skipConfirm',
      'redirectUri',
      'mobileClientIds',
      'mobileClientSecrets',
      'skipWarmUp',
    ]);
    for (const language of ['en', 'zh-CN', 'zh-TW', 'ja', 'ko', 'tr-TR'] as const) {
      expect(connector.metadata.name[language]).toBeTruthy();
      expect(connector.metadata.description[language]).toBeTruthy();
    }
  });

  it('gives every form item a label and a description that says where to find the value', async () => {
    const connector = await makeConnector();
    for (const item of connector.metadata.formItems ?? []) {
      expect(item.label).toBeTruthy();
      expect(item.description).toBeTruthy();
    }
    // The Console masks only confidential Text items.
    const confidential = connector.metadata.formItems
      ?.filter(({ isConfidential }) => isConfidential)
      .map(({ key, type }) => `${key} (${type})`);
    expect(confidential).toEqual(['clientSecret (Text)', 'mobileClientSecrets (Text)']);
  });

  // Logto's Console shows a switch its stored config lacks as off (console
  // utils/connector-form.ts initFormData, ConfigFormFields, v1.42.0): off must be the default.
  it('offers skipping the open-API warm-up as a switch that is off unless turned on', async () => {
    const connector = await makeConnector();
    const item = connector.metadata.formItems?.find(({ key }) => key === 'skipWarmUp');
    expect(item).toMatchObject({ type: 'Switch', required: false, defaultValue: false });
    expect(item?.label).toBe('Skip the connection warm-up');
    expect(item?.description).toContain('GET');
    expect(item?.description).toContain('When off (recommended)');
  });

  // Logto's Console shows a read-only "Redirect URI (Callback URI)" right above the form
  // (phrase connectors.guide.callback_uri in packages/phrases/src/locales/en, Logto 1.32+).
  it('says the refresh redirect URI is the one Logto shows above the form', async () => {
    const connector = await makeConnector();
    const item = connector.metadata.formItems?.find(({ key }) => key === 'redirectUri');
    expect(item?.label).toBe('Redirect URI shown above (for token refresh)');
    expect(item?.description).toContain('"Redirect URI (Callback URI)" that Logto shows');
    expect(item?.description).toContain('Store tokens for persistent API access');
    expect(item?.required).toBe(false);
  });
});

describe('getAuthorizationUri', () => {
  it('builds Xiaomi’s authorize URL with scope 1 by default and keeps the session', async () => {
    const { url, setSession } = await authorize(mockConfig);
    expect(`${url.origin}${url.pathname}`).toBe('https://account.xiaomi.com/oauth2/authorize');
    expect(url.search).toBe(
      `?client_id=${mockClientId}&redirect_uri=${encodeURIComponent(mockRedirectUri)}&response_type=code&state=${mockState}&scope=1&skip_confirm=false`,
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: mockClientId,
      redirect_uri: mockRedirectUri,
      response_type: 'code',
      scope: '1',
      state: mockState,
      skip_confirm: 'false',
    });
    expect(setSession).toHaveBeenCalledWith({ state: mockState, redirectUri: mockRedirectUri });
  });

  it('uses the configured scope, always with 1 first and without repeats', async () => {
    const { url } = await authorize({ ...mockConfig, scope: '3  4 3 6' });
    expect(url.searchParams.get('scope')).toBe('1 3 4 6');
  });

  it('prefers the per-request scope Logto passes over the configured one', async () => {
    const { url } = await authorize({ ...mockConfig, scope: '3' }, '6 1');
    expect(url.searchParams.get('scope')).toBe('1 6');
  });

  it('refuses a per-request scope that is not numeric', async () => {
    const error = await connectorErrorOf(authorize(mockConfig, 'profile email'));
    expect(error.code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
    expect(error.message).toContain('numeric');
  });

  it.each([
    ['on', { skipConfirm: true }, 'true'],
    ['off', { skipConfirm: false }, 'false'],
    ['not set', {}, 'false'],
  ] as const)('sends skip_confirm either way: switch %s', async (_, setting, sent) => {
    const { url } = await authorize({ ...mockConfig, ...setting });
    expect(url.searchParams.get('skip_confirm')).toBe(sent);
  });

  it('encodes a redirect URI with its own query', async () => {
    const redirectUri = 'https://logto.example.com/callback/x?a=1&b=2';
    const connector = await makeConnector();
    const url = await connector.getAuthorizationUri(
      {
        state: 's',
        redirectUri,
        connectorId: 'x',
        connectorFactoryId: 'xiaomi-universal',
        jti: 'j',
        headers: {},
      },
      async () => undefined,
    );
    expect(url).toContain(`redirect_uri=${encodeURIComponent(redirectUri)}`);
    expect(new URL(url).searchParams.get('redirect_uri')).toBe(redirectUri);
  });

  it('fails with InvalidConfig when the stored config is broken', async () => {
    const error = await connectorErrorOf(authorize({ clientSecret: 'x' }));
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(error.message).toContain('clientId');
  });
});

describe('getUserInfo', () => {
  it('POSTs the code exchange as a form, never putting the secret in a URL', async () => {
    let sentBody: unknown;
    let sentPath = '';
    tokenScope()
      .post(
        (path) => {
          sentPath = path;
          return path.startsWith('/oauth2/token');
        },
        (body) => {
          sentBody = body;
          return true;
        },
      )
      .matchHeader('content-type', /application\/x-www-form-urlencoded/)
      .reply(200, xiaomiTokenBody(mockTokenSuccess));
    let profileQuery: unknown;
    openApiScope()
      .get('/user/profile')
      .query((query) => {
        profileQuery = query;
        return true;
      })
      .reply(200, openApiOk(mockProfileData));

    const connector = await makeConnector();
    await connector.getUserInfo(mockCallback, sessionOf());

    expect(sentPath).toBe('/oauth2/token');
    expect(sentBody).toEqual({
      client_id: mockClientId,
      client_secret: mockClientSecret,
      grant_type: 'authorization_code',
      code: mockCode,
      redirect_uri: mockRedirectUri,
    });
    expect(profileQuery).toEqual({ clientId: mockClientId, token: mockAccessToken });
  });

  it('returns the unionId as id, the nickname, the largest avatar, and safe rawData', async () => {
    replyToken(mockTokenSuccess);
    replyProfile(mockProfileData);
    const connector = await makeConnector();
    const user = await connector.getUserInfo(mockCallback, sessionOf());
    expect(user).toEqual({
      id: mockUnionId,
      name: 'Mi Fan',
      avatar: mockProfileData.miliaoIcon_orig,
      rawData: { ...mockProfileData, openId: mockTokenSuccess.openId },
    });
    const raw = JSON.stringify(user.rawData);
    for (const secret of [
      mockAccessToken,
      mockRefreshToken,
      mockMacKey,
      mockClientSecret,
      mockCode,
    ]) {
      expect(raw).not.toContain(secret);
    }
  });

  const tokenBodies: Array<[string, string]> = [
    ['with the &&&START&&& prefix', xiaomiTokenBody(mockTokenSuccess)],
    ['with the prefix and a newline', xiaomiTokenBody(mockTokenSuccess, '\n')],
    ['with the prefix and spaces and tabs', xiaomiTokenBody(mockTokenSuccess, ' \t\r\n ')],
    ['without the prefix', JSON.stringify(mockTokenSuccess)],
    ['with union_id', xiaomiTokenBody({ ...mockTokenSuccess, union_id: 'u-1' })],
    ['with only access_token', xiaomiTokenBody({ access_token: mockAccessToken })],
    ['with expires_in as a string', xiaomiTokenBody({ ...mockTokenSuccess, expires_in: '3600' })],
  ];

  it.each(tokenBodies)('signs in on a token answer %s', async (_, body) => {
    tokenScope().post('/oauth2/token').reply(200, body);
    replyProfile(mockProfileData);
    const connector = await makeConnector();
    const user = await connector.getUserInfo(mockCallback, sessionOf());
    expect(user.id).toBe(mockUnionId);
  });

  it('leaves name and avatar out when Xiaomi gives them empty', async () => {
    replyToken(mockTokenSuccess);
    replyProfile({ unionId: mockUnionId, miliaoNick: '', miliaoIcon: '' });
    const connector = await makeConnector();
    const user = await connector.getUserInfo(mockCallback, sessionOf());
    expect(user.id).toBe(mockUnionId);
    expect(user).not.toHaveProperty('name');
    expect(user).not.toHaveProperty('avatar');
  });

  it('falls back to the default icon, then to the largest sized one', async () => {
    replyToken(mockTokenSuccess);
    replyProfile({ unionId: mockUnionId, miliaoIcon: 'https://cdn.example.com/d.jpg' });
    replyToken(mockTokenSuccess);
    replyProfile({
      unionId: mockUnionId,
      miliaoIcon: '',
      miliaoIcon_90: 'https://cdn.example.com/90.jpg',
      miliaoIcon_120: 'https://cdn.example.com/120.jpg',
    });
    const connector = await makeConnector();
    expect((await connector.getUserInfo(mockCallback, sessionOf())).avatar).toBe(
      'https://cdn.example.com/d.jpg',
    );
    expect((await connector.getUserInfo(mockCallback, sessionOf())).avatar).toBe(
      'https://cdn.example.com/120.jpg',
    );
  });

  it.each(['小米用户🍊', 'Ünïcödé ñame', 'ユーザー', '사용자'])(
    'keeps a non-Latin nickname as it is: %s',
    async (nickname) => {
      replyToken(mockTokenSuccess);
      replyProfile({ unionId: mockUnionId, miliaoNick: nickname });
      const connector = await makeConnector();
      expect((await connector.getUserInfo(mockCallback, sessionOf())).name).toBe(nickname);
    },
  );

  it.each([
    {
      what: 'the session’s, the one the authorization used',
      callback: { ...mockCallback, redirectUri: 'https://other.example.com/cb' },
      getSession: sessionOf(),
      config: mockConfig,
      sent: mockRedirectUri,
    },
    {
      what: 'the callback’s when there is no session (an admin link)',
      callback: { code: mockCode, redirectUri: 'https://auth.example.org/callback/abc' },
      getSession: noSession,
      config: mockConfig,
      sent: 'https://auth.example.org/callback/abc',
    },
    {
      what: 'the configured one when neither has one',
      callback: { code: mockCode },
      getSession: noSession,
      config: { ...mockConfig, redirectUri: 'https://auth.example.net/callback/xyz' },
      sent: 'https://auth.example.net/callback/xyz',
    },
  ])('exchanges the code with $what', async ({ callback, getSession, config, sent }) => {
    const form = captureTokenForm();
    replyProfile(mockProfileData);
    const connector = await makeConnector(config);
    const user = await connector.getUserInfo(callback, getSession);
    expect(user.id).toBe(mockUnionId);
    expect(form.form).toMatchObject({ code: mockCode, redirect_uri: sent });
  });

  it('refuses a callback whose state differs from the session’s, before calling Xiaomi', async () => {
    const token = replyToken(mockTokenSuccess);
    const connector = await makeConnector();
    const error = await connectorErrorOf(
      connector.getUserInfo({ ...mockCallback, state: 'forged' }, sessionOf()),
    );
    expect(error.code).toBe(ConnectorErrorCodes.AuthorizationFailed);
    expect(error.message).toContain('state does not match');
    expect(token.isDone()).toBe(false);
  });

  it('signs in from a callback without state: Logto’s sign-in page checked and stripped it', async () => {
    const sent = captureTokenForm();
    replyProfile(mockProfileData);
    const connector = await makeConnector();
    const user = await connector.getUserInfo(
      { code: mockCode, redirectUri: mockRedirectUri },
      sessionOf(),
    );
    expect(user.id).toBe(mockUnionId);
    expect(sent.form).toMatchObject({ code: mockCode, redirect_uri: mockRedirectUri });
  });

  it.each([
    ['a code that is an array', { code: [mockCode, 'x'] }, 'code must be a string, got array'],
    ['a code that is a number', { code: 123 }, 'code must be a string, got number'],
    ['a state that is an array', { code: mockCode, state: ['a', 'b'] }, 'state must be a string'],
    ['an error that is an object', { error: { code: 1 } }, 'error must be a string or a number'],
    ['no object at all', 'code=abc', 'the callback must be an object of query parameters'],
  ])('refuses %s with its own message, not a state mismatch', async (_, callback, message) => {
    const token = replyToken(mockTokenSuccess);
    const connector = await makeConnector();
    const error = await connectorErrorOf(connector.getUserInfo(callback, sessionOf()));
    expect(error.code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
    expect(error.message).toContain(message);
    expect(error.message).not.toContain('state does not match');
    expect(token.isDone()).toBe(false);
  });

  it('fails clearly when no redirect URI is known at all', async () => {
    const token = replyToken(mockTokenSuccess);
    const connector = await makeConnector();
    const error = await connectorErrorOf(connector.getUserInfo({ code: mockCode }, noSession));
    expect(error.code).toBe(ConnectorErrorCodes.InsufficientRequestParameters);
    expect(error.message).toContain('redirect URI');
    expect(token.isDone()).toBe(false);
  });
});
