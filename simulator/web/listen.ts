import { createServer, type Server } from 'node:http';

import type Koa from 'koa';

/** Starts `app` on `host:port` (0: a free port) and returns the server and the port it got. */
export const listen = async (
  app: Koa,
  port: number,
  host: string,
): Promise<{ server: Server; port: number }> => {
  const server = createServer(app.callback());
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') {
    server.close();
    throw new Error('The server did not get a TCP address.');
  }
  return { server, port: address.port };
};

/** Closes the server and every open connection (hanging requests included). */
export const closeServer = async (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
