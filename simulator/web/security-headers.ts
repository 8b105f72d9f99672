/**
 * Security headers from named settings chosen by path (as Logto's koa-security-headers does):
 * helmet for the standard set, plus the cache policy. Handlers never set these headers.
 */
import type { HelmetOptions } from 'helmet';
import type { Middleware } from 'koa';
import koaHelmet from 'koa-helmet';

export type HeaderSettings = { helmet: HelmetOptions; cacheControl: string };

/** HTML without script: inline styles only, images from `imgSrc`. Local HTTP, so no HSTS. */
export const pageHeaders = (imgSrc: string[]): HeaderSettings => ({
  helmet: {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        styleSrc: ["'unsafe-inline'"],
        imgSrc,
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
    strictTransportSecurity: false,
    // Not no-referrer: with it browsers send `Origin: null` on same-origin POSTs too.
    referrerPolicy: { policy: 'same-origin' },
    xFrameOptions: { action: 'deny' },
  },
  cacheControl: 'no-store',
});

/** Images other origins show (the simulator's avatars on the playground, favicons). */
export const imageHeaders: HeaderSettings = {
  helmet: {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], styleSrc: ["'unsafe-inline'"] },
    },
    strictTransportSecurity: false,
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  },
  cacheControl: 'public, max-age=3600',
};

export const securityHeaders = (pick: (path: string) => HeaderSettings): Middleware => {
  const made = new Map<HeaderSettings, Middleware>();
  return async (ctx, next) => {
    const settings = pick(ctx.path);
    const helmet = made.get(settings) ?? koaHelmet(settings.helmet);
    made.set(settings, helmet);
    ctx.set('cache-control', settings.cacheControl);
    await helmet(ctx, next);
  };
};
