/**
 * Reads an answer's text up to a bound, counted after decompression (fetch inflates gzip, deflate
 * and br before the body stream), and stops reading as soon as the bound is passed: a huge answer
 * or a gzip bomb costs at most the bound in memory. The call's signal ends a body that never does.
 */

/** undefined when the answer is larger than `limitBytes`; its body is then cancelled. */
export const readAtMost = async (
  response: Response,
  limitBytes: number,
): Promise<string | undefined> => {
  const { body, headers } = response;
  if (!body) {
    return '';
  }
  // Without content-encoding the declared length is the length read (fetch fails a longer body):
  // refuse a larger one before reading.
  const declared = headers.has('content-encoding') ? null : headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > limitBytes) {
    void body.cancel().catch(() => undefined);
    return undefined;
  }
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      return new TextDecoder().decode(Buffer.concat(chunks));
    }
    size += value.byteLength;
    if (size > limitBytes) {
      void reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
};
