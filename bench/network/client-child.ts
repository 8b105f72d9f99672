/**
 * The process that signs in, over real TLS: started by `client-process.ts` with the run's
 * throwaway CA in NODE_EXTRA_CA_CERTS, so that Node's fetch trusts the two loopback hosts as it
 * trusts Xiaomi's. The connector is installed in a Logto-like folder (so it runs on Logto's ky
 * 1.2.3), loaded by Logto's loader and pointed at the hosts with `createXiaomiConnector`; the
 * minimal ky client runs on the same ky. Each sign-in is timed here, around the call alone, and
 * the round trip is pinged from here too.
 */
import { z } from 'zod';

import { loadXiaomiConnector } from '../../playground/connector.js';
import { extrasScope, minimalKy, packages, signInWith, type SignIn } from '../clients.js';
import { createLogtoFolder } from '../logto-folder.js';

import { measureRttMs } from './ping.js';

export const clientSpecGuard = z.object({
  name: z.string(),
  kind: z.enum(['minimal ky', 'connector']),
  scope: z.string(),
  /** The connector's config key; absent as in a config stored before it existed. */
  skipWarmUp: z.boolean().optional(),
  accountBaseUrl: z.string(),
  openApiBaseUrl: z.string(),
});

export type ClientSpec = z.infer<typeof clientSpecGuard>;

const requestGuard = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('setup'),
    clients: z.array(clientSpecGuard),
    clientId: z.string(),
    clientSecret: z.string(),
    redirectUri: z.string(),
  }),
  z.object({ type: z.literal('signIn'), client: z.number().int(), code: z.string() }),
  z.object({
    type: z.literal('ping'),
    host: z.string(),
    port: z.number().int(),
    count: z.number().int().positive(),
  }),
]);

type Built = { signIn: SignIn; warmUps: () => number };

let built: Built[] = [];
const folder = createLogtoFolder();
process.on('exit', folder.remove);

const setup = async (request: Extract<z.infer<typeof requestGuard>, { type: 'setup' }>) => {
  const { clientId, clientSecret, redirectUri } = request;
  const loaded = await loadXiaomiConnector(folder.install('connector-xiaomi', packages.connector));
  built = await Promise.all(
    request.clients.map(async (spec): Promise<Built> => {
      const { accountBaseUrl, openApiBaseUrl, scope } = spec;
      if (spec.kind === 'minimal ky') {
        const options = { clientId, clientSecret, redirectUri, accountBaseUrl, openApiBaseUrl };
        return {
          signIn: minimalKy({ ...options, extras: scope === extrasScope }),
          warmUps: () => 0,
        };
      }
      let warmUps = 0;
      const config = {
        clientId,
        clientSecret,
        scope,
        ...(spec.skipWarmUp !== undefined && { skipWarmUp: spec.skipWarmUp }),
      };
      const connector = await loaded.build(
        {
          accountBaseUrl,
          openApiBaseUrl,
          onCall: ({ name }) => {
            warmUps += name === 'warmUp' ? 1 : 0;
          },
        },
        async () => config,
      );
      return {
        signIn: await signInWith(connector, { redirectUri }, accountBaseUrl),
        warmUps: () => warmUps,
      };
    }),
  );
  return { type: 'ready' };
};

const signIn = async ({ client, code }: { client: number; code: string }) => {
  const chosen = built[client];
  if (!chosen) {
    throw new Error(`no client ${client}`);
  }
  const warmUpsBefore = chosen.warmUps();
  const started = performance.now();
  const id = await chosen.signIn(code);
  const ms = performance.now() - started;
  return { type: 'signedIn', id, ms, warmUps: chosen.warmUps() - warmUpsBefore };
};

const answer = async (raw: unknown) => {
  const request = requestGuard.parse(raw);
  switch (request.type) {
    case 'setup': {
      return setup(request);
    }
    case 'signIn': {
      return signIn(request);
    }
    case 'ping': {
      return { type: 'pinged', rttsMs: await measureRttMs(request, request.count) };
    }
  }
};

process.on('message', (raw: unknown) => {
  answer(raw).then(
    (reply) => process.send?.(reply),
    (error: unknown) =>
      process.send?.({
        type: 'error',
        message: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      }),
  );
});
// The bench went away: do not outlive it.
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'started' });
