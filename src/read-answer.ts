/**
 * Reads an answer's text up to a bound, counted after decompression (fetch inflates gzip, deflate
 * and br before the body stream), and stops reading as soon as the bound is passed: a huge answer
 * or a gzip bomb costs at most the bound in memory.
 */
import type { Deadline } from './deadline.js';

/** Decoding whole texts only (no `stream`), it keeps no state between them. */
const utf8 = new TextDecoder();

/**
 * undefined when the answer is larger than `limitBytes`; its body is then cancelled. At the
 * deadline the body is cancelled too (undici then drops the connection) and this rejects.
 */
export const readAtMost = async (
  response: Response,
  limitBytes: number,
  deadline: Deadline,
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
  const stop = () => {
    void reader.cancel().catch(() => undefined);
  };
  deadline.onPass = stop;
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const read = deadline.passed ? undefined : await reader.read();
      // The time may be up before a read, or during one: a cancelled read ends as if done.
      if (!read || deadline.passed) {
        stop();
        throw new Error('The deadline passed while the answer was read.');
      }
      if (read.done) {
        // Xiaomi's answers come in one chunk or a few: one decode at the end.
        return utf8.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
      }
      size += read.value.byteLength;
      if (size > limitBytes) {
        stop();
        return undefined;
      }
      chunks.push(read.value);
    }
  } finally {
    deadline.onPass = undefined;
  }
};
