import { describe, expect, it } from 'vitest';

import { readAtMost } from './read-answer.js';

const bytes = (text: string) => new TextEncoder().encode(text);

/** A body in the given chunks, then (unless `stall`) its end; records reads and a cancel. */
const bodyOf = (chunks: Uint8Array[], { headers = {} } = {}) => {
  const seen = { cancelled: false, pulls: 0 };
  let next = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        seen.pulls += 1;
        const chunk = chunks[next++];
        if (chunk) {
          controller.enqueue(chunk);
        } else {
          controller.close();
        }
      },
      cancel() {
        seen.cancelled = true;
      },
      // Nothing is pulled before a read asks for it.
    },
    { highWaterMark: 0 },
  );
  return { response: new Response(stream, { headers }), seen };
};

describe('readAtMost', () => {
  const pair = bytes('小米🍊');
  it.each([
    { what: 'one chunk', chunks: [bytes('{"ok":1}')], text: '{"ok":1}' },
    {
      what: 'a character split between chunks',
      chunks: [pair.slice(0, 4), pair.slice(4, 9), pair.slice(9)],
      text: '小米🍊',
    },
    { what: 'no chunk at all', chunks: [], text: '' },
    {
      what: 'exactly the bound',
      chunks: [bytes('a'.repeat(8)), bytes('b'.repeat(8))],
      text: `${'a'.repeat(8)}${'b'.repeat(8)}`,
    },
  ])('reads $what', async ({ chunks, text }) => {
    const { response } = bodyOf(chunks);
    await expect(readAtMost(response, 16)).resolves.toBe(text);
  });

  it('stops at the first chunk past the bound and cancels the body', async () => {
    const { response, seen } = bodyOf([bytes('a'.repeat(10)), bytes('b'.repeat(10)), bytes('c')]);
    await expect(readAtMost(response, 16)).resolves.toBeUndefined();
    expect(seen.cancelled).toBe(true);
  });

  it('refuses a declared length past the bound without reading', async () => {
    const { response, seen } = bodyOf([bytes('a'.repeat(32))], {
      headers: { 'content-length': '32' },
    });
    await expect(readAtMost(response, 16)).resolves.toBeUndefined();
    expect(seen.pulls).toBe(0);
    expect(seen.cancelled).toBe(true);
  });
});
