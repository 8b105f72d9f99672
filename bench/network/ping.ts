/**
 * The round trip as measured in the run, not as configured: a byte sent from the process that signs
 * in, through a relay like the others, to an echo server and back, on one connection (the first
 * exchange, which pays the emulated TCP handshake, is not counted). Timers and busy event loops
 * show up here as they do in the sign-ins.
 */
import { createConnection, createServer, type Socket } from 'node:net';

import { startDelayRelay, type DelayRelay } from './delay-relay.js';

export type EchoRelay = { relay: DelayRelay; close: () => Promise<void> };

export const startEchoRelay = async (): Promise<EchoRelay> => {
  const sockets = new Set<Socket>();
  const server = createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') {
    throw new Error('the echo server has no TCP port');
  }
  const relay = await startDelayRelay({
    host: '127.0.0.1',
    target: { host: '127.0.0.1', port: address.port },
    rttMs: 0,
  });
  return {
    relay,
    close: async () => {
      for (const socket of sockets) {
        socket.destroy();
      }
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
      });
    },
  };
};

/** Round trips through the echo relay, in milliseconds: `count` of them, after one not counted. */
export const measureRttMs = async (
  { host, port }: { host: string; port: number },
  count: number,
): Promise<number[]> => {
  const socket = createConnection({ host, port, noDelay: true });
  const once = async () =>
    new Promise<number>((resolve, reject) => {
      const started = performance.now();
      socket.once('data', () => resolve(performance.now() - started));
      socket.once('error', reject);
      socket.write('.');
    });
  try {
    await once();
    const samples: number[] = [];
    for (let index = 0; index < count; index++) {
      samples.push(await once());
    }
    return samples;
  } finally {
    socket.destroy();
  }
};
