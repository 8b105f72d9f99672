/**
 * A code the way Xiaomi's Android SDK gets one on the phone
 * (`XiaomiOAuthorize().setAppId(…).setRedirectUrl(…).setScope(…).setState(…).startGetOAuthCode`):
 * no browser, the account the phone is signed in to, the code and the state handed to the app.
 * The app must be a registered Mobile/Tablet app and the redirect URL one registered for it; the
 * code is bound to that App ID and redirect URL like a browser's, so the token endpoint exchanges
 * it with that app's App ID, App Secret and URL only.
 */
import { z } from 'zod';

import { errorCodes, type ErrorCode } from './data.js';
import { isRegisteredRedirectUri } from './redirect-uri.js';
import { parseScopes } from './scopes.js';
import type { SimulatorStore } from './store.js';

export const sdkCodeRequestGuard = z
  .object({
    /** `setAppId`: the mobile app's App ID, as digits. */
    appId: z.string().regex(/^\d+$/, 'must be the App ID, digits only'),
    /** `setRedirectUrl`: a redirect URL registered for the app. */
    redirectUrl: z.string().min(1),
    /** `setScope`: the SDK takes an int array; space-separated text works too. Default: all the app's. */
    scope: z.union([z.string(), z.array(z.number().int().nonnegative())]).optional(),
    /** `setState`: handed back with the code. */
    state: z.string().optional(),
    /** The account the phone is signed in to (a sample account's userId); default the first. */
    account: z.string().optional(),
  })
  .strict();

export type SdkCodeRequest = z.input<typeof sdkCodeRequestGuard>;

export type SdkCodeResult =
  { code: string; state?: string } | { error: ErrorCode; error_description: string };

const refused = (error: ErrorCode, description: string): SdkCodeResult => ({
  error,
  error_description: description,
});

export const mintSdkCode = (store: SimulatorStore, input: unknown): SdkCodeResult => {
  const parsed = sdkCodeRequestGuard.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return refused(
      errorCodes.invalidRequest,
      `invalid request${issue ? `: ${[...issue.path, issue.message].join(' ')}` : ''}`,
    );
  }
  const { appId, redirectUrl, scope, state, account: userId } = parsed.data;
  const app = store.findApp(appId);
  if (!app) {
    return refused(errorCodes.clientNotExists, 'client not exists');
  }
  if (app.kind !== 'mobile') {
    // The SDK checks the calling package against the app's registered one: a web app has none.
    return refused(
      errorCodes.unauthorizedClient,
      'this App ID is a web app: the SDK signs in Mobile/Tablet apps only',
    );
  }
  if (
    store.faults.get(appId).redirectUriNotRegistered ||
    !isRegisteredRedirectUri(redirectUrl, app.redirectUris)
  ) {
    return refused(
      errorCodes.invalidRedirectUri,
      'the redirect URL is not one registered for this app',
    );
  }
  const scopes = parseScopes(Array.isArray(scope) ? scope.join(' ') : scope, app);
  if (!scopes.ok) {
    return refused(errorCodes.invalidScope, scopes.description);
  }
  const account = userId === undefined ? store.accounts[0] : store.findAccount(userId);
  if (!account) {
    return refused(errorCodes.invalidRequest, 'no such account');
  }
  const code = store.issueCode(
    {
      clientId: app.clientId,
      redirectUri: redirectUrl,
      scopes: scopes.scopes,
      state: state ?? null,
    },
    account,
  );
  return state === undefined ? { code } : { code, state };
};
