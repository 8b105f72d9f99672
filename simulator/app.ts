/**
 * The simulated Xiaomi as a Koa app: cross-cutting middleware first (errors, security headers,
 * call log, cross-site refusal, body parser), then one router per concern.
 */
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';

import type { BackLink } from './back-link.js';
import { callLog } from './call-log.js';
import { indexPage } from './pages.js';
import { authorizeRoutes } from './routes/authorize.js';
import { avatarRoutes } from './routes/avatars.js';
import { faultControlRoutes } from './routes/fault-control.js';
import { openApiRoutes } from './routes/open-api.js';
import { sdkCodeRoutes } from './routes/sdk-code.js';
import { tokenRoutes } from './routes/token.js';
import type { SimulatorStore } from './store.js';
import { handleErrors } from './web/errors.js';
import { faviconPaths, faviconRoutes } from './web/favicon.js';
import { refuseCrossSite } from './web/same-origin.js';
import { imageHeaders, pageHeaders, securityHeaders } from './web/security-headers.js';

/** Small forms and JSON only: a larger body is refused (413), not buffered. */
const bodyLimit = '64kb';

const pages = pageHeaders(["'self'", 'data:']);

export type SimulatorAppOptions = {
  store: SimulatorStore;
  /** The simulator's own URL, filled in once it listens. */
  baseUrl: () => string;
  /** Origins the consent page may be posted from. */
  ownOrigins: () => readonly string[];
  /** The site whose browsers' authorize errors link back to it. */
  backLink?: BackLink;
};

export const createSimulatorApp = ({
  store,
  baseUrl,
  ownOrigins,
  backLink,
}: SimulatorAppOptions): Koa => {
  const app = new Koa();
  // Nothing is logged: errors become responses below.
  app.silent = true;

  app.use(
    handleErrors((ctx, status, message) => {
      ctx.status = status;
      ctx.body = { error: message };
    }),
  );
  app.use(
    securityHeaders((path) =>
      path.startsWith('/avatars/') || faviconPaths.includes(path) ? imageHeaders : pages,
    ),
  );
  app.use(callLog(store.record));
  app.use(refuseCrossSite(ownOrigins));
  app.use(
    bodyParser({ enableTypes: ['json', 'form'], jsonLimit: bodyLimit, formLimit: bodyLimit }),
  );

  // Whatever no route answered.
  app.use(async (ctx, next) => {
    await next();
    if (ctx.status === 404 && ctx.body === undefined && ctx.respond !== false) {
      ctx.status = 404;
      ctx.body = { result: 'error', code: 404, description: 'not found' };
    }
  });

  const router = new Router();
  authorizeRoutes(router, store, backLink);
  tokenRoutes(router, store);
  openApiRoutes(router, store);
  faultControlRoutes(router, store);
  sdkCodeRoutes(router, store);
  avatarRoutes(router, store);
  faviconRoutes(router);
  router.get('/', (ctx) => {
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = indexPage({ baseUrl: baseUrl(), apps: store.apps, accounts: store.accounts });
  });
  app.use(router.routes()).use(router.allowedMethods());

  return app;
};
