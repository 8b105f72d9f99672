/**
 * One try/catch around everything: an HTTP error (Koa's `ctx.throw`, the body parser's 400/413/415,
 * `RequestError` below) becomes its status and message; anything else a generic 500 that never
 * quotes the error.
 */
import type { Context, Middleware } from 'koa';

/** A request the server refuses, with a message safe to show. */
export class RequestError extends Error {
  readonly expose = true;

  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A 4xx error's status, and its message when it is meant to be shown (http-errors' `expose`). */
const clientError = (error: unknown): { status: number; message: string } | undefined => {
  if (!(error instanceof Error) || !('status' in error) || typeof error.status !== 'number') {
    return undefined;
  }
  if (error.status < 400 || error.status >= 500) {
    return undefined;
  }
  const exposed = 'expose' in error && error.expose === true;
  return {
    status: error.status,
    message: exposed ? error.message : 'The request could not be read.',
  };
};

export type ErrorResponder = (ctx: Context, status: number, message: string) => void;

export const handleErrors =
  (respond: ErrorResponder): Middleware =>
  async (ctx, next) => {
    try {
      await next();
    } catch (error: unknown) {
      if (ctx.headerSent || !ctx.writable) {
        ctx.res.destroy();
        return;
      }
      const known = clientError(error);
      respond(ctx, known?.status ?? 500, known?.message ?? 'The server failed on this request.');
    }
  };
