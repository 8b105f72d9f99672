/**
 * Fault control over HTTP, JSON only (a cross-site form or `text/plain` POST cannot reach it):
 * GET/POST /__simulator/faults for the simulator-wide faults, /__simulator/faults/{clientId} for
 * one app's own. A GET of an app's faults answers what its requests meet (its own over the wide).
 */
import type Router from '@koa/router';
import type { Context } from 'koa';

import { parseFaults } from '../faults.js';
import type { SimulatorStore } from '../store.js';
import { RequestError } from '../web/errors.js';

const readFaultsBody = (ctx: Context) => {
  if (!ctx.is('application/json')) {
    throw new RequestError(415, 'Fault control takes JSON only (content-type: application/json).');
  }
  return parseFaults(ctx.request.body ?? {});
};

export const faultControlRoutes = (router: Router, store: SimulatorStore): void => {
  router.get('/__simulator/faults', (ctx) => {
    ctx.body = store.faults.get();
  });
  router.post('/__simulator/faults', (ctx) => {
    store.faults.set(readFaultsBody(ctx));
    ctx.body = store.faults.get();
  });
  router.get('/__simulator/faults/:clientId', (ctx) => {
    ctx.body = store.faults.get(ctx.params.clientId);
  });
  router.post('/__simulator/faults/:clientId', (ctx) => {
    const { clientId } = ctx.params;
    store.faults.set(readFaultsBody(ctx), clientId);
    ctx.body = store.faults.get(clientId);
  });
};
