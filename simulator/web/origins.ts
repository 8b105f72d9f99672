/**
 * Where a server tells browsers and the connector to reach it: always built from the configured
 * listen address (or an explicit public host), never from a request's `Host` header.
 */
import { networkInterfaces } from 'node:os';

export const isWildcard = (host: string): boolean => host === '0.0.0.0' || host === '::';
export const isLoopback = (host: string): boolean =>
  ['127.0.0.1', 'localhost', '::1'].includes(host);

/** A host as it appears in a URL: IPv6 in brackets. */
export const formatHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);

export const lanAddresses = (): string[] =>
  Object.values(networkInterfaces())
    .flatMap((entries) => entries ?? [])
    .filter((entry) => entry.family === 'IPv4' && !entry.internal)
    .map((entry) => entry.address);

/** The host put into links: the public host if given, else the listen host (a wildcard's first LAN address). */
export const linkHost = (listenHost: string, publicHost?: string): string =>
  publicHost ?? (isWildcard(listenHost) ? (lanAddresses()[0] ?? '127.0.0.1') : listenHost);

export const originOf = (host: string, port: number): string =>
  `http://${formatHost(host)}:${port}`;

/**
 * Origins a browser may legitimately send from: the link origin, and the loopback names when the
 * server listens on loopback or everywhere (a page opened as `localhost` posts as `localhost`).
 */
export const allowedOrigins = (listenHost: string, link: string, port: number): string[] => {
  const hosts = new Set([link]);
  if (isLoopback(listenHost) || isWildcard(listenHost)) {
    for (const name of ['127.0.0.1', 'localhost', '::1']) {
      hosts.add(name);
    }
  }
  return [...hosts].map((host) => originOf(host, port));
};
