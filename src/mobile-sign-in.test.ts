/**
 * Sign-in with a code from Xiaomi's Android SDK: connectorData's `clientId` picks the configured
 * mobile app, whose App ID and App Secret exchange the code with the flow's redirect URI.
 */
import { ConnectorErrorCodes } from '@logto/connector-kit';
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
  mockConfiguredSecrets,
  mockMobileCallback,
  mockMobileClientId,
  mockMobileClientSecret,
  mockMobileConfig,
  mockMobileRedirectUri,
  mockMobileSession,
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
  useNock,
} from './mock.js';

useNock();

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

describe('sign-in with a code from Xiaomi’s Android SDK', () => {
  it('exchanges it with the mobile app’s App ID and secret and the session’s redirect URI', async () => {
    const sent = captureTokenForm();
    const profile = captureProfileQuery();
    const connector = await makeConnector(mockMobileConfig);
    const user = await connector.getUserInfo(mockMobileCallback, sessionOf(mockMobileSession));
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
      callback: { ...mockMobileCallback, redirectUri: 'https://elsewhere.example.com/cb' },
      getSession: sessionOf(mockMobileSession),
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
    {
      what: 'appId, which is not the key the connector reads',
      extra: { appId: mockMobileClientId },
    },
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
        connector.getUserInfo(
          { ...mockMobileCallback, clientId: unknown },
          sessionOf(mockMobileSession),
        ),
      );
      expect(error.code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
      expect(error.message).toContain(
        `the code was issued to Xiaomi App ID ${unknown}, which this connector is not configured for: add it to mobileClientIds with its App Secret in mobileClientSecrets`.replace(
          'the',
          'The',
        ),
      );
      for (const secret of mockConfiguredSecrets) {
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
      connector.getUserInfo({ ...mockMobileCallback, clientId }, sessionOf(mockMobileSession)),
    );
    expect(error.code).toBe(ConnectorErrorCodes.InvalidRequestParameters);
    expect(error.message).toContain(says);
    expect(token.isDone()).toBe(false);
  });

  it('checks state as for the web app', async () => {
    const token = replyToken(mockTokenSuccess);
    const connector = await makeConnector(mockMobileConfig);
    const error = await connectorErrorOf(
      connector.getUserInfo(
        { ...mockMobileCallback, state: 'another-sign-in' },
        sessionOf(mockMobileSession),
      ),
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
      mockMobileCallback,
      sessionOf(mockMobileSession),
    );
    expect(tokenResponse).toEqual({
      access_token: mockAccessToken,
      refresh_token: `xiaomi-mobile:v1:${mockMobileClientId}:${encodeURIComponent(mockMobileRedirectUri)}:${mockRefreshToken}`,
      expires_in: mockTokenSuccess.expires_in,
      scope: mockTokenSuccess.scope,
      token_type: mockTokenSuccess.token_type,
    });
    for (const secret of mockConfiguredSecrets) {
      expect(JSON.stringify(tokenResponse)).not.toContain(secret);
    }
  });
});
