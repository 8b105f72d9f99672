/**
 * What a call to Xiaomi ended in, in words: the connector's `onCall` names the outcome for code
 * ("http-status", "timeout", a network error's code), the calls table says it for people.
 */
import type { XiaomiCall } from '../../src/index.js';

const named = new Map<string, (status: number | undefined) => string>(
  Object.entries({
    ok: () => 'Answered',
    'http-status': (status) =>
      status !== undefined && status >= 500
        ? `HTTP ${status}: Xiaomi’s server failed`
        : `HTTP ${status ?? '?'} without an error code`,
    redirect: (status) => `Redirect (HTTP ${status ?? '?'}), not followed`,
    'too-large': () => 'Answer too large, not read',
    'bad-body': () => 'Answer not as Xiaomi documents it',
    timeout: () => 'No answer in time',
  }),
);

export const callOutcomeWords = ({ outcome, status }: XiaomiCall): string =>
  named.get(outcome)?.(status) ??
  // "Xiaomi error 96003" already reads well; anything else is why no answer came (ECONNREFUSED…).
  (outcome.startsWith('Xiaomi error') ? outcome : `No connection (${outcome})`);
