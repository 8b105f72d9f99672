/**
 * Xiaomi's answers are a few KB. A huge answer, or a small gzip that inflates to a huge one, is
 * refused while it is read (counted after decompression), without holding it in memory: the
 * process stays within a few MB of where it was, and the server sees the client hang up early.
 */
import { constants, createGzip } from 'node:zlib';

import { ConnectorErrorCodes } from '@logto/connector-kit';
import { describe, expect, it } from 'vitest';

import { streamHuge } from './hostile-server.js';
import {
  answer,
  connectorErrorOf,
  connectorFor,
  fake,
  openApiOk,
  profileData,
  signIn,
  useHostileXiaomi,
} from './xiaomi.js';

const mebibyte = 1024 * 1024;
/** Far above what a refused answer may cost, far below what reading one whole costs. */
const rssAllowance = 24 * mebibyte;

const xiaomi = useHostileXiaomi();

/** Runs the promise while sampling RSS; returns the outcome and the peak growth. */
const peakRssGrowth = async <T>(run: () => Promise<T>): Promise<{ result: T; growth: number }> => {
  globalThis.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  try {
    const result = await run();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, growth: peak - before };
  } finally {
    clearInterval(sampler);
  }
};

/** Answers that are valid JSON however long their padding. */
const token = { head: `&&&START&&&{"access_token":"${fake.accessToken}","pad":"`, tail: '"}' };
const profile = {
  head: `{"result":"ok","code":0,"data":{"unionId":"${fake.unionId}","pad":"`,
  tail: '"}}',
};

/** Gzip of an answer padded to `inflated` bytes (96 MiB of padding compress to about 100 KB). */
const gzipped = async (
  { head, tail }: { head: string; tail: string },
  inflated: number,
): Promise<Buffer> => {
  const gzip = createGzip({ level: constants.Z_BEST_COMPRESSION });
  const parts: Buffer[] = [];
  gzip.on('data', (part: Buffer) => parts.push(part));
  const ended = new Promise<void>((resolve) => gzip.on('end', resolve));
  gzip.write(head);
  for (let written = 0; written < inflated; written += mebibyte) {
    gzip.write(Buffer.alloc(Math.min(mebibyte, inflated - written), ' '));
  }
  gzip.end(tail);
  await ended;
  return Buffer.concat(parts);
};

describe('a huge answer', () => {
  it.each([
    { route: 'POST /oauth2/token', body: token },
    { route: 'GET /user/profile', body: profile },
  ])('64 MB from $route is refused while read, RSS flat', async ({ route, body }) => {
    let sent: Promise<{ written: number; closedEarly: boolean }> | undefined;
    xiaomi.on(route, ({ response }) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      sent = streamHuge(response, { ...body, total: 64 * mebibyte });
    });
    const connector = await connectorFor(xiaomi);

    const { result: error, growth } = await peakRssGrowth(async () =>
      connectorErrorOf(signIn(connector)),
    );

    expect(error.code).toBe(ConnectorErrorCodes.InvalidResponse);
    expect(error.message).toContain('larger than');
    const { written, closedEarly } = (await sent) ?? { written: 0, closedEarly: false };
    expect(closedEarly).toBe(true);
    expect(written).toBeLessThan(16 * mebibyte);
    expect(growth).toBeLessThan(rssAllowance);
  });

  it('declared by Content-Length is refused before its body is read', async () => {
    xiaomi.on('POST /oauth2/token', ({ response }) => {
      response.writeHead(200, { 'content-length': String(64 * mebibyte) });
      response.write(token.head);
      // Sends nothing more: a reader that waited for the body would hang.
    });
    const connector = await connectorFor(xiaomi, { timeoutMs: 2000 });
    const started = performance.now();
    const error = await connectorErrorOf(signIn(connector));
    expect(error.message).toContain('larger than');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('declared small by Content-Length, then 64 MB sent anyway, is not read past what was declared', async () => {
    let sent: Promise<{ written: number; closedEarly: boolean }> | undefined;
    xiaomi.on('POST /oauth2/token', ({ response }) => {
      response.writeHead(200, { 'content-length': '100' });
      sent = streamHuge(response, { ...token, total: 64 * mebibyte });
    });
    const connector = await connectorFor(xiaomi);

    const { result: error, growth } = await peakRssGrowth(async () =>
      connectorErrorOf(signIn(connector)),
    );

    expect(error.code).toBe(ConnectorErrorCodes.InvalidResponse);
    expect((await sent)?.written).toBeLessThan(16 * mebibyte);
    expect(growth).toBeLessThan(rssAllowance);
  });

  it.each([
    { route: 'POST /oauth2/token', body: token },
    { route: 'GET /user/profile', body: profile },
  ])('a gzip bomb from $route (100 KB → 96 MiB) is refused, RSS flat', async ({ route, body }) => {
    const bomb = await gzipped(body, 96 * mebibyte);
    expect(bomb.length).toBeLessThan(200 * 1024);
    xiaomi.on(route, ({ response }) => {
      response.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
      response.end(bomb);
    });
    const connector = await connectorFor(xiaomi);

    const { result: error, growth } = await peakRssGrowth(async () =>
      connectorErrorOf(signIn(connector)),
    );

    expect(error.code).toBe(ConnectorErrorCodes.InvalidResponse);
    expect(error.message).toContain('larger than');
    expect(growth).toBeLessThan(rssAllowance);
  });

  it('a gzip answer of ordinary size still signs in', async () => {
    const small = await gzipped(profile, 1000);
    xiaomi.on('GET /user/profile', ({ response }) => {
      response.writeHead(200, { 'content-encoding': 'gzip' });
      response.end(small);
    });
    const user = await signIn(await connectorFor(xiaomi));
    expect(user.id).toBe(fake.unionId);
  });

  it('an answer just under the bound still signs in', async () => {
    xiaomi.on(
      'GET /user/profile',
      answer(openApiOk({ ...profileData, pad: ' '.repeat(60 * 1024) })),
    );
    const user = await signIn(await connectorFor(xiaomi));
    expect(user.id).toBe(fake.unionId);
  });
});
