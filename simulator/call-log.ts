/**
 * Records each Xiaomi call once it is answered or abandoned: method, path (never the query, it may
 * hold secrets), status (0 when never answered) and duration. Fault control, avatars and the
 * favicon are not Xiaomi calls and are left out.
 */
import { performance } from 'node:perf_hooks';

import type { Middleware } from 'koa';

import type { SimulatorCall } from './data.js';

const unrecorded = ['/__simulator/', '/avatars/', '/favicon.'];

export const callLog =
  (record: (call: SimulatorCall) => void): Middleware =>
  async (ctx, next) => {
    const { path, method, res } = ctx;
    if (!unrecorded.some((prefix) => path.startsWith(prefix))) {
      const at = Date.now();
      const started = performance.now();
      res.once('close', () => {
        record({
          at,
          method,
          path,
          status: res.headersSent && res.writableFinished ? res.statusCode : 0,
          durationMs: Math.round((performance.now() - started) * 10) / 10,
        });
      });
    }
    await next();
  };
