import { ConnectorError } from '@logto/connector-kit';
import fc from 'fast-check';
import nock from 'nock';
import { describe, expect, it } from 'vitest';

import {
  mockAccessToken,
  mockCallback,
  mockConfig,
  mockClientSecret,
  mockCode,
  mockMacKey,
  mockRefreshToken,
  mockSecrets,
  mockTokenSuccess,
  mockUnionId,
  makeConnector,
  openApiScope,
  sessionOf,
  tokenScope,
  useNock,
} from './mock.js';

useNock();

const secrets = mockSecrets;

/** Text that quotes secrets the connector knows at that point, as an echoing server would. */
const echoOf = (...known: string[]) =>
  fc
    .tuple(fc.string({ maxLength: 8 }), fc.constantFrom(...known), fc.string({ maxLength: 8 }))
    .map((parts) => parts.join(''));

/** Any JSON value, or one of the types Xiaomi's fields are not. */
const wrongValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constant(null),
  fc.integer(),
  fc.string({ maxLength: 2000 }),
);

const errorCode = fc.oneof(
  fc.integer({ min: 96_001, max: 96_013 }),
  fc.integer({ min: 96_001, max: 96_013 }).map(String),
  fc.constantFrom('access_denied', 'invalid_grant', 'OA_INVALID_CLIENT', 'weird'),
  wrongValue,
);

const junk = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.constant(''),
  fc.constant('<html><body>502 Bad Gateway</body></html>'),
  fc.string({ minLength: 50_000, maxLength: 60_000 }),
  fc.constant('null'),
  fc.constant('[]'),
  fc.constant('"a string"'),
  fc.constant('12'),
);

const withPrefix = (body: fc.Arbitrary<string>) =>
  fc
    .tuple(fc.constantFrom('', '&&&START&&&', '&&&START&&& ', '&&&START&&&\r\n\t'), body)
    .map(([prefix, text]) => prefix + text);

const truncated = (json: unknown) =>
  fc
    .integer({ min: 0, max: JSON.stringify(json).length - 1 })
    .map((length) => JSON.stringify(json).slice(0, length));

const tokenBodyFor = (echo: fc.Arbitrary<string>) =>
  withPrefix(
    fc.oneof(
      fc.constant(JSON.stringify(mockTokenSuccess)),
      fc
        .record(
          {
            access_token: fc.oneof(fc.constant(mockAccessToken), wrongValue),
            expires_in: wrongValue,
            refresh_token: fc.constant(mockRefreshToken),
            scope: fc.oneof(fc.constantFrom('1', '1 3', '1 3 4 6', '1,4'), wrongValue),
            mac_key: fc.constant(mockMacKey),
            openId: wrongValue,
            union_id: wrongValue,
          },
          { requiredKeys: ['refresh_token', 'mac_key'] },
        )
        .map((value) => JSON.stringify(value)),
      fc
        .record(
          {
            error: errorCode,
            error_description: fc.oneof(echo, wrongValue),
            access_token: fc.constant(mockAccessToken),
            refresh_token: fc.constant(mockRefreshToken),
            mac_key: fc.constant(mockMacKey),
          },
          { requiredKeys: ['error', 'error_description'] },
        )
        .map((value) => JSON.stringify(value)),
      truncated(mockTokenSuccess),
      junk,
    ),
  );

const tokenBody = tokenBodyFor(echoOf(mockClientSecret, mockCode));
const refreshBody = tokenBodyFor(echoOf(mockClientSecret, mockRefreshToken));

const profileData = fc.oneof(
  fc.record({
    unionId: fc.oneof(fc.constant(mockUnionId), wrongValue),
    miliaoNick: wrongValue,
    miliaoIcon: wrongValue,
    miliaoIcon_orig: wrongValue,
    userId: wrongValue,
  }),
  wrongValue,
);

const openApiBody = withPrefix(
  fc.oneof(
    fc
      .record({ result: fc.constant('ok'), code: fc.constant(0), data: profileData })
      .map((value) => JSON.stringify(value)),
    fc
      .record(
        {
          result: fc.oneof(fc.constantFrom('error', 'ok'), wrongValue),
          code: errorCode,
          description: fc.oneof(echoOf(mockAccessToken), wrongValue),
          data: fc.oneof(
            profileData,
            fc.record({ openid: wrongValue, phone: wrongValue, email: wrongValue }),
          ),
        },
        { requiredKeys: [] },
      )
      .map((value) => JSON.stringify(value)),
    junk,
  ),
);

const status = fc.oneof(
  fc.constant(200),
  fc.constantFrom(200, 201, 204, 301, 400, 401, 403, 404, 429, 500, 502, 503),
  fc.integer({ min: 200, max: 599 }),
);

const answer = fc.record({ status, body: fc.oneof(tokenBody, openApiBody) });

const expectSafe = (text: string) => {
  for (const secret of secrets) {
    expect(text).not.toContain(secret);
  }
};

describe('whatever Xiaomi answers', () => {
  it('ends in a user with an id or a ConnectorError, and never leaks a secret', async () => {
    const connector = await makeConnector({ ...mockConfig, scope: '1 3 4 6' });
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          token: fc.record({ status, body: tokenBody }),
          openApi: fc.array(answer, { minLength: 3, maxLength: 6 }),
        }),
        async ({ token, openApi }) => {
          nock.cleanAll();
          tokenScope().post('/oauth2/token').reply(token.status, token.body);
          for (const path of ['/user/profile', '/user/openidV2', '/user/phoneAndEmail']) {
            for (const { status: code, body } of openApi.slice(0, 2)) {
              openApiScope().get(path).query(true).reply(code, body);
            }
          }
          try {
            const { userInfo, tokenResponse } = await connector.getTokenResponseAndUserInfo!(
              mockCallback,
              sessionOf(),
            );
            expect(userInfo.id.length).toBeGreaterThan(0);
            expectSafe(JSON.stringify(userInfo));
            expect(JSON.stringify(tokenResponse)).not.toContain(mockMacKey);
          } catch (error: unknown) {
            expect(error).toBeInstanceOf(ConnectorError);
            if (error instanceof ConnectorError) {
              expectSafe(error.message);
              expectSafe(JSON.stringify(error.data));
              expect(error.message.length).toBeLessThan(2000);
            }
          }
        },
      ),
      { seed: 20_261_121, numRuns: 300 },
    );
  });

  it('ends a refresh in a token set or a ConnectorError, and never leaks a secret', async () => {
    const connector = await makeConnector({
      clientId: '2882303761517000000',
      clientSecret: mockClientSecret,
      redirectUri: 'https://logto.example.com/callback/x',
    });
    await fc.assert(
      fc.asyncProperty(fc.record({ status, body: refreshBody }), async ({ status: code, body }) => {
        nock.cleanAll();
        tokenScope().post('/oauth2/token').reply(code, body);
        try {
          const tokens = await connector.getAccessTokenByRefreshToken!(mockRefreshToken);
          expect(tokens.access_token?.trim()).toBeTruthy();
          expect(JSON.stringify(tokens)).not.toContain(mockMacKey);
        } catch (error: unknown) {
          expect(error).toBeInstanceOf(ConnectorError);
          if (error instanceof ConnectorError) {
            expectSafe(error.message);
          }
        }
      }),
      { seed: 1121, numRuns: 300 },
    );
  });
});
