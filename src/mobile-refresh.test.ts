/**
 * A mobile app's stored token refreshed with exactly that app, and every app's errors redacted of
 * every configured App Secret.
 */
import { ConnectorErrorCodes } from '@logto/connector-kit';
import nock from 'nock';
import { describe, expect, it } from 'vitest';

import {
  captureTokenForm,
  connectorErrorOf,
  makeConnector,
  mockCode,
  mockConfig,
  mockConfiguredSecrets,
  mockMobileCallback,
  mockMobileClientId,
  mockMobileClientSecret,
  mockMobileConfig,
  mockMobileRedirectUri,
  mockMobileSession,
  mockOtherMobileClientId,
  mockOtherMobileClientSecret,
  mockRedirectUri,
  mockRefreshForm,
  mockRefreshToken,
  mockState,
  mockTokenSuccess,
  openApiScope,
  replyToken,
  sessionOf,
  tokenScope,
  useNock,
  xiaomiTokenBody,
} from './mock.js';
import { wrapMobileRefreshToken } from './mobile-refresh-token.js';

useNock();

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
      ...mockRefreshForm,
      client_id: mockMobileClientId,
      client_secret: mockMobileClientSecret,
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
    expect(sent.form).toEqual(mockRefreshForm);
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
    for (const secret of [...mockConfiguredSecrets, mockRefreshToken]) {
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
  const echo = `echo ${mockConfiguredSecrets.join(' ')} ${mockConfiguredSecrets.map(encodeURIComponent).join(' ')}`;

  it.each([
    {
      what: 'a mobile code exchange',
      xiaomi: () => replyToken({ error: 96003, error_description: echo }),
      run: async () =>
        (await makeConnector(mockMobileConfig)).getUserInfo(
          mockMobileCallback,
          sessionOf(mockMobileSession),
        ),
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
        (await makeConnector(mockMobileConfig)).getUserInfo(
          mockMobileCallback,
          sessionOf(mockMobileSession),
        ),
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
    for (const secret of mockConfiguredSecrets) {
      expect(error.message).not.toContain(secret);
      expect(error.message).not.toContain(encodeURIComponent(secret));
    }
    expect(nock.pendingMocks()).toEqual([]);
  });
});
