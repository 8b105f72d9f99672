/**
 * Requests checked at the edge: query strings and forms read as URLSearchParams (the first of a
 * repeated key wins, as `get` does), then parsed by a zod schema into typed values.
 */
import type { Context } from 'koa';
import type { ZodType, ZodTypeDef } from 'zod';

import { RequestError } from './errors.js';

export const firstValues = (params: URLSearchParams): Record<string, string> => {
  const values: Record<string, string> = {};
  for (const [key, value] of params) {
    values[key] ??= value;
  }
  return values;
};

export const guard = <Output>(
  schema: ZodType<Output, ZodTypeDef, unknown>,
  input: unknown,
  what: string,
): Output => {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RequestError(
      400,
      `Invalid ${what}${issue ? `: ${[...issue.path, issue.message].join(' ')}` : ''}`,
    );
  }
  return parsed.data;
};

/** A form body as URLSearchParams (empty unless the request says it is a form). */
export const formOf = (ctx: Context): URLSearchParams =>
  new URLSearchParams(ctx.is('application/x-www-form-urlencoded') ? ctx.request.rawBody : '');
