/**
 * A Xiaomi that never finishes answering. ky 1.x's `timeout` stops at the response headers; the
 * connector's deadline per call also covers the retry and reading the body, so a sign-in against
 * a Xiaomi that never answers ends within two deadlines (its token call, then its open-API calls).
 */
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

import { ConnectorErrorCodes } from '@logto/connector-kit';
import { describe, expect, it } from 'vitest';

import {
  answer,
  connectorErrorOf,
  connectorFor,
  signIn,
  tokenAnswer,
  tokenText,
  useHostileXiaomi,
} from './xiaomi.js';

const xiaomi = useHostileXiaomi();

/** Headers at once, then one byte now and then, for as long as the client listens. */
const trickleWith =
  (status: number, start: string) =>
  ({ response }: { response: ServerResponse }) => {
    response.writeHead(status, { 'content-type': 'text/plain' });
    response.write(start);
    const timer = setInterval(() => response.write('a'), 50);
    response.on('close', () => clearInterval(timer));
  };

const trickle = trickleWith(200, '&&&START&&&{"access_token":"');

const hang = () => undefined;

const timed = async <T>(run: () => Promise<T>) => {
  const started = performance.now();
  const result = await run();
  return { result, ms: performance.now() - started };
};

describe('a Xiaomi that never finishes', () => {
  it.each([
    { what: 'a token answer whose body never ends', route: 'POST /oauth2/token', handler: trickle },
    { what: 'a profile whose body never ends', route: 'GET /user/profile', handler: trickle },
    { what: 'a token call never answered', route: 'POST /oauth2/token', handler: hang },
    { what: 'a profile call never answered', route: 'GET /user/profile', handler: hang },
  ])('$what ends within the deadline', async ({ route, handler }) => {
    xiaomi.on(route, handler);
    const connector = await connectorFor(xiaomi, { timeoutMs: 400 });
    const { result: error, ms } = await timed(async () => connectorErrorOf(signIn(connector)));
    expect(error.code).toBe(ConnectorErrorCodes.General);
    expect(error.message).toContain('within 400 ms');
    expect(ms).toBeLessThan(2 * 400 + 400);
  });

  it('lets go of a body cut off at the deadline: the connection closes', async () => {
    let closedAfterMs: number | undefined;
    const started = performance.now();
    xiaomi.on('GET /user/profile', (exchange) => {
      trickle(exchange);
      exchange.response.on('close', () => {
        closedAfterMs = performance.now() - started;
      });
    });
    const connector = await connectorFor(xiaomi, { timeoutMs: 400 });
    await connectorErrorOf(signIn(connector));
    await sleep(200);
    expect(closedAfterMs).toBeDefined();
    expect(closedAfterMs).toBeLessThan(400 + 400);
  });

  it('lets go of a retry that answers after the deadline: the connection closes', async () => {
    // The first profile call fails late; its retry answers after the call has ended, and its body
    // would trickle for as long as anyone reads it.
    let closedAfterMs: number | undefined;
    let profileCalls = 0;
    const started = performance.now();
    xiaomi.on('GET /user/profile', async (exchange) => {
      profileCalls += 1;
      if (profileCalls === 1) {
        await sleep(250);
        answer('bad gateway', 502)(exchange);
        return;
      }
      // Watched from the start: the connector may close the connection before the answer comes.
      exchange.response.on('close', () => {
        closedAfterMs = performance.now() - started;
      });
      await sleep(250);
      trickle(exchange);
    });
    const connector = await connectorFor(xiaomi, { timeoutMs: 400 });
    const { result: error, ms } = await timed(async () => connectorErrorOf(signIn(connector)));
    expect(error.message).toContain('within 400 ms');
    expect(ms).toBeLessThan(400 + 300);
    await sleep(600);
    expect(profileCalls).toBe(2);
    expect(closedAfterMs).toBeDefined();
    expect(closedAfterMs).toBeLessThan(250 + 250 + 400);
  });

  it('sends no retry once the deadline has passed while the failed answer was read', async () => {
    let profileCalls = 0;
    xiaomi.on('GET /user/profile', (exchange) => {
      profileCalls += 1;
      // A 502 whose body never ends: reading it for the call log runs into the deadline.
      trickleWith(502, 'bad')(exchange);
    });
    const connector = await connectorFor(xiaomi, { timeoutMs: 400 });
    const { result: error, ms } = await timed(async () => connectorErrorOf(signIn(connector)));
    expect(error.message).toContain('within 400 ms');
    expect(ms).toBeLessThan(400 + 300);
    await sleep(300);
    expect(profileCalls).toBe(1);
  });

  // A profile that fails, then never answers its retry: after a token answer at once, and after
  // one just inside its deadline, the slowest sign-in there is. (The default deadline, 5 s, is
  // checked with fake timers in src/retries.test.ts.)
  it.each([
    { what: 'a token answer at once', tokenDelayMs: 0 },
    { what: 'a token answer just inside its deadline', tokenDelayMs: 300 },
  ])(
    'after $what, a profile that fails and whose retry never answers ends within the same deadline',
    async ({ tokenDelayMs }) => {
      let profileCalls = 0;
      xiaomi.on('POST /oauth2/token', async (exchange) => {
        await sleep(tokenDelayMs);
        answer(tokenText(tokenAnswer))(exchange);
      });
      xiaomi.on('GET /user/profile', (exchange) => {
        profileCalls += 1;
        if (profileCalls === 1) {
          answer('bad gateway', 502)(exchange);
        }
      });
      const connector = await connectorFor(xiaomi, { timeoutMs: 400 });
      const { result: error, ms } = await timed(async () => connectorErrorOf(signIn(connector)));
      expect(error.message).toContain('within 400 ms');
      expect(profileCalls).toBe(2);
      expect(ms).toBeGreaterThan(tokenDelayMs + 400 - 50);
      expect(ms).toBeLessThan(tokenDelayMs + 400 + 300);
    },
  );
});
