/**
 * Xiaomi's answers as values or named failures: the token endpoint's `&&&START&&&` JSON and the
 * open APIs' `{ result, code, description, data }`, each with its errors in a 200 or a 4xx.
 */
import type { z } from 'zod';

import { tokenBodyPrefix } from './constant.js';
import type { XiaomiCallName, XiaomiFailure } from './errors.js';
import { redact, redactAndQuote } from './redact.js';
import {
  openApiEnvelopeGuard,
  tokenErrorGuard,
  tokenSecretsOf,
  tokenSuccessGuard,
  type XiaomiTokenSet,
} from './types.js';

/** An answer read whole (and small): its status and its text. */
export type Answer = { status: number; text: string };

export type Parsed<T> = { value: T } | { failure: XiaomiFailure };

export type Parse<T> = (answer: Answer) => Parsed<T>;

export const failure = (value: XiaomiFailure): { failure: XiaomiFailure } => ({ failure: value });

const isOk = (status: number) => status >= 200 && status < 300;

/** Xiaomi's token answers are `&&&START&&&`, maybe white space, then JSON; tolerate both forms. */
const stripTokenPrefix = (text: string) => {
  const trimmed = text.trim();
  return trimmed.startsWith(tokenBodyPrefix)
    ? trimmed.slice(tokenBodyPrefix.length).trim()
    : trimmed;
};

const parseJson = (text: string): { ok: true; value: unknown } | { ok: false } => {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
};

const describeUnparsable = (body: string) =>
  body === ''
    ? 'the body is empty'
    : body.startsWith('<')
      ? 'an HTML page came instead of JSON'
      : `the body is not valid JSON (${body.length} characters)`;

const describeIssues = (issues: ReadonlyArray<{ path: Array<string | number>; message: string }>) =>
  issues
    .slice(0, 3)
    .map(({ path, message }) => `${path.join('.') || 'body'}: ${message}`)
    .join(', ');

const hasErrorField = (value: unknown): value is { error: unknown } =>
  typeof value === 'object' &&
  value !== null &&
  'error' in value &&
  (typeof value.error === 'number'
    ? value.error !== 0
    : typeof value.error === 'string' && value.error.trim() !== '');

/** An answer that is neither a documented success nor a documented error. */
const unexpected = (call: XiaomiCallName, status: number, reason: string) =>
  failure(
    isOk(status)
      ? { kind: 'bad-body', call, status, reason }
      : { kind: 'http-status', call, status },
  );

/** A token endpoint answer as a token set or a named failure. */
export const parseTokenAnswer =
  (call: 'token' | 'refresh'): Parse<XiaomiTokenSet> =>
  ({ status, text }) => {
    const body = stripTokenPrefix(text);
    const json = parseJson(body);
    if (!json.ok) {
      return unexpected(call, status, describeUnparsable(body));
    }
    if (hasErrorField(json.value)) {
      const error = tokenErrorGuard.safeParse(json.value);
      if (error.success) {
        const { error: code, error_description: description } = error.data;
        // Tokens in the same body are secrets too, should Xiaomi quote them in the description.
        const inBody = tokenSecretsOf(json.value);
        return failure({
          kind: 'xiaomi-error',
          call,
          status,
          xiaomiCode: redact(String(code), inBody),
          description: description === undefined ? undefined : redact(description, inBody),
        });
      }
    }
    if (!isOk(status)) {
      return failure({ kind: 'http-status', call, status });
    }
    const token = tokenSuccessGuard.safeParse(json.value);
    return token.success
      ? { value: token.data }
      : failure({ kind: 'bad-body', call, status, reason: describeIssues(token.error.issues) });
  };

/** An open API answer (`result`, `code`, `description`, `data`) as its data or a failure. */
export const parseOpenApiAnswer =
  <T>(
    call: 'profile' | 'openid' | 'phoneAndEmail',
    dataGuard: z.ZodType<T, z.ZodTypeDef, unknown>,
  ): Parse<T> =>
  ({ status, text }) => {
    const body = stripTokenPrefix(text);
    const json = parseJson(body);
    if (!json.ok) {
      return unexpected(call, status, describeUnparsable(body));
    }
    const envelope = openApiEnvelopeGuard.safeParse(json.value);
    if (!envelope.success) {
      return unexpected(call, status, 'the body is not a JSON object');
    }
    const { result, code, description, data } = envelope.data;
    if (result === 'ok' && isOk(status)) {
      const parsed = dataGuard.safeParse(data);
      return parsed.success
        ? { value: parsed.data }
        : failure({ kind: 'bad-body', call, status, reason: describeIssues(parsed.error.issues) });
    }
    // An error may come with HTTP 200 or a 4xx, its code as a number or a numeric string.
    if (result === 'error' || (code !== undefined && String(code) !== '0')) {
      return failure({
        kind: 'xiaomi-error',
        call,
        status,
        xiaomiCode: code === undefined ? 'unknown' : String(code),
        description,
      });
    }
    return unexpected(call, status, 'result is not "ok"');
  };

/**
 * The failure as an error may show it: every text Xiaomi wrote in it with the call's secrets
 * redacted (raw and encoded), then cut short.
 */
export const redactFailure = (
  failed: XiaomiFailure,
  secrets: ReadonlyArray<string | undefined>,
): XiaomiFailure => {
  switch (failed.kind) {
    case 'xiaomi-error': {
      return {
        ...failed,
        xiaomiCode: redactAndQuote(failed.xiaomiCode, secrets),
        description:
          failed.description === undefined
            ? undefined
            : redactAndQuote(failed.description, secrets),
      };
    }
    case 'bad-body': {
      return { ...failed, reason: redactAndQuote(failed.reason, secrets) };
    }
    case 'redirect': {
      return failed.location === undefined
        ? failed
        : { ...failed, location: redactAndQuote(failed.location, secrets) };
    }
    case 'unreachable': {
      return { ...failed, cause: redactAndQuote(failed.cause, secrets) };
    }
    default: {
      return failed;
    }
  }
};

/** What the call log says an attempt ended in. */
export const outcomeOf = (parsed: Parsed<unknown>): string => {
  if ('value' in parsed) {
    return 'ok';
  }
  const { failure: failed } = parsed;
  return failed.kind === 'xiaomi-error'
    ? `Xiaomi error ${failed.xiaomiCode}`
    : failed.kind === 'unreachable'
      ? failed.cause
      : failed.kind;
};
