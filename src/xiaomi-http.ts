/**
 * HTTP to Xiaomi: one ky instance per connector, and the one place where each call's end (an
 * answer, ky's TimeoutError, a network error, the deadline) becomes a value or a named failure.
 */
import ky, { HTTPError, TimeoutError, type KyInstance, type Options } from 'ky';

import { failure, outcomeOf, redactFailure, type Parse, type Parsed } from './answers.js';
import { maxAnswerBytes } from './constant.js';
import { Deadline, deadlinePassed } from './deadline.js';
import { fail, type XiaomiCallName, type XiaomiFailure } from './errors.js';
import { readAtMost } from './read-answer.js';

/** One HTTP attempt to Xiaomi, as reported to `onCall` (URLs never carry a secret here). */
export type XiaomiCall = {
  name: XiaomiCallName;
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
};

/** Retried once on a GET: a 5xx is Xiaomi's gateway failing, not Xiaomi refusing. */
const serverErrors = Array.from({ length: 100 }, (_, index) => 500 + index);

/** A network failure's system code (ECONNREFUSED, ECONNRESET…); never its URL, which may hold a token. */
const causeOf = (error: unknown): string => {
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

/** An answer nobody will read (a redirect, or one after its call ended): let its connection go. */
const discard = (ended: unknown) => {
  const response = ended instanceof HTTPError ? ended.response : ended;
  if (response instanceof Response) {
    void response.body?.cancel().catch(() => undefined);
  }
};

/**
 * One call to Xiaomi: what its ky hooks report per attempt, and the one place where an attempt's
 * end (an answer, ky's TimeoutError, a network error, the deadline) becomes a value or a named
 * failure.
 */
class Call<T> {
  private attempt = 1;
  private readonly started = performance.now();
  private attemptStarted = this.started;
  /** What a retried attempt said: more telling than a retry that got no answer at all. */
  private retried?: XiaomiFailure;

  constructor(
    readonly request: XiaomiRequest,
    private readonly parse: Parse<T>,
    private readonly deadline: Deadline,
    private readonly report?: (call: XiaomiCall) => void,
  ) {}

  /**
   * ky's beforeRetry: the attempt failed (a 5xx or no answer), ky tries once more. The first
   * attempt starts with the call; hooking only retries keeps ky's per-attempt hook work off the
   * usual path.
   */
  async retrying(error: Error): Promise<typeof ky.stop | undefined> {
    if (!this.deadline.passed) {
      const parsed = await this.settle(error);
      if ('failure' in parsed && parsed.failure.kind !== 'unreachable') {
        this.retried = parsed.failure;
      }
      this.attempt += 1;
      this.attemptStarted = performance.now();
    }
    // The call has ended (maybe while this answer was read): a retry would run unread.
    return this.deadline.passed ? ky.stop : undefined;
  }

  /** Ends the current attempt: reads and parses the answer, or names what went wrong instead. */
  async settle(ended: unknown): Promise<Parsed<T>> {
    const response =
      ended instanceof Response ? ended : ended instanceof HTTPError ? ended.response : undefined;
    let parsed: Parsed<T>;
    try {
      parsed = response ? await this.answer(response) : this.noAnswer(ended);
    } catch (error: unknown) {
      // The body broke off: the deadline, or the connection.
      parsed = this.noAnswer(error);
    }
    parsed =
      'failure' in parsed ? failure(redactFailure(parsed.failure, this.request.secrets)) : parsed;
    const { name, method, shownUrl: url } = this.request;
    this.report?.({
      name,
      method,
      url,
      status: response?.status,
      durationMs: Math.round(performance.now() - this.attemptStarted),
      attempt: this.attempt,
      outcome: outcomeOf(parsed),
    });
    return parsed;
  }

  private async answer(response: Response): Promise<Parsed<T>> {
    const { name: call } = this.request;
    const { status } = response;
    if (status >= 300 && status < 400) {
      discard(response);
      const location = originOf(response.headers.get('location'), this.request.url);
      return failure({ kind: 'redirect', call, status, location });
    }
    const text = await readAtMost(response, maxAnswerBytes, this.deadline);
    return text === undefined
      ? failure({ kind: 'too-large', call, status, limitBytes: maxAnswerBytes })
      : this.parse({ status, text });
  }

  private noAnswer(error: unknown): Parsed<T> {
    const { name: call } = this.request;
    if (this.deadline.passed || error instanceof TimeoutError) {
      return failure({ kind: 'timeout', call, afterMs: this.deadline.timeoutMs });
    }
    const afterMs = Math.round(performance.now() - this.started);
    return failure(this.retried ?? { kind: 'unreachable', call, afterMs, cause: causeOf(error) });
  }
}

const callOf = (options: { context?: Record<string, unknown> }) => {
  const call = options.context?.call;
  return call instanceof Call ? call : undefined;
};

/**
 * ky as the connector uses it: one deadline per attempt, a GET retried once on a network error or
 * a 5xx (never a POST: codes and refresh tokens are single-use), no redirect followed. The
 * beforeRetry hook reports each attempt ky retries; Call.settle reports the last one.
 */
const createHttp = (timeoutMs: number): KyInstance =>
  ky.create({
    timeout: timeoutMs,
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
    // Both end in Call.settle, which reads an HTTPError's response as any other answer.
    throwHttpErrors: (status) => status >= 500,
    hooks: {
      beforeRetry: [async ({ options, error }) => callOf(options)?.retrying(error)],
    },
  });

/** Sends requests to Xiaomi; each ends in its parsed value or throws its named failure. */
export const createXiaomiHttp = ({
  timeoutMs,
  onCall,
}: {
  timeoutMs: number;
  onCall?: (call: XiaomiCall) => void;
}) => {
  const http = createHttp(timeoutMs);

  const report =
    onCall &&
    ((call: XiaomiCall) => {
      try {
        onCall(call);
      } catch {
        // An observer's failure is not the sign-in's.
      }
    });

  /** Sends one request under one deadline for the whole call: its retry and its body included. */
  const send = async <T>(request: XiaomiRequest, parse: Parse<T>): Promise<T> => {
    const deadline = new Deadline(timeoutMs);
    const call = new Call(request, parse, deadline, report);
    const options: Options = { method: request.method, body: request.body, context: { call } };
    try {
      const attempts = http(request.url, options).catch((error: unknown) => error);
      const ended = await deadline.race(attempts);
      if (ended === deadlinePassed) {
        void attempts.then(discard);
      }
      const parsed = await call.settle(ended);
      return 'value' in parsed ? parsed.value : fail(parsed.failure);
    } finally {
      deadline.clear();
    }
  };

  return send;
};
