/**
 * Xiaomi's error codes, in the callback, the token answer and the open API's answer: each ends a
 * sign-in or a refresh in the right ConnectorError, its words naming the code, with no secret.
 */
import { ConnectorErrorCodes } from '@logto/connector-kit';
import { describe, expect, it } from 'vitest';

import {
  connectorErrorOf,
  makeConnector,
  mockClientSecret,
  mockCode,
  mockTokenSuccess,
  openApiError,
  profileAnswer,
  refreshFaultTests,
  replyToken,
  sessionOf,
  signInFaultTests,
  tokenError,
  useNock,
  type RefreshFault,
  type SignInFault,
} from './mock.js';

useNock();

const signInFaults: SignInFault[] = [
  {
    what: 'the user refused (96012)',
    callback: { error: '96012', error_description: 'user denied', state: 'state-123' },
    xiaomi: () => undefined,
    code: ConnectorErrorCodes.AuthorizationFailed,
    words: ['96012', 'did not authorize'],
  },
  {
    what: 'the user refused (access_denied)',
    callback: { error: 'access_denied', state: 'state-123' },
    xiaomi: () => undefined,
    code: ConnectorErrorCodes.AuthorizationFailed,
    words: ['96012', 'did not authorize'],
  },
  {
    what: 'the callback carries another error',
    callback: { error: '96011', error_description: 'bad response type', state: 'state-123' },
    xiaomi: () => undefined,
    code: ConnectorErrorCodes.General,
    words: ['96011', 'bad response type'],
  },
  {
    what: 'the callback carries an unknown redirect URI error',
    callback: { error: '96010', state: 'state-123' },
    xiaomi: () => undefined,
    code: ConnectorErrorCodes.InvalidConfig,
    words: ['96010', 'redirect URI', 'Callback URL', '/callback;', '/account/callback/social'],
  },
  {
    what: 'the code was used or expired (96013)',
    xiaomi: tokenError(96013, 'invalid code'),
    code: ConnectorErrorCodes.SocialAuthCodeInvalid,
    words: ['96013', 'OA_INVALID_CODE', 'expired'],
  },
  {
    what: 'the grant is invalid (96004)',
    xiaomi: tokenError(96004),
    code: ConnectorErrorCodes.SocialAuthCodeInvalid,
    words: ['96004'],
  },
  {
    what: 'the App ID does not exist (96001)',
    xiaomi: tokenError(96001),
    code: ConnectorErrorCodes.InvalidConfig,
    words: ['96001', 'clientId'],
  },
  {
    what: 'the App Secret is wrong (96003)',
    xiaomi: tokenError(96003, 'invalid client'),
    code: ConnectorErrorCodes.InvalidConfig,
    words: ['96003', 'App Secret', 'clientSecret'],
  },
  {
    what: 'the app lacks permission (96005)',
    xiaomi: tokenError(96005),
    code: ConnectorErrorCodes.InvalidConfig,
    words: ['96005', 'permission'],
  },
  {
    what: 'the scope is invalid (96007)',
    xiaomi: tokenError(96007),
    code: ConnectorErrorCodes.InvalidConfig,
    words: ['96007', 'scope'],
  },
  {
    what: 'the redirect URI is not registered (96010)',
    xiaomi: tokenError('96010'),
    code: ConnectorErrorCodes.InvalidConfig,
    words: ['96010', 'redirect URI'],
  },
  {
    what: 'the token answer carries an error code this connector does not know',
    xiaomi: tokenError(12345, 'something new'),
    code: ConnectorErrorCodes.General,
    words: ['12345', 'something new'],
  },
  {
    what: 'the token error comes with HTTP 400',
    xiaomi: () => {
      replyToken({ error: 96003, error_description: 'invalid client' }, 400);
    },
    code: ConnectorErrorCodes.InvalidConfig,
    words: ['96003'],
  },
  {
    what: 'the profile API rejects the token with HTTP 200 and a numeric code',
    xiaomi: profileAnswer(200, openApiError(96008, 'invalid token')),
    code: ConnectorErrorCodes.SocialAccessTokenInvalid,
    words: ['96008', 'profile'],
  },
  {
    what: 'the profile API rejects the token with HTTP 401 and a string code',
    xiaomi: profileAnswer(401, openApiError('96008', 'invalid token')),
    code: ConnectorErrorCodes.SocialAccessTokenInvalid,
    words: ['96008'],
  },
  {
    what: 'the profile API rejects the token with HTTP 403 and no result field',
    xiaomi: profileAnswer(403, { code: 96008, description: 'invalid token' }),
    code: ConnectorErrorCodes.SocialAccessTokenInvalid,
    words: ['96008'],
  },
  {
    what: 'the profile API answers another error code',
    xiaomi: profileAnswer(200, openApiError(96005, 'no permission')),
    code: ConnectorErrorCodes.InvalidConfig,
    words: ['96005', 'no permission'],
  },
  {
    what: 'Xiaomi echoes the secrets back in its error description',
    xiaomi: tokenError(96003, `bad secret ${mockClientSecret} for code ${mockCode}`),
    code: ConnectorErrorCodes.InvalidConfig,
    words: ['96003', 'bad secret ***'],
  },
];

signInFaultTests(signInFaults);

describe('a callback that carries an error', () => {
  it('is refused without calling Xiaomi', async () => {
    const token = replyToken(mockTokenSuccess);
    const connector = await makeConnector();
    await connectorErrorOf(
      connector.getUserInfo({ error: '96012', state: 'state-123' }, sessionOf()),
    );
    expect(token.isDone()).toBe(false);
  });
});

const refreshFaults: RefreshFault[] = [
  [
    'a spent refresh token (96009)',
    tokenError(96009),
    ConnectorErrorCodes.SocialAccessTokenInvalid,
    '96009',
  ],
  [
    'a refused grant (96004)',
    tokenError(96004),
    ConnectorErrorCodes.SocialAccessTokenInvalid,
    '96004',
  ],
  ['a wrong secret (96003)', tokenError(96003), ConnectorErrorCodes.InvalidConfig, '96003'],
  [
    'an unregistered redirect URI (96010)',
    tokenError(96010),
    ConnectorErrorCodes.InvalidConfig,
    '96010',
  ],
];

describe('refresh failures', () => {
  refreshFaultTests(refreshFaults);
});
