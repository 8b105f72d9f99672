/** Starts `simulator-child.ts` (Node with tsx) and asks it for codes and its CPU time over IPC. */
import { fileURLToPath } from 'node:url';

import { z } from 'zod';

import { startChild } from './child-channel.js';

const readyGuard = z.object({
  type: z.literal('ready'),
  baseUrl: z.string(),
  clientId: z.string(),
  clientSecret: z.string(),
  redirectUri: z.string(),
  /** Code i of every batch is for the account with union id i mod n. */
  unionIds: z.array(z.string()).nonempty(),
});
const codesGuard = z.object({
  type: z.literal('codes'),
  codes: z.array(z.string()),
  cpuMicros: z.number(),
});
const cpuGuard = z.object({ type: z.literal('cpu'), cpuMicros: z.number() });
const linkGuard = z.object({
  type: z.literal('link'),
  origins: z.array(z.object({ accountBaseUrl: z.string(), openApiBaseUrl: z.string() })),
  echo: z.object({ host: z.string(), port: z.number() }),
});
const rttGuard = z.object({ type: z.literal('rtt') });

export type SimulatorProcess = z.infer<typeof readyGuard> & {
  /** Resets the simulator, mints `count` codes for `scope`, then delays each call `delayMs`. */
  codes(count: number, scope: string, delayMs: number): Promise<z.infer<typeof codesGuard>>;
  /** The simulator process's CPU time (user and system) so far. */
  cpuMicros(): Promise<number>;
  /** Network mode: TLS and delaying relays in front of the simulator, in its process. */
  link(certificates: {
    keyPath: string;
    certPath: string;
    clients: number;
  }): Promise<z.infer<typeof linkGuard>>;
  /** Network mode: the link's round trip from now on. */
  setRttMs(rttMs: number): Promise<void>;
  close(): void;
};

export const startSimulatorProcess = async (): Promise<SimulatorProcess> => {
  const { next, ask, close } = startChild({
    scriptPath: fileURLToPath(new URL('simulator-child.ts', import.meta.url)),
    name: 'simulator',
    errorPrefix: 'simulator: ',
  });

  const ready = readyGuard.parse(await next());
  return {
    ...ready,
    codes: async (count, scope, delayMs) =>
      codesGuard.parse(await ask({ type: 'codes', count, scope, delayMs })),
    cpuMicros: async () => cpuGuard.parse(await ask({ type: 'cpu' })).cpuMicros,
    link: async (request) => linkGuard.parse(await ask({ type: 'link', ...request })),
    setRttMs: async (rttMs) => {
      rttGuard.parse(await ask({ type: 'rtt', rttMs }));
    },
    close,
  };
};
