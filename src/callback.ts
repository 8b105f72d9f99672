import type { GetSession } from '@logto/connector-kit';

import { fail } from './errors.js';
import { callbackDataGuard, xiaomiSessionGuard, type XiaomiSession } from './types.js';

/**
 * Reads the session this sign-in started with. It is empty when Logto has none: an admin linking
 * an identity passes a getSession that throws (core's routes/admin-user/social.ts), and core's
 * getConnectorSessionResult throws once the session was used.
 */
export const readSession = async (getSession: GetSession): Promise<XiaomiSession> => {
  try {
    const parsed = xiaomiSessionGuard.safeParse(await getSession());
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
};

/**
 * Checks the callback against the session and returns the code and the redirect URI to exchange
 * it with. Nothing here calls Xiaomi: a forged, failed or malformed callback stops before it.
 */
export const readCallback = (
  data: unknown,
  session: XiaomiSession,
  configuredRedirectUri: string | undefined,
): { code: string; redirectUri: string } => {
  const parsed = callbackDataGuard.safeParse(data);
  if (!parsed.success) {
    return fail({
      kind: 'malformed-callback',
      problems: parsed.error.issues
        .slice(0, 3)
        .map(({ path, message }) => `${path.join('.') || 'the callback'} ${message}`),
    });
  }
  const callback = parsed.data;

  // Logto's sign-in page checks `state` in the browser and strips it (experience app,
  // use-social-sign-in-listener.ts): no state means "already checked". A state that is passed
  // through (an API client) must be the one this sign-in stored.
  if (callback.state != null && session.state !== undefined && callback.state !== session.state) {
    return fail({ kind: 'state-mismatch' });
  }
  if (callback.error != null && String(callback.error).trim() !== '') {
    return fail({
      kind: 'callback-error',
      xiaomiCode: String(callback.error),
      description: callback.error_description,
    });
  }
  if (!callback.code) {
    return fail({ kind: 'callback-without-code' });
  }
  // The session's URI is the one Xiaomi saw at authorize time, and Xiaomi wants it again.
  const redirectUri = session.redirectUri ?? callback.redirectUri ?? configuredRedirectUri;
  return redirectUri
    ? { code: callback.code, redirectUri }
    : fail({ kind: 'missing-redirect-uri' });
};
