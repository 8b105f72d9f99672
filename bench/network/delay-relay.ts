/**
 * A link with a round-trip time, on loopback (this machine's kernel has no netem): a TCP relay
 * that delivers every byte half a round trip after it arrived, each way, in order. A relay in user
 * space accepts a connection at once, where a real link costs a round trip (SYN, SYN-ACK) before
 * the client's first byte leaves: so the first bytes of a connection toward the server are held
 * one round trip more, and reach it when they would have.
 */
import { createConnection, createServer, type Socket } from 'node:net';

export type DelayRelay = {
  host: string;
  port: number;
  /** The round trip from now on, for new bytes. */
  setRttMs: (rttMs: number) => void;
  close: () => Promise<void>;
};

/** Bytes from one socket to the other, each `delayMs()` later (plus `firstMs` the first), in order. */
const delayedPipe = (
  from: Socket,
  to: Socket,
  delayMs: () => number,
  firstMs: () => number,
): void => {
  // One queue and one timer: chunks leave in the order they came, whatever the timers do.
  const queue: Array<{ due: number; chunk: Buffer | undefined }> = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = 0;
  let first = true;
  const flush = () => {
    timer = undefined;
    // Node's timers may fire up to a millisecond before a `performance.now()` due time.
    const now = performance.now() + 1;
    while (queue[0] && queue[0].due <= now) {
      const { chunk } = queue.shift() ?? {};
      if (!to.destroyed) {
        if (chunk) {
          to.write(chunk);
        } else {
          to.end();
        }
      }
    }
    arm();
  };
  const arm = () => {
    const next = queue[0];
    if (!timer && next) {
      timer = setTimeout(flush, Math.max(0, next.due - performance.now()));
    }
  };
  const push = (chunk: Buffer | undefined) => {
    const due = Math.max(performance.now() + delayMs() + (first ? firstMs() : 0), last);
    first = false;
    last = due;
    queue.push({ due, chunk });
    arm();
  };
  from.on('data', (chunk: Buffer) => push(chunk));
  from.on('end', () => push(undefined));
};

/** Relays `host:0` (a free port) to `target`, with the round trip `rttMs`. */
export const startDelayRelay = async ({
  host,
  target,
  rttMs,
}: {
  host: string;
  target: { host: string; port: number };
  rttMs: number;
}): Promise<DelayRelay> => {
  let rtt = rttMs;
  const sockets = new Set<Socket>();
  const server = createServer({ allowHalfOpen: true, noDelay: true }, (client) => {
    const upstream = createConnection({ ...target, allowHalfOpen: true, noDelay: true });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      // A reset on one side resets the other: no delay needed for a link that broke.
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    delayedPipe(
      client,
      upstream,
      () => rtt / 2,
      () => rtt,
    );
    delayedPipe(
      upstream,
      client,
      () => rtt / 2,
      () => 0,
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') {
    throw new Error('the relay has no TCP port');
  }
  return {
    host,
    port: address.port,
    setRttMs: (next) => {
      rtt = next;
    },
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
