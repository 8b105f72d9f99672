/**
 * A Xiaomi that misbehaves on purpose, on loopback. Plain node:http rather than Koa: these peers
 * misbehave below what a framework lets a handler do (a body that never ends, a gzip bomb, an
 * answer written while the client has gone), and each test sets its own answers.
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export type Exchange = {
  method: string;
  path: string;
  query: URLSearchParams;
  /** The request body as text (forms are small). */
  body: string;
  headers: IncomingHttpHeaders;
  /** The client's port: requests on one connection share it. */
  clientPort: number | undefined;
  response: ServerResponse;
};

export type Handler = (exchange: Exchange) => void | Promise<void>;

export type HostileServer = {
  /** Known once started. */
  readonly url: string;
  start: () => Promise<void>;
  /** Answers `METHOD /path` (no query) with the handler; replaces an earlier one. */
  on: (route: string, handler: Handler) => void;
  /** Every request seen, oldest first. */
  seen: Array<Omit<Exchange, 'response'>>;
  /** Requests whose exchange has not closed yet (answered, or the client gone). */
  open: () => number;
  /** TCP connections clients have opened to it. */
  connections: () => number;
  reset: () => void;
  close: () => Promise<void>;
};

const readText = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  }
  return Buffer.concat(chunks).toString('utf8');
};

export const createHostileServer = (): HostileServer => {
  const routes = new Map<string, Handler>();
  const seen: HostileServer['seen'] = [];
  let open = 0;
  let connections = 0;
  const server = createServer((request, response) => {
    open++;
    response.once('close', () => {
      open--;
    });
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const method = request.method ?? 'GET';
      const body = await readText(request);
      const exchange = {
        method,
        path: url.pathname,
        query: url.searchParams,
        body,
        headers: request.headers,
        clientPort: request.socket.remotePort,
      };
      seen.push(exchange);
      const handler = routes.get(`${method} ${url.pathname}`);
      if (!handler) {
        response.writeHead(404).end();
        return;
      }
      await handler({ ...exchange, response });
    })().catch(() => {
      response.destroy();
    });
  });
  server.on('connection', () => {
    connections++;
  });
  let url = '';
  return {
    get url() {
      return url;
    },
    start: async () => {
      await new Promise<void>((resolve) => {
        server.listen(0, '127.0.0.1', resolve);
      });
      const address = server.address();
      if (address === null || typeof address === 'string') {
        throw new Error('the hostile server has no TCP port');
      }
      url = `http://127.0.0.1:${address.port}`;
    },
    on: (route, handler) => {
      routes.set(route, handler);
    },
    seen,
    open: () => open,
    connections: () => connections,
    reset: () => {
      routes.clear();
      seen.length = 0;
      connections = 0;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
};

/** Waits until the server has no request open, or gives up after `withinMs`; returns how many are. */
export const openOnceSettled = async (server: HostileServer, withinMs = 1000): Promise<number> => {
  const started = performance.now();
  while (server.open() > 0 && performance.now() - started < withinMs) {
    await sleep(5);
  }
  return server.open();
};

/**
 * Writes `head`, then padding up to `total` bytes, then `tail`, as fast as the client reads;
 * counts what left and whether the client hung up first.
 */
export const streamHuge = async (
  response: ServerResponse,
  { head, tail, total }: { head: string; tail: string; total: number },
): Promise<{ written: number; closedEarly: boolean }> => {
  const chunk = Buffer.alloc(64 * 1024, ' ');
  let written = 0;
  let closed = false;
  response.on('close', () => {
    closed = true;
  });
  response.write(head);
  written += Buffer.byteLength(head);
  while (written < total && !closed) {
    written += chunk.length;
    if (!response.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          response.off('drain', done);
          response.off('close', done);
          resolve();
        };
        response.on('drain', done);
        response.on('close', done);
      });
    }
  }
  if (!closed) {
    response.end(tail);
  }
  return { written, closedEarly: closed };
};
