import { ConnectorErrorCodes } from '@logto/connector-kit';
import { describe, expect, it } from 'vitest';

import {
  mockAccessToken,
  mockCallback,
  mockClientSecret,
  mockCode,
  mockConfig,
  mockMacKey,
  mockRedirectUri,
  mockRefreshToken,
  mockSecrets,
  mockTokenSuccess,
  openApiError,
  openApiOk,
  connectorErrorOf,
  makeConnector,
  openApiScope,
  replyToken,
  sessionOf,
  tokenScope,
  useNock,
} from './mock.js';

useNock();

const secrets = mockSecrets;

const expectNoSecret = (text: string) => {
  for (const secret of secrets) {
    expect(text).not.toContain(secret);
  }
};

type Row = {
  what: string;
  /** Sets up nock as Xiaomi (or the network) behaves. */
  xiaomi: () => void;
  code: ConnectorErrorCodes;
  words: string[];
  callback?: Record<string, unknown>;
};

const tokenError =
  (error: number | string, description = 'xiaomi says no') =>
  () => {
    replyToken({ error, error_description: description });
  };

const profileAnswer = (status: number, body: string | Record<string, unknown>) => () => {
  replyToken(mockTokenSuccess);
  openApiScope().get('/user/profile').query(true).reply(status, body);
};

const signInRows: Row[] = [
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
    what: 'the callback has neither code nor error',
    callback: { state: 'state-123' },
    xiaomi: () => undefined,
    code: ConnectorErrorCodes.InvalidResponse,
    words: ['neither', 'code'],
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
  {
    what: 'Xiaomi echoes the secrets back in its error description',
    xiaomi: tokenError(96003, `bad secret ${mockClientSecret} for code ${mockCode}`),
    code: ConnectorErrorCodes.InvalidConfig,
    words: ['96003', 'bad secret ***'],
  },
];

describe.each(['getUserInfo', 'getTokenResponseAndUserInfo'] as const)(
  'every sign-in failure becomes the right ConnectorError, through %s',
  (method) => {
    it.each(signInRows)('$what', async ({ xiaomi, callback, code, words }) => {
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

describe('refresh failures', () => {
  const refreshConfig = { ...mockConfig, redirectUri: mockRedirectUri };
  const rows: Array<[string, () => void, ConnectorErrorCodes, string]> = [
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

  it.each(rows)('%s', async (_, xiaomi, code, word) => {
    xiaomi();
    const connector = await makeConnector(refreshConfig);
    const error = await connectorErrorOf(connector.getAccessTokenByRefreshToken!(mockRefreshToken));
    expect(error.code).toBe(code);
    expect(error.message).toContain(word);
    expect(error.message).toContain('refresh');
    expectNoSecret(error.message);
  });

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
