/**
 * HTTP to Xiaomi: one ky instance, one deadline per call (its retry and reading the answer
 * included) that the sign-in's end also triggers, and one function, `settle`, that turns whatever
 * an attempt ended in into a value or a named failure.
 */
import ky, { HTTPError } from 'ky';

import { failure, outcomeOf, redactFailure, type Parse, type Parsed } from './answers.js';
import { maxAnswerBytes } from './constant.js';
import { fail, type XiaomiCallName, type XiaomiFailure } from './errors.js';
import { readAtMost } from './read-answer.js';
import { startCallDeadline } from './sign-in-lifetime.js';

/** One HTTP attempt to Xiaomi, as reported to `onCall` (URLs never carry a secret here). */
export type XiaomiCall = {
  /** A call to Xiaomi's API, or the warm-up of the open-API connection (open-api-warm-up.ts). */
  name: XiaomiCallName | 'warmUp';
  method: 'GET' | 'POST';
  url: string;
  status?: number;
  durationMs: number;
  attempt: number;
  outcome: string;
};

export type XiaomiRequest = {
  name: XiaomiCallName;
  method: 'GET' | 'POST';
  url: string;
  /** The URL as it may be shown: no token in it. */
  shownUrl: string;
  body?: URLSearchParams;
  /** What Xiaomi's quoted text must not repeat, in any encoding. */
  secrets: ReadonlyArray<string | undefined>;
  /** The mobile app the call is for, named in its errors; none for the web app. */
  mobileAppId?: string;
  /** The sign-in's lifetime: when it ends, the call is cut short (sign-in-lifetime.ts). */
  lifetime?: AbortSignal;
};

/** Retried once on a GET: a 5xx is Xiaomi's gateway failing, not Xiaomi refusing. */
const serverErrors = Array.from({ length: 100 }, (_, index) => 500 + index);

/**
 * ky as the connector uses it: a GET retried once on a network error or a 5xx (never a POST:
 * codes and refresh tokens are single-use), no redirect followed. No per-attempt timeout: the
 * call's signal ends everything (ky 1.x's `timeout` stops at the response headers).
 */
const http = ky.create({
  timeout: false,
  redirect: 'manual',
  retry: {
    limit: 1,
    methods: ['get'],
    statusCodes: serverErrors,
    // A sign-in cannot wait for Retry-After. ky 1.2.3 (Logto's) ignores afterStatusCodes;
    // maxRetryAfter 0 makes it skip such a retry rather than wait.
    afterStatusCodes: [],
    maxRetryAfter: 0,
    // ky 1.2.3 reads a 0 ms delay as "no retry".
    delay: () => 1,
  },
  // ky ≥ 1.14 throws (so retries) only a 5xx; ky 1.2.3, which Logto ships, throws every non-2xx.
  // Both end in `settle`, which reads an HTTPError's response as any other answer.
  throwHttpErrors: (status) => status >= 500,
});

/** A network failure's system code (ECONNREFUSED, ECONNRESET…); never its URL, which may hold a token. */
export const causeOf = (error: unknown): string => {
  const cause = error instanceof Error ? error.cause : undefined;
  const code = [error, cause]
    .map((value) =>
      typeof value === 'object' && value !== null && 'code' in value ? value.code : undefined,
    )
    .find((value) => typeof value === 'string');
  return typeof code === 'string' ? code : error instanceof Error ? error.name : 'network error';
};

/** Where a redirect pointed, as far as an admin needs it: the origin, nothing of the path. */
const originOf = (location: string | null, base: string) => {
  try {
    return location === null ? undefined : new URL(location, base).origin;
  } catch {
    return undefined;
  }
};

/** Sends requests to Xiaomi; each ends in its parsed value or throws its named failure. */
export const createXiaomiHttp = ({
  timeoutMs,
  onCall,
}: {
  timeoutMs: number;
  onCall?: (call: XiaomiCall) => void;
}) =>
  async function send<T>(request: XiaomiRequest, parse: Parse<T>): Promise<T> {
    const { name: call, method, url, shownUrl, body, secrets, mobileAppId, lifetime } = request;
    // The call's one deadline, which the sign-in's end also triggers.
    const deadline = startCallDeadline(timeoutMs, lifetime);
    const started = performance.now();
    let attempt = 1;
    let attemptStarted = started;
    /** What a retried attempt said: more telling than a retry that got no answer at all. */
    let retried: XiaomiFailure | undefined;

    const answer = async (response: Response): Promise<Parsed<T>> => {
      const { status } = response;
      if (status >= 300 && status < 400) {
        void response.body?.cancel().catch(() => undefined);
        const location = originOf(response.headers.get('location'), url);
        return failure({ kind: 'redirect', call, status, location });
      }
      const text = await readAtMost(response, maxAnswerBytes);
      return text === undefined
        ? failure({ kind: 'too-large', call, status, limitBytes: maxAnswerBytes })
        : parse({ status, text });
    };

    const noAnswer = (error: unknown): Parsed<T> =>
      deadline.cutShort
        ? failure({ kind: 'cut-short', call })
        : deadline.signal.aborted
          ? failure({ kind: 'timeout', call, afterMs: timeoutMs })
          : failure(
              retried ?? {
                kind: 'unreachable',
                call,
                afterMs: Math.round(performance.now() - started),
                cause: causeOf(error),
              },
            );

    /** Ends an attempt: its answer read and parsed, or what stopped it; told to onCall. */
    const settle = async (ended: unknown): Promise<Parsed<T>> => {
      const response =
        ended instanceof Response ? ended : ended instanceof HTTPError ? ended.response : undefined;
      let parsed: Parsed<T>;
      try {
        parsed = response ? await answer(response) : noAnswer(ended);
      } catch (error: unknown) {
        // The body broke off: the deadline, or the connection.
        parsed = noAnswer(error);
      }
      if ('failure' in parsed) {
        parsed = failure(redactFailure(parsed.failure, secrets));
      }
      try {
        onCall?.({
          name: call,
          method,
          url: shownUrl,
          status: response?.status,
          durationMs: Math.round(performance.now() - attemptStarted),
          attempt,
          outcome: outcomeOf(parsed),
        });
      } catch {
        // An observer's failure is not the sign-in's.
      }
      return parsed;
    };

    try {
      const parsed = await settle(
        await http(url, {
          method,
          body,
          signal: deadline.signal,
          hooks: {
            // The attempt failed (a 5xx or no answer) and ky tries once more.
            beforeRetry: [
              async ({ error }) => {
                const said = await settle(error);
                if ('failure' in said && said.failure.kind !== 'unreachable') {
                  retried = said.failure;
                }
                attempt += 1;
                attemptStarted = performance.now();
              },
            ],
          },
        }).catch((error: unknown) => error),
      );
      return 'value' in parsed ? parsed.value : fail(parsed.failure, { mobileAppId });
    } finally {
      // Nothing of the call runs on: ky has settled its retry, and every body is read or cancelled.
      deadline.clear();
    }
  };
