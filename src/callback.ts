import type { GetSession } from '@logto/connector-kit';

import { fail } from './errors.js';
import { callbackDataGuard, xiaomiSessionGuard, type XiaomiSession } from './types.js';

/**
 * Reads the session this sign-in started with. Logto passes a getSession that throws when there
 * is none (an admin linking an identity through the Management or Account API): then it is empty.
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
 * it with. Nothing here calls Xiaomi: a forged or failed callback stops before it.
 */
export const readCallback = (
  data: unknown,
  session: XiaomiSession,
  configuredRedirectUri: string | undefined,
): { code: string; redirectUri: string } => {
  const parsed = callbackDataGuard.safeParse(data);
  const callback = parsed.success ? parsed.data : {};

  // Logto core does not check `state` on the server, only its sign-in page does.
  if (session.state !== undefined && callback.state !== session.state) {
    return fail({ kind: 'state-mismatch' });
  }
  if (callback.error !== undefined && String(callback.error).trim() !== '') {
    return fail({
      kind: 'callback-error',
      xiaomiCode: String(callback.error),
      description: callback.error_description,
    });
  }
  if (!callback.code) {
    return fail({ kind: 'callback-without-code' });
  }
  const redirectUri = session.redirectUri ?? callback.redirectUri ?? configuredRedirectUri;
  return redirectUri
    ? { code: callback.code, redirectUri }
    : fail({ kind: 'missing-redirect-uri' });
};
