/**
 * Answers broken below Xiaomi's error codes: a callback with neither code nor error, error pages,
 * empty or truncated bodies, answers of the wrong shape, a Xiaomi that cannot be reached. Each
 * ends a sign-in or a refresh in the right ConnectorError, with no secret; so does a broken config.
 */
import { ConnectorErrorCodes } from '@logto/connector-kit';
import { describe, expect, it } from 'vitest';

import {
  connectorErrorOf,
  makeConnector,
  mockAccessToken,
  mockCallback,
  mockConfig,
  mockMacKey,
  mockRedirectUri,
  mockRefreshToken,
  mockTokenSuccess,
  openApiOk,
  openApiScope,
  profileAnswer,
  refreshFaultTests,
  replyToken,
  sessionOf,
  signInFaultTests,
  tokenScope,
  useNock,
  type RefreshFault,
  type SignInFault,
} from './mock.js';

useNock();

const signInFaults: SignInFault[] = [
  {
    what: 'the callback has neither code nor error',
    callback: { state: 'state-123' },
    xiaomi: () => undefined,
    code: ConnectorErrorCodes.InvalidResponse,
    words: ['neither', 'code'],
  },
  {
    what: 'the token endpoint answers 502 with an HTML page',
    xiaomi: () => {
      tokenScope().post('/oauth2/token').reply(502, '<html><body>Bad Gateway</body></html>');
    },
    code: ConnectorErrorCodes.General,
    words: ['HTTP 502', 'try again later'],
  },
  {
    what: 'the token endpoint answers 200 with an HTML page',
    xiaomi: () => {
      tokenScope().post('/oauth2/token').reply(200, '<!doctype html><p>maintenance</p>');
    },
    code: ConnectorErrorCodes.InvalidResponse,
    words: ['HTTP 200', 'HTML'],
  },
  {
    what: 'the token endpoint answers an empty body',
    xiaomi: () => {
      tokenScope().post('/oauth2/token').reply(200, '');
    },
    code: ConnectorErrorCodes.InvalidResponse,
    words: ['empty'],
  },
  {
    what: 'the token answer is only the prefix',
    xiaomi: () => {
      tokenScope().post('/oauth2/token').reply(200, '&&&START&&&');
    },
    code: ConnectorErrorCodes.InvalidResponse,
    words: ['empty'],
  },
  {
    what: 'the token answer is truncated JSON carrying the token',
    xiaomi: () => {
      tokenScope()
        .post('/oauth2/token')
        .reply(200, `&&&START&&&{"access_token":"${mockAccessToken}","mac_key":"${mockMacKey}`);
    },
    code: ConnectorErrorCodes.InvalidResponse,
    words: ['not valid JSON'],
  },
  {
    what: 'the token answer has access_token as a number',
    xiaomi: () => {
      replyToken({ ...mockTokenSuccess, access_token: 12 });
    },
    code: ConnectorErrorCodes.InvalidResponse,
    words: ['access_token'],
  },
  {
    what: 'the token answer has no access_token',
    xiaomi: () => {
      replyToken({ expires_in: 1 });
    },
    code: ConnectorErrorCodes.InvalidResponse,
    words: ['access_token'],
  },
  {
    what: 'the profile has no unionId',
    xiaomi: profileAnswer(200, openApiOk({ miliaoNick: 'x' })),
    code: ConnectorErrorCodes.InvalidResponse,
    words: ['unionId'],
  },
  {
    what: 'the profile has an empty unionId',
    xiaomi: profileAnswer(200, openApiOk({ unionId: '' })),
    code: ConnectorErrorCodes.InvalidResponse,
    words: ['unionId'],
  },
  {
    what: 'the profile API answers 500 twice',
    xiaomi: () => {
      replyToken(mockTokenSuccess);
      openApiScope().get('/user/profile').query(true).times(2).reply(500, 'oops');
    },
    code: ConnectorErrorCodes.General,
    words: ['HTTP 500', 'profile'],
  },
  {
    what: 'the profile API answers 404 with HTML',
    xiaomi: profileAnswer(404, '<html>not found</html>'),
    code: ConnectorErrorCodes.InvalidResponse,
    words: ['HTTP 404'],
  },
  {
    what: 'the profile API answers a JSON array',
    xiaomi: profileAnswer(200, '[1,2]'),
    code: ConnectorErrorCodes.InvalidResponse,
    words: ['JSON object'],
  },
  {
    what: 'the profile API answers result "ok" without data',
    xiaomi: profileAnswer(200, { result: 'ok', code: 0 }),
    code: ConnectorErrorCodes.InvalidResponse,
    words: ['profile'],
  },
  {
    what: 'the token endpoint cannot be reached',
    xiaomi: () => {
      tokenScope().post('/oauth2/token').replyWithError({ code: 'ECONNREFUSED' });
    },
    code: ConnectorErrorCodes.General,
    words: ['could not be reached', 'ms'],
  },
  {
    what: 'the profile API cannot be reached twice',
    xiaomi: () => {
      replyToken(mockTokenSuccess);
      openApiScope()
        .get('/user/profile')
        .query(true)
        .times(2)
        .replyWithError({ code: 'ECONNRESET' });
    },
    code: ConnectorErrorCodes.General,
    words: ['could not be reached', 'ECONNRESET'],
  },
];

signInFaultTests(signInFaults);

const refreshFaults: RefreshFault[] = [
  [
    'a 502 page',
    () => tokenScope().post('/oauth2/token').reply(502, '<html>bad</html>'),
    ConnectorErrorCodes.General,
    'HTTP 502',
  ],
  [
    'a truncated answer',
    () => tokenScope().post('/oauth2/token').reply(200, '&&&START&&&{"access'),
    ConnectorErrorCodes.InvalidResponse,
    'JSON',
  ],
  [
    'an unreachable Xiaomi',
    () => tokenScope().post('/oauth2/token').replyWithError({ code: 'ECONNREFUSED' }),
    ConnectorErrorCodes.General,
    'could not be reached',
  ],
];

describe('refresh failures', () => {
  refreshFaultTests(refreshFaults);

  it('names redirectUri when the config lacks it, before calling Xiaomi', async () => {
    const token = replyToken(mockTokenSuccess);
    const connector = await makeConnector(mockConfig);
    const error = await connectorErrorOf(connector.getAccessTokenByRefreshToken!(mockRefreshToken));
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(error.message).toContain('redirectUri');
    // The same words as the Console and the form item: what to copy, and where to.
    expect(error.data).toMatchObject({
      errorDescription: expect.stringContaining(
        'copy the "Redirect URI (Callback URI)" into the field "Redirect URI shown above (for token refresh)"',
      ),
    });
    expect(token.isDone()).toBe(false);
  });

  it('fails on a broken stored config from every method', async () => {
    const connector = await makeConnector({ clientId: '1' });
    const errors = await Promise.all([
      connectorErrorOf(
        connector.getAuthorizationUri(
          {
            state: 's',
            redirectUri: mockRedirectUri,
            connectorId: 'c',
            connectorFactoryId: 'xiaomi-universal',
            jti: 'j',
            headers: {},
          },
          async () => undefined,
        ),
      ),
      connectorErrorOf(connector.getUserInfo(mockCallback, sessionOf())),
      connectorErrorOf(connector.getTokenResponseAndUserInfo!(mockCallback, sessionOf())),
      connectorErrorOf(connector.getAccessTokenByRefreshToken!(mockRefreshToken)),
    ]);
    for (const error of errors) {
      expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
      expect(error.message).toContain('clientSecret');
    }
  });
});
