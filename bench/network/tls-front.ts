/**
 * Real TLS in front of the simulated Xiaomi: each TLS connection is piped, decrypted, to a plain
 * connection of its own to the simulator, so that the simulator's HTTP server (keep-alive and all)
 * answers as it does for every other bench. TLS 1.3 only, as Xiaomi's hosts and the issue's
 * measurements have it.
 */
import { createConnection, type Socket } from 'node:net';
import { createServer } from 'node:tls';

export type TlsFront = { port: number; close: () => Promise<void> };

export const startTlsFront = async ({
  key,
  cert,
  simulatorUrl,
}: {
  key: Buffer;
  cert: Buffer;
  simulatorUrl: string;
}): Promise<TlsFront> => {
  const simulator = new URL(simulatorUrl);
  const sockets = new Set<Socket>();
  const server = createServer({ key, cert, minVersion: 'TLSv1.3', noDelay: true }, (secure) => {
    const plain = createConnection({
      host: simulator.hostname,
      port: Number(simulator.port),
      noDelay: true,
    });
    for (const socket of [secure, plain]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        secure.destroy();
        plain.destroy();
      });
    }
    secure.setNoDelay(true);
    secure.pipe(plain).pipe(secure);
  });
  // A handshake broken off by a client going away is not the bench's failure.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') {
    throw new Error('the TLS front has no TCP port');
  }
  return {
    port: address.port,
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
