import type { IncomingMessage } from 'node:http';

/** Small forms and JSON only: a larger body is refused, not buffered. */
export const maxBodyBytes = 64 * 1024;

export class BodyTooLarge extends Error {
  constructor() {
    super('request body too large');
  }
}

/** Reads a request body as UTF-8 text, up to `maxBodyBytes`. */
export const readBody = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > maxBodyBytes) {
      throw new BodyTooLarge();
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
};
