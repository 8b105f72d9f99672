import type { GetSession } from '@logto/connector-kit';

import type { LoadedConfig } from './config.js';
import { fail } from './errors.js';
import { mobileApp, webApp, type XiaomiApp } from './mobile-apps.js';
import { redactAndQuote } from './redact.js';
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

/** Longest App ID an error repeats; Xiaomi's have 19 digits. */
const maxAppIdLength = 32;

/**
 * The app the code was issued to: the web app unless the callback names a configured mobile app.
 * An App ID the config does not hold stops here, before Xiaomi could see any app's secret.
 */
const appOfCallback = (config: LoadedConfig, clientId: string | null | undefined): XiaomiApp => {
  const appId = clientId?.trim();
  if (!appId || appId === config.clientId) {
    return webApp(config);
  }
  if (!/^\d+$/.test(appId) || appId.length > maxAppIdLength) {
    return fail({
      kind: 'malformed-callback',
      problems: ['clientId must be the Xiaomi App ID the code was issued to, digits only'],
    });
  }
  return mobileApp(config, appId) ?? fail({ kind: 'unknown-mobile-app', appId });
};

/**
 * Checks the callback against the session and returns the code, the app it was issued to, and
 * the redirect URI to exchange it with. Nothing here calls Xiaomi: a forged, failed, malformed or
 * unknown app's callback stops before it.
 */
export const readCallback = (
  data: unknown,
  session: XiaomiSession,
  config: LoadedConfig,
): { code: string; redirectUri: string; app: XiaomiApp } => {
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
    // Anyone can craft a callback: its text is quoted as Xiaomi's is, cut short.
    return fail({
      kind: 'callback-error',
      xiaomiCode: redactAndQuote(String(callback.error), [callback.code ?? undefined]),
      description:
        callback.error_description === undefined
          ? undefined
          : redactAndQuote(callback.error_description, [callback.code ?? undefined]),
    });
  }
  if (!callback.code) {
    return fail({ kind: 'callback-without-code' });
  }
  const app = appOfCallback(config, callback.clientId);
  // The session's URI is the one the flow started with (for a mobile app, the one its SDK
  // used), and Xiaomi wants it again. The configured one is the web app's only.
  const redirectUri =
    session.redirectUri ??
    callback.redirectUri ??
    (app.kind === 'web' ? config.redirectUri : undefined);
  return redirectUri
    ? { code: callback.code, redirectUri, app }
    : fail({ kind: 'missing-redirect-uri' });
};
