/**
 * The open-API warm-up: while the code is exchanged, a plain GET of `/` opens the connection the
 * profile call then uses. It carries nothing of the sign-in, follows no redirect, reads a bounded
 * body, and whatever the open-API host does with it, the sign-in neither fails nor waits long.
 * Each test has an account host and an open-API host of its own: fresh connections, fresh idleness.
 */
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

import { ConnectorErrorCodes } from '@logto/connector-kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { warmUpWaitMs } from '../../src/constant.js';
import type { XiaomiCall } from '../../src/index.js';

import { createHostileServer, streamHuge, type HostileServer } from './hostile-server.js';
import {
  behave,
  configOf,
  connectorErrorOf,
  connectorFor,
  fake,
  leaksIn,
  profileData,
  signIn,
} from './xiaomi.js';

let account: HostileServer;
let openApi: HostileServer;
let elsewhere: HostileServer;

beforeEach(async () => {
  [account, openApi, elsewhere] = [
    createHostileServer(),
    createHostileServer(),
    createHostileServer(),
  ];
  for (const server of [account, openApi, elsewhere]) {
    await server.start();
    behave(server);
  }
});

afterEach(async () => {
  await Promise.all([account, openApi, elsewhere].map(async (server) => server.close()));
});

const connector = async (options: { config?: unknown; warmUpAfterIdleMs?: number } = {}) => {
  const calls: XiaomiCall[] = [];
  const built = await connectorFor(account, {
    openApiBaseUrl: openApi.url,
    warmUpAfterIdleMs: 0,
    onCall: (call) => calls.push(call),
    ...options,
  });
  return { connector: built, calls };
};

const warmUpsAt = (server: HostileServer) => server.seen.filter(({ path }) => path === '/');
const warmUpCall = (calls: XiaomiCall[]) => calls.find(({ name }) => name === 'warmUp');

/** Waits until the server has no request open, or gives up after a second. */
const closedAt = async (server: HostileServer) => {
  const started = performance.now();
  while (server.open() > 0 && performance.now() - started < 1000) {
    await sleep(5);
  }
  return server.open();
};

describe('the open-API warm-up', () => {
  it('is a plain GET of / with only what fetch itself sends, on the open-API host only', async () => {
    // What a bare fetch of the same URL sends, from this process: the warm-up adds nothing to it.
    await (await fetch(`${openApi.url}/`)).text();
    const [bare] = warmUpsAt(openApi);
    const { connector: built, calls } = await connector();

    await signIn(built);

    const [, sent] = warmUpsAt(openApi);
    expect(warmUpsAt(openApi)).toHaveLength(2);
    expect(sent?.method).toBe('GET');
    expect([...(sent?.query ?? [])]).toEqual([]);
    expect(sent?.body).toBe('');
    expect(sent?.headers).toEqual(bare?.headers);
    expect(leaksIn(JSON.stringify(sent))).toEqual([]);
    expect(account.seen.map(({ path }) => path)).toEqual(['/oauth2/token']);
    expect(warmUpCall(calls)).toEqual({
      name: 'warmUp',
      method: 'GET',
      url: `${openApi.url}/`,
      status: 404,
      durationMs: expect.any(Number),
      attempt: 1,
      outcome: 'ok',
    });
  });

  it('hands its connection to the profile call', async () => {
    const { connector: built } = await connector();
    await signIn(built);
    const [warmUp] = warmUpsAt(openApi);
    const profile = openApi.seen.find(({ path }) => path === '/user/profile');
    expect(profile?.clientPort).toBe(warmUp?.clientPort);
  });

  const redirect = ({ response }: { response: ServerResponse }) => {
    response.writeHead(302, { location: `${elsewhere.url}/` }).end('moved');
  };
  const huge = async ({ response }: { response: ServerResponse }) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    await streamHuge(response, { head: '<html>', tail: '</html>', total: 16 * 1024 * 1024 });
  };
  const trickle = ({ response }: { response: ServerResponse }) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    const timer = setInterval(() => response.write(' '), 50);
    response.on('close', () => clearInterval(timer));
  };
  const hang = () => undefined;
  const drop = ({ response }: { response: ServerResponse }) => {
    response.socket?.destroy();
  };

  it.each([
    { what: 'a redirect to another host', handler: redirect, outcome: 'ok', status: 302 },
    { what: 'a 16 MB page', handler: huge, outcome: 'too-large', status: 200 },
    { what: 'a body that never ends', handler: trickle, outcome: 'cut-short', status: 200 },
    { what: 'no answer at all', handler: hang, outcome: 'cut-short', status: undefined },
    { what: 'a dropped connection', handler: drop, outcome: /^[A-Z_]+$/, status: undefined },
  ])(
    'lets the sign-in through at once or after its short wait, on $what',
    async ({ handler, outcome, status }) => {
      openApi.on('GET /', handler);
      const { connector: built, calls } = await connector();

      const started = performance.now();
      const user = await signIn(built);

      expect(user.id).toBe(profileData.unionId);
      expect(performance.now() - started).toBeLessThan(warmUpWaitMs + 1000);
      expect(warmUpCall(calls)).toMatchObject({ outcome, status });
      expect(elsewhere.seen).toEqual([]);
      expect(await closedAt(openApi)).toBe(0);
    },
  );

  it('fails no sign-in when the open-API host is down: the profile call says so, at once', async () => {
    await openApi.close();
    const { connector: built, calls } = await connector();

    const started = performance.now();
    const error = await connectorErrorOf(signIn(built));

    expect(performance.now() - started).toBeLessThan(warmUpWaitMs);
    expect(error.code).toBe(ConnectorErrorCodes.General);
    expect(error.message).toContain('the profile API (user/profile)');
    expect(warmUpCall(calls)?.outcome).toBe('ECONNREFUSED');
  });

  // Logto's Console stores the switch as false once the form is saved, and not at all before.
  it.each([
    { what: 'without skipWarmUp', config: configOf() },
    { what: 'with skipWarmUp: false', config: configOf({ skipWarmUp: false }) },
  ])('is sent $what', async ({ config }) => {
    const { connector: built } = await connector({ config });
    await signIn(built);
    expect(warmUpsAt(openApi)).toHaveLength(1);
  });

  it.each([
    {
      what: 'when the config turns it off',
      run: async () => {
        const { connector: built } = await connector({
          config: configOf({ skipWarmUp: true }),
        });
        await signIn(built);
      },
    },
    {
      what: 'on a token refresh',
      run: async () => {
        const { connector: built } = await connector();
        await built.getAccessTokenByRefreshToken!(fake.refreshToken);
      },
    },
  ])('is not sent $what', async ({ run }) => {
    await run();
    expect(warmUpsAt(openApi)).toEqual([]);
  });

  it('is sent only when the open-API host has been idle', async () => {
    const { connector: built } = await connector({ warmUpAfterIdleMs: 300 });
    await signIn(built);
    await signIn(built);
    expect(warmUpsAt(openApi)).toHaveLength(1);
    await sleep(400);
    await signIn(built);
    expect(warmUpsAt(openApi)).toHaveLength(2);
  });
});
