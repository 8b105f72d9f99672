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

import {
  createHostileServer,
  openOnceSettled,
  streamHuge,
  type HostileServer,
} from './hostile-server.js';
import {
  answer,
  behave,
  configOf,
  connectorErrorOf,
  connectorFor,
  fake,
  leaksIn,
  profileData,
  signIn,
  tokenAnswer,
  tokenText,
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
const byAttempt = (one: XiaomiCall, other: XiaomiCall) => one.attempt - other.attempt;

describe('the open-API warm-up', () => {
  it('is a plain GET of / per connection, with only what fetch itself sends, on the open-API host only', async () => {
    // What a bare fetch of the same URL sends, from this process: the warm-up adds nothing to it.
    await (await fetch(`${openApi.url}/`)).text();
    const [bare] = warmUpsAt(openApi);
    const { connector: built, calls } = await connector({ config: configOf({ scope: '1 3 4 6' }) });

    await signIn(built);

    const sent = warmUpsAt(openApi).slice(1);
    expect(sent).toHaveLength(3);
    for (const warmUp of sent) {
      expect(warmUp.method).toBe('GET');
      expect([...warmUp.query]).toEqual([]);
      expect(warmUp.body).toBe('');
      expect(warmUp.headers).toEqual(bare?.headers);
      expect(leaksIn(JSON.stringify(warmUp))).toEqual([]);
    }
    expect(account.seen.map(({ path }) => path)).toEqual(['/oauth2/token']);
    expect(calls.filter(({ name }) => name === 'warmUp').sort(byAttempt)).toEqual(
      [1, 2, 3].map((attempt) => ({
        name: 'warmUp',
        method: 'GET',
        url: `${openApi.url}/`,
        status: 404,
        durationMs: expect.any(Number),
        attempt,
        outcome: 'ok',
      })),
    );
  });

  it.each([
    { scope: '1', paths: ['/user/profile'] },
    { scope: '1 3 4 6', paths: ['/user/openidV2', '/user/phoneAndEmail', '/user/profile'] },
  ])(
    'warms a connection per open-API call of scope $scope, each call then on one of them',
    async ({ scope, paths }) => {
      account.on('POST /oauth2/token', answer(tokenText({ ...tokenAnswer, scope })));
      const { connector: built, calls } = await connector({ config: configOf({ scope }) });

      await signIn(built);

      const warmed = warmUpsAt(openApi).map(({ clientPort }) => clientPort);
      const used = openApi.seen.filter(({ path }) => path !== '/');
      expect(used.map(({ path }) => path).sort()).toEqual(paths);
      // As many connections as calls: each opened by a warm-up, then used by one call.
      expect(openApi.connections()).toBe(paths.length);
      expect(new Set(warmed).size).toBe(paths.length);
      expect(used.map(({ clientPort }) => clientPort).sort()).toEqual(warmed.sort());
      // Nothing of the sign-in runs on: no request open, nothing more sent or told to onCall.
      const told = calls.length;
      expect(await openOnceSettled(openApi)).toBe(0);
      await sleep(200);
      expect(calls).toHaveLength(told);
      expect(openApi.seen).toHaveLength(2 * paths.length);
    },
  );

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
      expect(await openOnceSettled(openApi)).toBe(0);
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

  it.each([
    { scope: '1', warmUps: 1 },
    { scope: '1 3 4 6', warmUps: 3 },
  ])(
    'is sent only when the open-API host has been idle, all $warmUps of scope $scope',
    async ({ scope, warmUps }) => {
      account.on('POST /oauth2/token', answer(tokenText({ ...tokenAnswer, scope })));
      const { connector: built } = await connector({
        config: configOf({ scope }),
        warmUpAfterIdleMs: 300,
      });
      await signIn(built);
      await signIn(built);
      expect(warmUpsAt(openApi)).toHaveLength(warmUps);
      await sleep(400);
      await signIn(built);
      expect(warmUpsAt(openApi)).toHaveLength(2 * warmUps);
    },
  );
});
