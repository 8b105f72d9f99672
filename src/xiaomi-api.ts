import { ConnectorError } from '@logto/connector-kit';
import type { ZodType, ZodTypeDef } from 'zod';

import { tokenBodyPrefix, type XiaomiEndpoints } from './constant.js';
import { fail, redact, type XiaomiCallName, type XiaomiFailure } from './errors.js';
import {
  openApiEnvelopeGuard,
  openIdDataGuard,
  phoneAndEmailDataGuard,
  profileDataGuard,
  tokenErrorGuard,
  tokenSecretsOf,
  tokenSuccessGuard,
  type XiaomiTokenSet,
} from './types.js';

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

export type XiaomiApiOptions = {
  endpoints: XiaomiEndpoints;
  timeoutMs: number;
  onCall?: (call: XiaomiCall) => void;
};

type Answer = { status: number; text: string };

type Request = {
  name: XiaomiCallName;
  method: 'GET' | 'POST';
  url: string;
  /** The URL as it may be shown: no token in it. */
  shownUrl: string;
  body?: URLSearchParams;
};

const isOk = (status: number) => status >= 200 && status < 300;

const codeOf = (value: unknown) =>
  typeof value === 'object' && value !== null && 'code' in value && typeof value.code === 'string'
    ? value.code
    : undefined;

/** A network failure's system code (ECONNREFUSED, ECONNRESET…); never its URL, which may hold a token. */
const causeOf = (error: unknown): string =>
  codeOf(error) ??
  codeOf(error instanceof Error ? error.cause : undefined) ??
  (error instanceof Error ? error.name : 'network error');

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

type Parsed<T> = { value: T } | { failure: XiaomiFailure };

const failure = (value: XiaomiFailure): { failure: XiaomiFailure } => ({ failure: value });

/** An answer that is neither a documented success nor a documented error. */
const unexpected = (call: XiaomiCallName, status: number, reason: string) =>
  failure(
    isOk(status)
      ? { kind: 'bad-body', call, status, reason }
      : { kind: 'http-status', call, status },
  );

/** Turns a token endpoint answer into a token set or a named failure. */
const parseTokenAnswer = (
  call: 'token' | 'refresh',
  { status, text }: Answer,
  secrets: string[],
): Parsed<XiaomiTokenSet> => {
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
      const known = [...secrets, ...tokenSecretsOf(json.value)];
      return failure({
        kind: 'xiaomi-error',
        call,
        status,
        xiaomiCode: redact(String(code), known),
        description: description === undefined ? undefined : redact(description, known),
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

/** Turns an open API answer (`result`, `code`, `description`, `data`) into its data or a failure. */
const parseOpenApiAnswer = <T>(
  call: 'profile' | 'openid' | 'phoneAndEmail',
  { status, text }: Answer,
  dataGuard: ZodType<T, ZodTypeDef, unknown>,
  accessToken: string,
): Parsed<T> => {
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
      xiaomiCode: code === undefined ? 'unknown' : redact(String(code), [accessToken]),
      description: description === undefined ? undefined : redact(description, [accessToken]),
    });
  }
  return unexpected(call, status, 'result is not "ok"');
};

const outcomeOf = (parsed: Parsed<unknown>) =>
  'value' in parsed
    ? 'ok'
    : parsed.failure.kind === 'xiaomi-error'
      ? `Xiaomi error ${parsed.failure.xiaomiCode}`
      : parsed.failure.kind;

/**
 * Everything that talks to Xiaomi. Each function either returns a parsed value or throws the
 * ConnectorError of a named failure; no HTTP, JSON or timeout error escapes from here.
 */
export const createXiaomiApi = ({ endpoints, timeoutMs, onCall }: XiaomiApiOptions) => {
  const report = (call: XiaomiCall) => {
    try {
      onCall?.(call);
    } catch {
      // An observer's failure is not the sign-in's.
    }
  };

  /**
   * Sends one request and parses its answer. A GET may be tried twice (network error or 5xx)
   * within one deadline; a POST once: a code and a refresh token are single-use.
   */
  const send = async <T>(
    { name, method, url, shownUrl, body }: Request,
    parse: (answer: Answer) => Parsed<T>,
    deadline: AbortSignal,
  ): Promise<T> => {
    const started = performance.now();
    const attempts = method === 'GET' ? 2 : 1;
    // What a retried attempt said: more telling than a retry that got no answer at all.
    let earlier: XiaomiFailure | undefined;

    for (let attempt = 1; ; attempt++) {
      const attemptStarted = performance.now();
      const shown = { name, method, url: shownUrl, attempt };
      const elapsed = () => Math.round(performance.now() - attemptStarted);
      try {
        const response = await fetch(url, { method, body, signal: deadline });
        const answer = { status: response.status, text: await response.text() };
        const parsed = parse(answer);
        report({
          ...shown,
          status: answer.status,
          durationMs: elapsed(),
          outcome: outcomeOf(parsed),
        });
        if (
          'failure' in parsed &&
          answer.status >= 500 &&
          attempt < attempts &&
          !deadline.aborted
        ) {
          earlier = parsed.failure;
          continue;
        }
        return 'value' in parsed ? parsed.value : fail(parsed.failure);
      } catch (error: unknown) {
        if (error instanceof ConnectorError) {
          throw error;
        }
        if (deadline.aborted) {
          report({ ...shown, durationMs: elapsed(), outcome: 'timeout' });
          return fail({ kind: 'timeout', call: name, afterMs: timeoutMs });
        }
        const cause = causeOf(error);
        report({ ...shown, durationMs: elapsed(), outcome: cause });
        if (attempt < attempts) {
          continue;
        }
        const afterMs = Math.round(performance.now() - started);
        return fail(earlier ?? { kind: 'unreachable', call: name, afterMs, cause });
      }
    }
  };

  /** Runs `send` under the call's deadline. */
  const call = async <T>(request: Request, parse: (answer: Answer) => Parsed<T>): Promise<T> => {
    // One deadline for the whole call, retry and body included; cleared as soon as it settles.
    const controller = new AbortController();
    const timer = setTimeout(() => {
      controller.abort();
    }, timeoutMs);
    try {
      return await send(request, parse, controller.signal);
    } finally {
      clearTimeout(timer);
    }
  };

  const requestToken = async (
    name: 'token' | 'refresh',
    params: Record<string, string>,
    secrets: string[],
  ): Promise<XiaomiTokenSet> =>
    call(
      {
        name,
        method: 'POST',
        url: endpoints.token,
        shownUrl: endpoints.token,
        body: new URLSearchParams(params),
      },
      (answer) => parseTokenAnswer(name, answer, secrets),
    );

  const readOpenApi = async <T>(
    name: 'profile' | 'openid' | 'phoneAndEmail',
    endpoint: string,
    dataGuard: ZodType<T, ZodTypeDef, unknown>,
    { clientId, accessToken }: { clientId: string; accessToken: string },
  ): Promise<T> => {
    const query = `clientId=${encodeURIComponent(clientId)}&token=`;
    return call(
      {
        name,
        method: 'GET',
        url: `${endpoint}?${query}${encodeURIComponent(accessToken)}`,
        shownUrl: `${endpoint}?${query}***`,
      },
      (answer) => parseOpenApiAnswer(name, answer, dataGuard, accessToken),
    );
  };

  type Credentials = { clientId: string; clientSecret: string };
  type Access = { clientId: string; accessToken: string };

  return {
    exchangeCode: async (
      { clientId, clientSecret }: Credentials,
      { code, redirectUri }: { code: string; redirectUri: string },
    ) =>
      requestToken(
        'token',
        {
          client_id: clientId,
          client_secret: clientSecret,
          grant_type: 'authorization_code',
          code,
          redirect_uri: redirectUri,
        },
        [clientSecret, code],
      ),
    // Xiaomi requires the redirect URI on refresh too.
    refresh: async (
      { clientId, clientSecret }: Credentials,
      { refreshToken, redirectUri }: { refreshToken: string; redirectUri: string },
    ) =>
      requestToken(
        'refresh',
        {
          client_id: clientId,
          client_secret: clientSecret,
          grant_type: 'refresh_token',
          refresh_token: refreshToken,
          redirect_uri: redirectUri,
        },
        [clientSecret, refreshToken],
      ),
    readProfile: async (access: Access) =>
      readOpenApi('profile', endpoints.profile, profileDataGuard, access),
    readOpenId: async (access: Access) =>
      readOpenApi('openid', endpoints.openId, openIdDataGuard, access),
    readPhoneAndEmail: async (access: Access) =>
      readOpenApi('phoneAndEmail', endpoints.phoneAndEmail, phoneAndEmailDataGuard, access),
  };
};
