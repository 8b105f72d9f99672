/**
 * The simulated Xiaomi in a process of its own, so that its CPU and memory are not the bench's.
 * Started by `simulator.ts` with an IPC channel. A `codes` request resets it (codes, tokens and the
 * call log would grow), mints fresh codes as a signed-in browser gets them (authorize with
 * `skip_confirm` and the account cookie) and sets the delay of every Xiaomi API call. In network
 * mode, a `link` request starts the link to it in this process too (`network/link.ts`), so that
 * the far side of the link is one process, and `rtt` sets the link's round trip.
 */
import { z } from 'zod';

import { defaultSimulatorApp, startXiaomiSimulator } from '../simulator/index.js';
import { accountCookie } from '../simulator/routes/authorize.js';

import { startLink, type Link } from './network/link.js';

const requestGuard = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('codes'),
    count: z.number().int().nonnegative(),
    scope: z.string(),
    delayMs: z.number().nonnegative(),
  }),
  z.object({ type: z.literal('cpu') }),
  z.object({
    type: z.literal('link'),
    keyPath: z.string(),
    certPath: z.string(),
    clients: z.number().int().positive(),
  }),
  z.object({ type: z.literal('rtt'), rttMs: z.number().nonnegative() }),
]);

const app = { ...defaultSimulatorApp, redirectUris: ['http://127.0.0.1:3000/callback'] };
const redirectUri = 'http://127.0.0.1:3000/callback/xiaomi-bench';
// Logto's official connector (1.2.5) requires union_id in the token answer.
const simulator = await startXiaomiSimulator({ apps: [app], tokenUnionId: true });
const accounts = simulator.accounts.map(({ userId }) => userId);

const cpuMicros = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

const mintOne = async (scope: string, userId: string) => {
  const url = new URL('/oauth2/authorize', simulator.baseUrl);
  url.search = new URLSearchParams({
    client_id: app.clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope,
    skip_confirm: 'true',
  }).toString();
  const response = await fetch(url, {
    redirect: 'manual',
    headers: { cookie: `${accountCookie}=${userId}` },
  });
  const code = new URL(response.headers.get('location') ?? '/', url).searchParams.get('code');
  if (!code) {
    throw new Error(`authorize answered HTTP ${response.status} without a code`);
  }
  return code;
};

/** Code i is for account i mod n, so the bench knows whose id each sign-in must return. */
const mint = async (count: number, scope: string) => {
  const codes: string[] = [];
  while (codes.length < count) {
    const start = codes.length;
    const chunk = Array.from({ length: Math.min(64, count - start) }, (_, index) =>
      mintOne(scope, accounts[(start + index) % accounts.length] ?? ''),
    );
    codes.push(...(await Promise.all(chunk)));
  }
  return codes;
};

let link: Link | undefined;

const answer = async (raw: unknown) => {
  const request = requestGuard.parse(raw);
  if (request.type === 'cpu') {
    return { type: 'cpu', cpuMicros: cpuMicros() };
  }
  if (request.type === 'link') {
    link ??= await startLink({ ...request, simulatorUrl: simulator.baseUrl });
    return { type: 'link', origins: link.origins, echo: link.echo };
  }
  if (request.type === 'rtt') {
    link?.setRttMs(request.rttMs);
    return { type: 'rtt' };
  }
  simulator.reset();
  const codes = await mint(request.count, request.scope);
  simulator.setFaults({ delayMs: request.delayMs });
  return { type: 'codes', codes, cpuMicros: cpuMicros() };
};

process.on('message', (raw: unknown) => {
  answer(raw).then(
    (reply) => process.send?.(reply),
    (error: unknown) => process.send?.({ type: 'error', message: String(error) }),
  );
});
// The bench went away: do not outlive it.
process.on('disconnect', () => process.exit(0));

process.send?.({
  type: 'ready',
  baseUrl: simulator.baseUrl,
  clientId: app.clientId,
  clientSecret: app.clientSecret,
  redirectUri,
  unionIds: simulator.accounts.map(({ unionId }) => unionId),
});
