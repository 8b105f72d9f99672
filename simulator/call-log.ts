/**
 * Records each Xiaomi call once it is answered or abandoned: method, path (never the query, it may
 * hold secrets), the redirect URI, grant type and App ID a route noted, status (0 when never answered) and
 * duration. Fault control, avatars and the favicon are not Xiaomi calls and are left out.
 */
import { performance } from 'node:perf_hooks';

import type { Context, Middleware } from 'koa';

import type { SimulatorCall } from './data.js';

const unrecorded = ['/__simulator/', '/avatars/', '/favicon.'];

type Noted = Pick<SimulatorCall, 'redirectUri' | 'grantType' | 'clientId'>;
const notes = new WeakMap<Context, Noted>();

/** Adds what a route read from the request (never a secret) to the call's record. */
export const noteCall = (ctx: Context, noted: Noted): void => {
  const defined = Object.entries(noted).filter(([, value]) => value !== undefined);
  notes.set(ctx, { ...notes.get(ctx), ...Object.fromEntries(defined) });
};

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
          ...notes.get(ctx),
          status: res.headersSent && res.writableFinished ? res.statusCode : 0,
          durationMs: Math.round((performance.now() - started) * 10) / 10,
        });
      });
    }
    await next();
  };
