/** The connector's logo (the repository's logo.svg) as both servers' favicon. */
import { readFileSync } from 'node:fs';

import type Router from '@koa/router';

const logo = readFileSync(new URL('../../logo.svg', import.meta.url), 'utf8');

export const faviconPaths = ['/favicon.svg', '/favicon.ico'];

export const faviconRoutes = (router: Router): void => {
  router.get(faviconPaths, (ctx) => {
    ctx.type = 'image/svg+xml';
    ctx.body = logo;
  });
};
