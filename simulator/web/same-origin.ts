/**
 * Refuses cross-site writes: a POST whose `Origin` is not one of the server's own. Browsers send
 * `Origin` with every POST; server-side clients (the connector) send none and pass.
 */
import type { Middleware } from 'koa';

import { RequestError } from './errors.js';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export const refuseCrossSite =
  (ownOrigins: () => readonly string[]): Middleware =>
  async (ctx, next) => {
    const origin = ctx.get('origin');
    if (!safeMethods.has(ctx.method) && origin && !ownOrigins().includes(origin)) {
      throw new RequestError(403, `Cross-site request refused (Origin ${origin}).`);
    }
    await next();
  };
