/**
 * The playground as a Koa app: cross-cutting middleware first (errors, security headers,
 * canonical address, cross-site refusal, body parser, the browser session), then one router per
 * concern: config and sign-in, callback, the Android app, refresh, result.
 */
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa, { type Middleware } from 'koa';

import { handleErrors } from '../simulator/web/errors.js';
import { faviconPaths, faviconRoutes } from '../simulator/web/favicon.js';
import { refuseCrossSite } from '../simulator/web/same-origin.js';
import { imageHeaders, pageHeaders, securityHeaders } from '../simulator/web/security-headers.js';

import type { PlaygroundDeps } from './deps.js';
import { notFoundPage, requestErrorPage } from './pages/layout.js';
import { androidRoutes } from './routes/android.js';
import { callbackRoutes } from './routes/callback.js';
import { configRoutes } from './routes/config.js';
import { refreshRoutes } from './routes/refresh.js';
import { resultRoutes } from './routes/result.js';
import type { createSessionStore, PlaygroundState } from './session.js';

// No script at all; images may come from Xiaomi's CDN or the simulator.
const pages = pageHeaders(['data:', 'http:', 'https:']);

/** The largest form taken: the config form is well under 1 KB. */
const formLimitKb = 64;

/** What the error page says: the body parser's own words for a form too large say nothing of why. */
const errorMessage = (status: number, message: string): string =>
  status === 413
    ? `The form is larger than the ${formLimitKb} KB the playground takes, so nothing of it was kept. An App ID, an App Secret and a scope are a few dozen characters each: check what was pasted.`
    : status === 500
      ? 'The playground failed on this request.'
      : message;

export type PlaygroundAppOptions = {
  deps: PlaygroundDeps;
  sessions: ReturnType<typeof createSessionStore>;
  /** Origins the playground's own pages post from. */
  ownOrigins: () => readonly string[];
  /**
   * In simulator mode, the `host:port` links are built with: a page asked for under another name
   * (`localhost` for `127.0.0.1`) is sent there first, so its cookie reaches the callback.
   */
  canonicalHost: () => string | undefined;
};

const toCanonicalHost =
  (canonicalHost: () => string | undefined, origin: () => string): Middleware =>
  async (ctx, next) => {
    const wanted = canonicalHost();
    if (wanted && ctx.method === 'GET' && ctx.host !== wanted) {
      ctx.status = 307;
      ctx.redirect(`${origin()}${ctx.url}`);
      return;
    }
    await next();
  };

export const createPlaygroundApp = ({
  deps,
  sessions,
  ownOrigins,
  canonicalHost,
}: PlaygroundAppOptions): Koa<PlaygroundState> => {
  const app = new Koa<PlaygroundState>();
  app.silent = true;

  app.use(
    handleErrors((ctx, status, message) => {
      ctx.status = status;
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = requestErrorPage(deps.header, status, errorMessage(status, message));
    }),
  );
  app.use(securityHeaders((path) => (faviconPaths.includes(path) ? imageHeaders : pages)));

  const icons = new Router();
  faviconRoutes(icons);
  app.use(icons.routes());

  app.use(toCanonicalHost(canonicalHost, deps.origin));
  app.use(refuseCrossSite(ownOrigins));
  app.use(bodyParser({ enableTypes: ['form'], formLimit: `${formLimitKb}kb` }));
  app.use(sessions.middleware);

  // Whatever no route answered.
  app.use(async (ctx, next) => {
    await next();
    if (ctx.status === 404 && ctx.body === undefined && ctx.respond !== false) {
      ctx.status = 404;
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = notFoundPage(deps.header);
    }
  });

  const router = new Router<PlaygroundState>();
  configRoutes(router, deps);
  callbackRoutes(router, deps);
  androidRoutes(router, deps);
  refreshRoutes(router, deps);
  resultRoutes(router, deps);
  app.use(router.routes()).use(router.allowedMethods());

  return app;
};
