/**
 * An npm registry on loopback that holds one package, the packed tarball, as npm would serve it
 * once published: its packument and its tarball. `npm_config_registry` points npm (and the
 * `npm pack <name>` that `logto connector add <name>` runs) at it; it also answers 404 for
 * anything else, so nothing in a test reaches the real registry.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import Router from '@koa/router';
import Koa from 'koa';
import { z } from 'zod';

import { closeServer, listen } from '../../simulator/web/listen.js';

const manifestGuard = z.object({ name: z.string(), version: z.string() }).passthrough();

export const startNpmRegistry = async (tarball: string) => {
  const manifest = manifestGuard.parse(
    JSON.parse(
      execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }),
    ),
  );
  const bytes = readFileSync(tarball);
  const file = path.basename(tarball);
  const requests: string[] = [];
  /** Where the registry listens, known once it does: the packument links the tarball there. */
  let url = '';

  const router = new Router();
  router.get(`/${manifest.name}`, (ctx) => {
    ctx.body = {
      name: manifest.name,
      'dist-tags': { latest: manifest.version },
      versions: {
        [manifest.version]: {
          ...manifest,
          dist: {
            tarball: `${url}${manifest.name}/-/${file}`,
            integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
            shasum: createHash('sha1').update(bytes).digest('hex'),
          },
        },
      },
    };
  });
  router.get(`/${manifest.name}/-/${file}`, (ctx) => {
    ctx.type = 'application/octet-stream';
    ctx.body = bytes;
  });

  const app = new Koa();
  app.use(async (ctx, next) => {
    requests.push(`${ctx.method} ${ctx.path}`);
    await next();
  });
  app.use(router.routes()).use(router.allowedMethods());
  const { server, port } = await listen(app, 0, '127.0.0.1');
  url = `http://127.0.0.1:${port}/`;
  return {
    url,
    /** Every request seen, as `METHOD /path`, oldest first. */
    requests,
    close: async () => closeServer(server),
  };
};

export type NpmRegistry = Awaited<ReturnType<typeof startNpmRegistry>>;
