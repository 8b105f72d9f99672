/** GET /avatars/{userId}.svg: the sample accounts' avatars; `size` in pixels or `orig`. */
import type Router from '@koa/router';

import { avatarSvg } from '../pages.js';
import type { SimulatorStore } from '../store.js';

export const avatarRoutes = (router: Router, store: SimulatorStore): void => {
  router.get('/avatars/:file', (ctx) => {
    const userId = /^([\w-]+)\.svg$/.exec(ctx.params.file ?? '')?.[1];
    const account = store.findAccount(userId);
    if (!account?.icon) {
      ctx.status = 404;
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = 'no such avatar';
      return;
    }
    const sizeParam = new URLSearchParams(ctx.querystring).get('size');
    const parsed = sizeParam === 'orig' ? 512 : Number(sizeParam ?? '320');
    const size = Number.isFinite(parsed) ? Math.min(Math.max(Math.round(parsed), 16), 1024) : 320;
    ctx.type = 'image/svg+xml';
    ctx.body = avatarSvg(account, size);
  });
};
