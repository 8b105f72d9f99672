/**
 * The bench's delaying relay (bench/network/delay-relay.ts) is a link with a round trip: bytes
 * arrive half a round trip later each way, in the order sent, and a new connection's first bytes
 * one round trip later still (the TCP handshake a relay in user space does not cost).
 */
import { createConnection } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startEchoRelay, type EchoRelay } from '../../bench/network/ping.js';

const rttMs = 80;
let echo: EchoRelay;

beforeAll(async () => {
  echo = await startEchoRelay();
  echo.relay.setRttMs(rttMs);
});

afterAll(async () => {
  await echo.relay.close();
  await echo.close();
});

/** Sends `chunks` at once and resolves with what came back and when, once all of it did. */
const exchange = async (socket: ReturnType<typeof createConnection>, chunks: string[]) =>
  new Promise<{ text: string; ms: number }>((resolve) => {
    const expected = chunks.join('').length;
    let text = '';
    const started = performance.now();
    const onData = (data: Buffer) => {
      text += data.toString();
      if (text.length >= expected) {
        socket.off('data', onData);
        resolve({ text, ms: performance.now() - started });
      }
    };
    socket.on('data', onData);
    for (const chunk of chunks) {
      socket.write(chunk);
    }
  });

describe('the delaying relay', () => {
  it('costs two round trips on a new connection, one after, and keeps the order', async () => {
    const { host, port } = echo.relay;
    const socket = createConnection({ host, port, noDelay: true });
    try {
      const first = await exchange(socket, ['hello']);
      const chunks = Array.from({ length: 200 }, (_, index) => `${index};`);
      const next = await exchange(socket, chunks);

      expect(first.text).toBe('hello');
      expect(first.ms).toBeGreaterThanOrEqual(2 * rttMs - 2);
      expect(next.text).toBe(chunks.join(''));
      expect(next.ms).toBeGreaterThanOrEqual(rttMs - 2);
      expect(next.ms).toBeLessThan(2 * rttMs);
    } finally {
      socket.destroy();
    }
  });
});
