/**
 * An upstream that quotes back what it was sent. Every secret the connector knows at that point
 * (client secret, code, refresh token, access token, mac key) is redacted from every call's
 * quoted text, raw and percent- or form-encoded, and the call log carries none of them either.
 */
import { describe, expect, it } from 'vitest';

import type { XiaomiCall } from '../../src/index.js';
import { type Exchange } from './hostile-server.js';
import {
  allSecrets,
  answer,
  configOf,
  connectorErrorOf,
  connectorFor,
  fake,
  formsOf,
  leaksIn,
  signIn,
  tokenAnswer,
  tokenText,
  useHostileXiaomi,
} from './xiaomi.js';

const xiaomi = useHostileXiaomi();

/** Every form of every secret, then what the request itself carried (its query or form). */
const echo = ({ body, query }: Pick<Exchange, 'body' | 'query'>) =>
  `you sent ${body} ${query.toString()} ${allSecrets.flatMap(formsOf).join(' ')}`;

const tokenEcho = (status: number) => (exchange: Exchange) => {
  exchange.response.writeHead(status);
  exchange.response.end(
    tokenText({ error: 96003, error_description: echo(exchange), ...tokenAnswer }),
  );
};

const openApiEcho = (status: number) => (exchange: Exchange) => {
  exchange.response.writeHead(status);
  exchange.response.end(
    JSON.stringify({ result: 'error', code: 96008, description: echo(exchange) }),
  );
};

type Row = { what: string; setUp: () => void; refresh?: boolean };

const rows: Row[] = [
  { what: 'the code exchange (200)', setUp: () => xiaomi.on('POST /oauth2/token', tokenEcho(200)) },
  { what: 'the code exchange (400)', setUp: () => xiaomi.on('POST /oauth2/token', tokenEcho(400)) },
  {
    what: 'the refresh',
    setUp: () => xiaomi.on('POST /oauth2/token', tokenEcho(400)),
    refresh: true,
  },
  { what: 'the profile API (200)', setUp: () => xiaomi.on('GET /user/profile', openApiEcho(200)) },
  { what: 'the profile API (401)', setUp: () => xiaomi.on('GET /user/profile', openApiEcho(401)) },
  {
    what: 'the code exchange, quoting secrets as the error code',
    setUp: () =>
      xiaomi.on('POST /oauth2/token', ({ response, body }) => {
        response.end(tokenText({ error: `${body} ${fake.clientSecret}` }));
      }),
  },
  {
    what: 'the profile API, quoting secrets as the error code',
    setUp: () =>
      xiaomi.on('GET /user/profile', ({ response, query }) => {
        response.end(
          JSON.stringify({ result: 'error', code: `${query.toString()} ${fake.macKey}` }),
        );
      }),
  },
];

describe('secrets echoed by Xiaomi', () => {
  it.each(rows)('are redacted from $what', async ({ setUp, refresh }) => {
    setUp();
    const calls: XiaomiCall[] = [];
    const connector = await connectorFor(xiaomi, { onCall: (call) => calls.push(call) });
    const error = await connectorErrorOf(
      refresh ? connector.getAccessTokenByRefreshToken!(fake.refreshToken) : signIn(connector),
    );
    expect(error.message).toContain('***');
    expect(leaksIn(error.message)).toEqual([]);
    expect(leaksIn(JSON.stringify(error.data))).toEqual([]);
    expect(leaksIn(JSON.stringify(calls))).toEqual([]);
    expect(calls.length).toBeGreaterThan(0);
  });

  it('never reports the access token in the call log, not even in the profile URL', async () => {
    xiaomi.on('POST /oauth2/token', answer(tokenText({ ...tokenAnswer, scope: '1 3 4 6' })));
    const calls: XiaomiCall[] = [];
    await signIn(
      await connectorFor(xiaomi, {
        config: configOf({ scope: '1 3 4 6' }),
        onCall: (call) => calls.push(call),
      }),
    );
    expect(calls.map(({ name }) => name).sort()).toEqual([
      'openid',
      'phoneAndEmail',
      'profile',
      'token',
    ]);
    expect(leaksIn(JSON.stringify(calls))).toEqual([]);
    expect(calls.find(({ name }) => name === 'profile')?.url).toMatch(/[?&]token=\*\*\*$/);
  });
});

describe('the callback’s error_description', () => {
  it('is cut short like every other quoted text', async () => {
    const connector = await connectorFor(xiaomi);
    const error = await connectorErrorOf(
      connector.getUserInfo(
        { error: '96012', error_description: 'x'.repeat(5000), redirectUri: fake.redirectUri },
        async () => ({}),
      ),
    );
    expect(error.message.length).toBeLessThan(600);
    expect(JSON.stringify(error.data).length).toBeLessThan(1200);
  });
});
