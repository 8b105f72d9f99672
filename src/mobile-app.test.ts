/**
 * Codes from Xiaomi's Android SDK: a Mobile/Tablet app's App ID and App Secret beside the web
 * app's, the code exchanged with the app it was issued to, and that app's tokens refreshed with it.
 */
import { ConnectorErrorCodes } from '@logto/connector-kit';
import nock from 'nock';
import { describe, expect, it } from 'vitest';

import {
  captureTokenForm,
  connectorErrorOf,
  makeConnector,
  mockAccessToken,
  mockClientId,
  mockClientSecret,
  mockCode,
  mockConfig,
  mockMobileClientId,
  mockMobileClientSecret,
  mockMobileConfig,
  mockMobileRedirectUri,
  mockOtherMobileClientId,
  mockOtherMobileClientSecret,
  mockProfileData,
  mockRedirectUri,
  mockRefreshToken,
  mockState,
  mockTokenSuccess,
  mockUnionId,
  noSession,
  openApiOk,
  openApiScope,
  replyProfile,
  replyToken,
  sessionOf,
  tokenScope,
  useNock,
  xiaomiTokenBody,
} from './mock.js';
import { wrapMobileRefreshToken } from './mobile-refresh-token.js';

useNock();

/** What the app posts to Logto as connectorData: the SDK's code and state, and its App ID. */
const mobileCallback = { code: mockCode, state: mockState, clientId: mockMobileClientId };
/** The session Logto keeps from the app's authorization-uri call with its SDK's redirect URL. */
const mobileSession = sessionOf({ state: mockState, redirectUri: mockMobileRedirectUri });

const allSecrets = [mockClientSecret, mockMobileClientSecret, mockOtherMobileClientSecret];

/** Answers the profile API and keeps its query. */
const captureProfileQuery = () => {
  const sent: { query?: unknown } = {};
  openApiScope()
    .get('/user/profile')
    .query((query) => {
      sent.query = query;
      return true;
    })
    .reply(200, openApiOk(mockProfileData));
  return sent;
};

describe('the mobile apps in the config', () => {
  const rejected: Array<{ what: string; config: Record<string, unknown>; says: string }> = [
    {
      what: 'an App ID with letters',
      config: { ...mockMobileConfig, mobileClientIds: `${mockMobileClientId} abc` },
      says: 'mobileClientIds must be space-separated App IDs, digits only',
    },
    {
      what: 'an App ID list that is not a string',
      config: { ...mockMobileConfig, mobileClientIds: 2882303761517 },
      says: 'mobileClientIds must be a string of space-separated App IDs',
    },
    {
      what: 'fewer secrets than App IDs',
      config: { ...mockMobileConfig, mobileClientSecrets: mockMobileClientSecret },
      says: 'mobileClientSecrets holds 1 App Secret for 2 App IDs in mobileClientIds',
    },
    {
      what: 'more secrets than App IDs',
      config: { ...mockMobileConfig, mobileClientIds: mockMobileClientId },
      says: 'mobileClientSecrets holds 2 App Secrets for 1 App ID in mobileClientIds',
    },
    {
      what: 'an App ID twice',
      config: {
        ...mockMobileConfig,
        mobileClientIds: `${mockMobileClientId} ${mockMobileClientId}`,
      },
      says: 'mobileClientIds lists an App ID twice',
    },
    {
      what: 'the web app’s App ID',
      config: { ...mockMobileConfig, mobileClientIds: `${mockMobileClientId} ${mockClientId}` },
      says: 'mobileClientIds holds the web app’s App ID (clientId)',
    },
    {
      what: 'App IDs without secrets',
      config: { ...mockMobileConfig, mobileClientSecrets: ' ' },
      says: 'mobileClientSecrets is empty while mobileClientIds is set',
    },
    {
      what: 'secrets without App IDs',
      config: { ...mockMobileConfig, mobileClientIds: '' },
      says: 'mobileClientIds is empty while mobileClientSecrets is set',
    },
  ];

  it.each(rejected)(
    'refuses $what, naming the field and never a value',
    async ({ config, says }) => {
      const token = replyToken(mockTokenSuccess);
      const connector = await makeConnector(config);
      expect(connector.configGuard.safeParse(config).success).toBe(false);
      const error = await connectorErrorOf(connector.getUserInfo(mobileCallback, mobileSession));
      expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
      expect(error.message).toContain(says);
      for (const value of [...allSecrets, mockMobileClientId, mockOtherMobileClientId]) {
        expect(error.message).not.toContain(value);
      }
      expect(token.isDone()).toBe(false);
    },
  );

  it.each([
    { what: 'neither field', config: mockConfig },
    {
      what: 'both fields empty',
      config: { ...mockConfig, mobileClientIds: '', mobileClientSecrets: '' },
    },
    {
      what: 'one app, with white space around',
      config: {
        ...mockConfig,
        mobileClientIds: ` ${mockMobileClientId} `,
        mobileClientSecrets: `\t${mockMobileClientSecret}\n`,
      },
    },
    { what: 'two apps', config: mockMobileConfig },
  ])('accepts $what, and signs in with the web app as before', async ({ config }) => {
    const sent = captureTokenForm();
    replyProfile(mockProfileData);
    const connector = await makeConnector(config);
    expect(connector.configGuard.safeParse(config).success).toBe(true);
    const user = await connector.getUserInfo(
      { code: mockCode, state: mockState, redirectUri: mockRedirectUri },
      sessionOf(),
    );
    expect(user.id).toBe(mockUnionId);
    expect(sent.form).toMatchObject({ client_id: mockClientId, client_secret: mockClientSecret });
  });

  it('says in the Console form where each mobile value comes from, the secret masked', async () => {
    const connector = await makeConnector();
    const items = new Map(connector.metadata.formItems?.map((item) => [item.key, item]));
    expect(items.get('mobileClientIds')).toMatchObject({
      label: 'Mobile app IDs (Android)',
      required: false,
      description: expect.stringMatching(/dev\.mi\.com.*Mobile\/Tablet app.*not the web app’s/),
    });
    expect(items.get('mobileClientSecrets')).toMatchObject({
      label: 'Mobile app secrets',
      required: false,
      isConfidential: true,
      description: expect.stringContaining('same order as their App IDs'),
    });
  });
});

describe('sign-in with a code from Xiaomi’s Android SDK', () => {
  it('exchanges it with the mobile app’s App ID and secret and the session’s redirect URI', async () => {
    const sent = captureTokenForm();
    const profile = captureProfileQuery();
    const connector = await makeConnector(mockMobileConfig);
    const user = await connector.getUserInfo(mobileCallback, mobileSession);
    expect(sent.form).toEqual({
      client_id: mockMobileClientId,
      client_secret: mockMobileClientSecret,
      grant_type: 'authorization_code',
      code: mockCode,
      redirect_uri: mockMobileRedirectUri,
    });
    // The open APIs are asked with the App ID the token was issued to.
    expect(profile.query).toEqual({ clientId: mockMobileClientId, token: mockAccessToken });
    // The profile's unionId: one person is one Logto user on the web and in the app.
    expect(user.id).toBe(mockUnionId);
  });

  it.each([
    {
      what: 'the session’s, when the app passes another',
      callback: { ...mobileCallback, redirectUri: 'https://elsewhere.example.com/cb' },
      getSession: mobileSession,
      sent: mockMobileRedirectUri,
    },
    {
      what: 'the callback’s when there is no session',
      callback: {
        code: mockCode,
        clientId: mockMobileClientId,
        redirectUri: mockMobileRedirectUri,
      },
      getSession: noSession,
      sent: mockMobileRedirectUri,
    },
  ])(
    'uses the redirect URI the flow started with: $what',
    async ({ callback, getSession, sent }) => {
      const form = captureTokenForm();
      replyProfile(mockProfileData);
      const connector = await makeConnector(mockMobileConfig);
      await connector.getUserInfo(callback, getSession);
      expect(form.form).toMatchObject({ client_id: mockMobileClientId, redirect_uri: sent });
    },
  );

  it('never falls back to the web app’s configured redirect URI for a mobile app', async () => {
    const token = replyToken(mockTokenSuccess);
    const connector = await makeConnector(mockMobileConfig);
    const error = await connectorErrorOf(
      connector.getUserInfo({ code: mockCode, clientId: mockMobileClientId }, noSession),
    );
    expect(error.code).toBe(ConnectorErrorCodes.InsufficientRequestParameters);
    expect(token.isDone()).toBe(false);
  });

  it.each([
    { what: 'no clientId', extra: {} },
    {
      what: 'Logto’s own app_id (the sign-in page may post it)',
      extra: { app_id: 'logto-app-id' },
    },
    { what: 'an app_id that looks like a mobile App ID', extra: { app_id: mockMobileClientId } },
    { what: 'the web app’s own App ID as clientId', extra: { clientId: mockClientId } },
    { what: 'an empty clientId', extra: { clientId: '' } },
  ])('exchanges a web code with the web app as before: $what', async ({ extra }) => {
    const sent = captureTokenForm();
    const profile = captureProfileQuery();
    const connector = await makeConnector(mockMobileConfig);
    await connector.getUserInfo(
      { code: mockCode, state: mockState, redirectUri: mockRedirectUri, ...extra },
      sessionOf(),
    );
    expect(sent.form).toEqual({
      client_id: mockClientId,
      client_secret: mockClientSecret,
      grant_type: 'authorization_code',
      code: mockCode,
      redirect_uri: mockRedirectUri,
    });
    expect(profile.query).toEqual({ clientId: mockClientId, token: mockAccessToken });
  });

  it.each([
    { what: 'with mobile apps configured', config: mockMobileConfig },
    { what: 'with none configured', config: mockConfig },
  ])(
    'refuses an App ID it is not configured for, before calling Xiaomi ($what)',
    async ({ config }) => {
      const token = replyToken(mockTokenSuccess);
      const unknown = '2882303761517999999';
      const connector = await makeConnector(config);
      const error = await connectorErrorOf(
        connector.getUserInfo({ ...mobileCallback, clientId: unknown }, mobileSession),
      );
      expect(error.code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
      expect(error.message).toContain(
        `the code was issued to Xiaomi App ID ${unknown}, which this connector is not configured for: add it to mobileClientIds with its App Secret in mobileClientSecrets`.replace(
          'the',
          'The',
        ),
      );
      for (const secret of allSecrets) {
        expect(error.message).not.toContain(secret);
      }
      expect(token.isDone()).toBe(false);
    },
  );

  it.each([
    {
      what: 'a number (a 19-digit App ID loses digits)',
      clientId: Number(mockMobileClientId),
      says: 'clientId must be the Xiaomi App ID as a string of digits, got number',
    },
    {
      what: 'not digits',
      clientId: '2882303761517000777x',
      says: 'clientId must be the Xiaomi App ID the code was issued to, digits only',
    },
  ])('refuses a clientId that is $what, before calling Xiaomi', async ({ clientId, says }) => {
    const token = replyToken(mockTokenSuccess);
    const connector = await makeConnector(mockMobileConfig);
    const error = await connectorErrorOf(
      connector.getUserInfo({ ...mobileCallback, clientId }, mobileSession),
    );
    expect(error.code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
    expect(error.message).toContain(says);
    expect(token.isDone()).toBe(false);
  });

  it('checks state as for the web app', async () => {
    const token = replyToken(mockTokenSuccess);
    const connector = await makeConnector(mockMobileConfig);
    const error = await connectorErrorOf(
      connector.getUserInfo({ ...mobileCallback, state: 'another-sign-in' }, mobileSession),
    );
    expect(error.code).toBe(ConnectorErrorCodes.AuthorizationFailed);
    expect(error.message).toContain('state does not match');
    expect(token.isDone()).toBe(false);
  });

  it('hands Logto a refresh token that names the app and redirect URI, never a secret', async () => {
    replyToken(mockTokenSuccess);
    replyProfile(mockProfileData);
    const connector = await makeConnector(mockMobileConfig);
    const { tokenResponse } = await connector.getTokenResponseAndUserInfo!(
      mobileCallback,
      mobileSession,
    );
    expect(tokenResponse).toEqual({
      access_token: mockAccessToken,
      refresh_token: `xiaomi-mobile:v1:${mockMobileClientId}:${encodeURIComponent(mockMobileRedirectUri)}:${mockRefreshToken}`,
      expires_in: mockTokenSuccess.expires_in,
      scope: mockTokenSuccess.scope,
      token_type: mockTokenSuccess.token_type,
    });
    for (const secret of allSecrets) {
      expect(JSON.stringify(tokenResponse)).not.toContain(secret);
    }
  });
});

describe('refreshing a mobile app’s token', () => {
  const storedMobileToken = wrapMobileRefreshToken({
    appId: mockMobileClientId,
    redirectUri: mockMobileRedirectUri,
    refreshToken: mockRefreshToken,
  });
  const renewed = { ...mockTokenSuccess, refresh_token: 'fake-refresh-token-R2' };

  it('refreshes with that app and its redirect URI, and wraps the new refresh token', async () => {
    const sent = captureTokenForm(renewed);
    // No web redirectUri configured: the mobile token carries its own.
    const connector = await makeConnector({ ...mockMobileConfig, redirectUri: '' });
    const tokens = await connector.getAccessTokenByRefreshToken!(storedMobileToken);
    expect(sent.form).toEqual({
      client_id: mockMobileClientId,
      client_secret: mockMobileClientSecret,
      grant_type: 'refresh_token',
      refresh_token: mockRefreshToken,
      redirect_uri: mockMobileRedirectUri,
    });
    expect(tokens.refresh_token).toBe(
      wrapMobileRefreshToken({
        appId: mockMobileClientId,
        redirectUri: mockMobileRedirectUri,
        refreshToken: 'fake-refresh-token-R2',
      }),
    );
  });

  it('returns no refresh token when Xiaomi sends none, so Logto keeps the stored one', async () => {
    replyToken({ ...mockTokenSuccess, refresh_token: undefined });
    const connector = await makeConnector(mockMobileConfig);
    const tokens = await connector.getAccessTokenByRefreshToken!(storedMobileToken);
    expect(tokens).not.toHaveProperty('refresh_token');
  });

  it('refreshes a web token with the web app as before, unwrapped', async () => {
    const sent = captureTokenForm(renewed);
    const connector = await makeConnector(mockMobileConfig);
    const tokens = await connector.getAccessTokenByRefreshToken!(mockRefreshToken);
    expect(sent.form).toEqual({
      client_id: mockClientId,
      client_secret: mockClientSecret,
      grant_type: 'refresh_token',
      refresh_token: mockRefreshToken,
      redirect_uri: mockRedirectUri,
    });
    expect(tokens.refresh_token).toBe('fake-refresh-token-R2');
  });

  it('refuses the token of an app no longer configured, before calling Xiaomi', async () => {
    const token = replyToken(mockTokenSuccess);
    const connector = await makeConnector({
      ...mockConfig,
      redirectUri: mockRedirectUri,
      mobileClientIds: mockOtherMobileClientId,
      mobileClientSecrets: mockOtherMobileClientSecret,
    });
    const error = await connectorErrorOf(
      connector.getAccessTokenByRefreshToken!(storedMobileToken),
    );
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(error.message).toContain(
      `issued to the mobile app ${mockMobileClientId}, which mobileClientIds no longer holds`,
    );
    for (const secret of [...allSecrets, mockRefreshToken]) {
      expect(error.message).not.toContain(secret);
    }
    expect(token.isDone()).toBe(false);
  });

  it.each([
    'xiaomi-mobile:v1:',
    `xiaomi-mobile:v1:${mockMobileClientId}:${mockRefreshToken}`,
    `xiaomi-mobile:v1:${mockMobileClientId}:%E0%A4%A:${mockRefreshToken}`,
    `xiaomi-mobile:v1:not-digits:x:${mockRefreshToken}`,
  ])('refuses a wrapped token it cannot read, before calling Xiaomi: %s', async (stored) => {
    const token = replyToken(mockTokenSuccess);
    const connector = await makeConnector(mockMobileConfig);
    const error = await connectorErrorOf(connector.getAccessTokenByRefreshToken!(stored));
    expect(error.code).toBe(ConnectorErrorCodes.SocialAccessTokenInvalid);
    expect(error.message).not.toContain(mockRefreshToken);
    expect(token.isDone()).toBe(false);
  });

  it('keeps refreshes of the same Xiaomi token for two apps apart', async () => {
    const token = tokenScope()
      .post('/oauth2/token')
      .times(2)
      .delay(20)
      .reply(200, xiaomiTokenBody(mockTokenSuccess));
    const connector = await makeConnector(mockMobileConfig);
    await Promise.all([
      connector.getAccessTokenByRefreshToken!(storedMobileToken),
      connector.getAccessTokenByRefreshToken!(mockRefreshToken),
    ]);
    expect(token.isDone()).toBe(true);
  });
});

describe('one app’s errors hold no other app’s secret', () => {
  /** Xiaomi quoting every configured secret back, raw and form-encoded. */
  const echo = `echo ${allSecrets.join(' ')} ${allSecrets.map(encodeURIComponent).join(' ')}`;

  it.each([
    {
      what: 'a mobile code exchange',
      xiaomi: () => replyToken({ error: 96003, error_description: echo }),
      run: async () =>
        (await makeConnector(mockMobileConfig)).getUserInfo(mobileCallback, mobileSession),
      says: `the code exchange (oauth2/token) for the mobile app ${mockMobileClientId}: the App ID and App Secret do not match: copy the Mobile/Tablet app’s App Secret again into mobileClientSecrets`,
    },
    {
      what: 'a mobile sign-in’s profile',
      xiaomi: () => {
        replyToken(mockTokenSuccess);
        openApiScope()
          .get('/user/profile')
          .query(true)
          .reply(200, { result: 'error', code: 96001, description: echo });
      },
      run: async () =>
        (await makeConnector(mockMobileConfig)).getUserInfo(mobileCallback, mobileSession),
      says: `the profile API (user/profile) for the mobile app ${mockMobileClientId}: no app has this App ID, or Account Services is not enabled for it: check mobileClientIds`,
    },
    {
      what: 'a mobile refresh',
      xiaomi: () => replyToken({ error: 96010, error_description: echo }),
      run: async () =>
        (await makeConnector(mockMobileConfig)).getAccessTokenByRefreshToken!(
          wrapMobileRefreshToken({
            appId: mockOtherMobileClientId,
            redirectUri: mockMobileRedirectUri,
            refreshToken: mockRefreshToken,
          }),
        ),
      says: `the token refresh (oauth2/token) for the mobile app ${mockOtherMobileClientId}`,
    },
    {
      what: 'a web code exchange',
      xiaomi: () => replyToken({ error: 96003, error_description: echo }),
      run: async () =>
        (await makeConnector(mockMobileConfig)).getUserInfo(
          { code: mockCode, state: mockState, redirectUri: mockRedirectUri },
          sessionOf(),
        ),
      says: 'the code exchange (oauth2/token): the App ID and App Secret do not match: copy the App Secret again from the app details page into clientSecret',
    },
  ])('$what', async ({ xiaomi, run, says }) => {
    xiaomi();
    const error = await connectorErrorOf(run());
    expect(error.message).toContain(says);
    for (const secret of allSecrets) {
      expect(error.message).not.toContain(secret);
      expect(error.message).not.toContain(encodeURIComponent(secret));
    }
    expect(nock.pendingMocks()).toEqual([]);
  });
});
