/**
 * Reads an answer's text up to a bound, counted after decompression (fetch inflates gzip, deflate
 * and br before the body stream), and stops reading as soon as the bound is passed: a huge answer
 * or a gzip bomb costs at most the bound in memory.
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
  // refuse it before reading, or read it whole when it is within the bound.
  const declared = headers.has('content-encoding') ? null : headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared)) {
    if (Number(declared) <= limitBytes) {
      return response.text();
    }
    void body.cancel().catch(() => undefined);
    return undefined;
  }
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        return text + decoder.decode();
      }
      size += value.byteLength;
      if (size > limitBytes) {
        void reader.cancel().catch(() => undefined);
        return undefined;
      }
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    reader.releaseLock();
  }
};
