/**
 * Starts `client-child.ts` (Node with tsx) trusting the run's throwaway CA, and asks it to sign in
 * over IPC, one request at a time.
 */
import { fileURLToPath } from 'node:url';

import { z } from 'zod';

import { startChild } from '../child-channel.js';

import type { ClientSpec } from './client-child.js';

const signedInGuard = z.object({
  type: z.literal('signedIn'),
  id: z.string(),
  ms: z.number(),
  /** Warm-ups of the open-API connection the sign-in made. */
  warmUps: z.number(),
});
const pingedGuard = z.object({ type: z.literal('pinged'), rttsMs: z.array(z.number()) });

export type SignedIn = z.infer<typeof signedInGuard>;

export type ClientProcess = {
  signIn: (client: number, code: string) => Promise<SignedIn>;
  /** Round trips to an echo server, from the client's process, in milliseconds. */
  ping: (echo: { host: string; port: number }, count: number) => Promise<number[]>;
  close: () => void;
};

export const startClientProcess = async ({
  caPath,
  clients,
  app,
}: {
  caPath: string;
  clients: ClientSpec[];
  app: { clientId: string; clientSecret: string; redirectUri: string };
}): Promise<ClientProcess> => {
  const { next, ask, close } = startChild({
    scriptPath: fileURLToPath(new URL('client-child.ts', import.meta.url)),
    name: 'client',
    env: { ...process.env, NODE_EXTRA_CA_CERTS: caPath },
  });

  await next();
  const { clientId, clientSecret, redirectUri } = app;
  await ask({ type: 'setup', clients, clientId, clientSecret, redirectUri });
  return {
    signIn: async (client, code) =>
      signedInGuard.parse(await ask({ type: 'signIn', client, code })),
    ping: async (echo, count) =>
      pingedGuard.parse(await ask({ type: 'ping', ...echo, count })).rttsMs,
    close,
  };
};
