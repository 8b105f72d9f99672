/** GET /result: the last outcome of this browser's session, or back to the start page. */
import type Router from '@koa/router';

import type { PlaygroundDeps } from '../deps.js';
import { resultPage } from '../pages/result-page.js';
import type { PlaygroundState } from '../session.js';

export const resultRoutes = (router: Router<PlaygroundState>, deps: PlaygroundDeps): void => {
  router.get('/result', (ctx) => {
    const { session } = ctx.state;
    if (!session.outcome) {
      ctx.status = 303;
      ctx.redirect('/');
      return;
    }
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = resultPage({
      header: deps.header,
      outcome: session.outcome,
      canRefresh: session.refreshToken !== undefined,
    });
  });
};
