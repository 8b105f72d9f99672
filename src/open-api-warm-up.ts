/**
 * Opens the connections to Xiaomi's open-API host while the code exchange runs, so that the
 * profile call and the extras beside it find them ready: on a cold sign-in, TCP and TLS to that
 * host cost about two round trips, paid beside the code exchange instead of after it (issue 26).
 * Nothing there can be asked for before the token is known, and Node's fetch cannot open a
 * connection without a request: so a plain GET of `/` per connection, carrying nothing of the
 * sign-in (no query, no cookie, no credential), its redirect not followed, its body read up to a
 * bound (the connection then goes back to the pool) or cancelled. HEAD would not do: undici closes
 * the connection after it. One connection per call: undici sends one request at a time on a
 * connection (no pipelining), so calls side by side each need their own, and warm-ups side by
 * side each open one.
 *
 * It goes through the global fetch, as every call does, so Logto's preloads and proxies apply.
 * Only when the host has been idle: a busy Logto's connections are open, and it would pay a
 * request per sign-in for nothing.
 */
import ky from 'ky';

import { maxAnswerBytes } from './constant.js';
import { readAtMost } from './read-answer.js';
import { startCallDeadline } from './sign-in-lifetime.js';
import { causeOf, type XiaomiCall } from './xiaomi-http.js';

/** When each open-API origin was last used. Per process: Logto builds a connector per request. */
const lastUsed = new Map<string, number>();

/** One attempt, no redirect followed, any status an answer; the deadline is the signal. */
const http = ky.create({ timeout: false, retry: 0, redirect: 'manual', throwHttpErrors: false });

export type OpenApiWarmUp = {
  /**
   * Starts a warm-up for each of `connections`, side by side, unless the host was used within
   * the idle time; each ends (never failing) at its deadline or when the sign-in's lifetime does,
   * whichever comes first.
   */
  start: (lifetime: AbortSignal, connections: number) => Promise<void> | undefined;
  /** Notes that a sign-in has just used the host: its connection stays open a few seconds. */
  used: () => void;
};

export const createOpenApiWarmUp = ({
  openApiBaseUrl,
  idleMs,
  timeoutMs,
  onCall,
}: {
  openApiBaseUrl: string;
  idleMs: number;
  timeoutMs: number;
  onCall?: (call: XiaomiCall) => void;
}): OpenApiWarmUp => {
  const { origin } = new URL(openApiBaseUrl);
  const url = `${origin}/`;

  const warmUp = async (lifetime: AbortSignal, attempt: number) => {
    const deadline = startCallDeadline(timeoutMs, lifetime);
    const started = performance.now();
    let status: number | undefined;
    let outcome: string;
    try {
      const response = await http.get(url, { signal: deadline.signal });
      ({ status } = response);
      // Read whole, the connection is kept; larger, it is cancelled and closed.
      outcome = (await readAtMost(response, maxAnswerBytes)) === undefined ? 'too-large' : 'ok';
    } catch (error: unknown) {
      outcome = deadline.cutShort
        ? 'cut-short'
        : deadline.signal.aborted
          ? 'timeout'
          : causeOf(error);
    } finally {
      deadline.clear();
    }
    if (outcome === 'ok') {
      // undici hands an answered connection back to its pool a turn of the event loop later
      // (a setImmediate in its HTTP/1 client): before that, the profile call would open another.
      await new Promise((resolve) => setImmediate(resolve));
      lastUsed.set(origin, performance.now());
    }
    try {
      onCall?.({
        name: 'warmUp',
        method: 'GET',
        url,
        status,
        durationMs: Math.round(performance.now() - started),
        // Which of the sign-in's warm-ups: each opens a connection of its own.
        attempt,
        outcome,
      });
    } catch {
      // An observer's failure is not the sign-in's.
    }
  };

  return {
    start: (lifetime, connections) => {
      const last = lastUsed.get(origin);
      if (last !== undefined && performance.now() - last < idleMs) {
        return undefined;
      }
      const all = Array.from({ length: connections }, async (_, index) =>
        warmUp(lifetime, index + 1),
      );
      return Promise.all(all).then(() => undefined);
    },
    used: () => {
      lastUsed.set(origin, performance.now());
    },
  };
};

/** Waits for the warm-ups to end, at most `waitMs`; a slow or dead host then costs no more. */
export const awaitWarmUp = async (warmUp: Promise<void> | undefined, waitMs: number) => {
  if (!warmUp) {
    return;
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    warmUp,
    new Promise((resolve) => {
      timer = setTimeout(resolve, waitMs);
    }),
  ]);
  clearTimeout(timer);
};
