/**
 * The faults an API request meets before its answer: hang, delay, bad gateway. Shared by the
 * token endpoint and the open APIs, which call it once they know the request's client id.
 */
import type { Context } from 'koa';

import type { SimulatorFaults } from '../data.js';
import { badGatewayPage } from '../pages.js';
import type { SimulatorStore } from '../store.js';

/** False when the request must not be answered further (it hangs, or was answered 502). */
export const passApiFaults = async (
  ctx: Context,
  store: SimulatorStore,
  faults: SimulatorFaults,
): Promise<boolean> => {
  if (faults.hang) {
    // Never answer; the socket is closed with the server.
    ctx.respond = false;
    return false;
  }
  if (faults.delayMs && faults.delayMs > 0) {
    await store.wait(faults.delayMs);
  }
  if (store.closed || ctx.res.destroyed) {
    ctx.respond = false;
    return false;
  }
  if (faults.badGateway) {
    ctx.status = 502;
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = badGatewayPage();
    return false;
  }
  return true;
};
