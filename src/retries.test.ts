/**
 * Retries, the call log and the deadline: a GET is retried once on a 5xx or a network error, a
 * POST never; every attempt is told to onCall; every call ends within its deadline.
 */
import { ConnectorErrorCodes } from '@logto/connector-kit';
import { describe, expect, it, vi } from 'vitest';

import type { XiaomiCall } from './index.js';
import {
  connectorErrorOf,
  makeConnector,
  mockCallback,
  mockConfig,
  mockProfileData,
  mockSecrets,
  mockTokenSuccess,
  openApiError,
  openApiOk,
  openApiScope,
  replyProfile,
  replyToken,
  sessionOf,
  tokenScope,
  useNock,
  xiaomiTokenBody,
} from './mock.js';

useNock();

describe('retries', () => {
  it('never retries the code exchange: a code is single-use', async () => {
    const first = tokenScope().post('/oauth2/token').reply(503, 'busy');
    const second = replyToken(mockTokenSuccess);
    const connector = await makeConnector();
    const error = await connectorErrorOf(connector.getUserInfo(mockCallback, sessionOf()));
    expect(error.code).toBe(ConnectorErrorCodes.General);
    expect(first.isDone()).toBe(true);
    expect(second.isDone()).toBe(false);
  });

  it.each([
    {
      what: 'a 502',
      fail: () => openApiScope().get('/user/profile').query(true).reply(502, 'bad gateway'),
    },
    {
      what: 'a network error',
      fail: () =>
        openApiScope().get('/user/profile').query(true).replyWithError({ code: 'ECONNRESET' }),
    },
  ])('retries the profile read once after $what and signs in', async ({ fail }) => {
    replyToken(mockTokenSuccess);
    fail();
    replyProfile(mockProfileData);
    const connector = await makeConnector();
    const user = await connector.getUserInfo(mockCallback, sessionOf());
    expect(user.id).toBe(mockProfileData.unionId);
  });

  it('reports the 502 Xiaomi gave when the retry gets no answer at all', async () => {
    replyToken(mockTokenSuccess);
    openApiScope().get('/user/profile').query(true).reply(502, '<html>bad gateway</html>');
    openApiScope().get('/user/profile').query(true).replyWithError({ code: 'ECONNRESET' });
    const connector = await makeConnector();
    const error = await connectorErrorOf(connector.getUserInfo(mockCallback, sessionOf()));
    expect(error.code).toBe(ConnectorErrorCodes.General);
    expect(error.message).toContain('HTTP 502');
  });

  it('does not retry an answered Xiaomi error', async () => {
    replyToken(mockTokenSuccess);
    openApiScope().get('/user/profile').query(true).reply(200, openApiError(96008));
    const second = replyProfile(mockProfileData);
    const connector = await makeConnector();
    await connectorErrorOf(connector.getUserInfo(mockCallback, sessionOf()));
    expect(second.isDone()).toBe(false);
  });
});

describe('the call log (onCall)', () => {
  it('tells each attempt with its outcome, and never a secret', async () => {
    replyToken(mockTokenSuccess);
    openApiScope().get('/user/profile').query(true).reply(502, '<html>bad</html>');
    replyProfile(mockProfileData);
    const calls: XiaomiCall[] = [];
    // Only Xiaomi's API calls: the open-API warm-up has tests of its own (test/hostile).
    const connector = await makeConnector(
      { ...mockConfig, skipWarmUp: true },
      { onCall: (call) => calls.push(call) },
    );
    await connector.getUserInfo(mockCallback, sessionOf());
    expect(
      calls.map(({ name, status, attempt, outcome }) => ({ name, status, attempt, outcome })),
    ).toEqual([
      { name: 'token', status: 200, attempt: 1, outcome: 'ok' },
      { name: 'profile', status: 502, attempt: 1, outcome: 'http-status' },
      { name: 'profile', status: 200, attempt: 2, outcome: 'ok' },
    ]);
    expect(calls[1]?.url).toBe(
      'https://open.account.xiaomi.com/user/profile?clientId=2882303761517000000&token=***',
    );
    for (const secret of mockSecrets) {
      expect(JSON.stringify(calls)).not.toContain(secret);
    }
  });

  it('names the Xiaomi error code of a refused call', async () => {
    replyToken({ error: 96003, error_description: 'xiaomi says no' });
    const calls: XiaomiCall[] = [];
    const connector = await makeConnector(mockConfig, { onCall: (call) => calls.push(call) });
    await connectorErrorOf(connector.getUserInfo(mockCallback, sessionOf()));
    expect(calls).toMatchObject([{ name: 'token', method: 'POST', outcome: 'Xiaomi error 96003' }]);
  });

  it('survives an observer that throws', async () => {
    replyToken(mockTokenSuccess);
    replyProfile(mockProfileData);
    const connector = await makeConnector(mockConfig, {
      onCall: () => {
        throw new Error('observer broke');
      },
    });
    const user = await connector.getUserInfo(mockCallback, sessionOf());
    expect(user.id).toBe(mockProfileData.unionId);
  });
});

describe('a hanging Xiaomi', () => {
  it('ends the code exchange in a ConnectorError within the timeout', async () => {
    tokenScope().post('/oauth2/token').delay(10_000).reply(200, xiaomiTokenBody(mockTokenSuccess));
    const connector = await makeConnector(mockConfig, { timeoutMs: 300 });
    const started = Date.now();
    const error = await connectorErrorOf(connector.getUserInfo(mockCallback, sessionOf()));
    const took = Date.now() - started;
    expect(error.code).toBe(ConnectorErrorCodes.General);
    expect(error.message).toContain('within 300 ms');
    expect(took).toBeLessThan(1000);
  });

  it('bounds a whole sign-in by two timeouts, even when the profile read retries', async () => {
    tokenScope().post('/oauth2/token').delay(250).reply(200, xiaomiTokenBody(mockTokenSuccess));
    openApiScope().get('/user/profile').query(true).delay(200).reply(502, 'bad');
    openApiScope().get('/user/profile').query(true).delay(10_000).reply(200, openApiOk({}));
    const connector = await makeConnector(mockConfig, { timeoutMs: 300 });
    const started = Date.now();
    const error = await connectorErrorOf(connector.getUserInfo(mockCallback, sessionOf()));
    const took = Date.now() - started;
    expect(error.code).toBe(ConnectorErrorCodes.General);
    expect(error.message).toContain('profile');
    expect(took).toBeLessThan(2 * 300 + 300);
  });

  it('keeps the default deadline at 5 s', async () => {
    // Fake timers: the deadline is a setTimeout, so five seconds pass without waiting for them.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      tokenScope().post('/oauth2/token').delay(60_000).reply(200, '');
      const connector = await makeConnector();
      let settled = false;
      const failed = connectorErrorOf(connector.getUserInfo(mockCallback, sessionOf())).finally(
        () => {
          settled = true;
        },
      );
      await vi.advanceTimersByTimeAsync(4999);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      const error = await failed;
      expect(error.code).toBe(ConnectorErrorCodes.General);
      expect(error.message).toContain('within 5000 ms');
    } finally {
      vi.useRealTimers();
    }
  });
});
