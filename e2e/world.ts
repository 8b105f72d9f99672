/**
 * What every step works with, the step names in run order, and the sign-in every end-user step
 * starts from: the app's link → Logto's sign-in page → Xiaomi → Logto's callback page → the app.
 */
import type { Browser } from 'playwright-core';

import type { SimulatorAccount, XiaomiSimulator } from '../simulator/index.js';

import type { AccountCenterSupport } from './account-center.js';
import type { NativeApp } from './android-app.js';
import type { AndroidSupport } from './android-support.js';
import { openJourney, type Camera } from './browser.js';
import {
  decideAtXiaomi,
  reachXiaomiConsent,
  showAppResult,
  type CallbackOutcome,
} from './end-user.js';
import type { ManagementApi } from './management-api.js';
import { exchangeCode, randomState, signInUrl, type OidcApp } from './oidc-app.js';
import type { Database } from './postgres.js';
import type { Report } from './report.js';
import { xiaomiCallsSince } from './simulator-checks.js';
import { expectSignInState } from './social-callback.js';

export type World = {
  report: Report;
  camera: Camera;
  browser: Browser;
  simulator: XiaomiSimulator;
  database: Database;
  api: ManagementApi;
  app: OidcApp;
  connectorId: string;
  /** The App ID the connector is configured with (the simulator's registered app). */
  xiaomiClientId: string;
  /** Where the admin's own page gets Xiaomi's answer when linking an identity. */
  adminRedirectUri: string;
  /** Logto's output so far. */
  logtoLog: () => string;
  /** Secrets seen during the run, each with what it is (never printed): none may leak. */
  secrets: Map<string, string>;
  /** What this Logto's Account Center can do (the social section is Logto 1.38+), and its callback. */
  accountCenter: AccountCenterSupport;
  /** The Android app: its Native app in Logto, and the steps this Logto has the routes for. */
  android: { app: NativeApp; support: AndroidSupport };
};

/** The end-user and admin steps, in the order they run. */
export const stepNames = {
  firstSignIn: "Sign-in 1: a new user signs in with Xiaomi on Logto's sign-in page",
  secondSignIn: 'Sign-in 2: the same Xiaomi user signs in again, no new account',
  contactSignIn: 'Sign-in 3: a Xiaomi user with phone and email gets both on the new account',
  refusal: "Refusal: a user who denies at Xiaomi sees Logto's error",
  tokenStorage: "Token storage on: a sign-in stores Xiaomi's token set",
  tokenRefresh: 'Token storage: an expired stored token is refreshed through the connector',
  tokenParallel: 'Token storage: two Account API reads at once after expiry both succeed',
  adminLink: 'Admin links a Xiaomi identity to an existing user (Management API)',
  androidSignIn:
    "Android app: a new user signs in with Xiaomi's SDK code through the Experience API",
  androidRefresh:
    "Android app: the app's stored Xiaomi token is refreshed through the connector with the mobile app",
  androidWebSignIn:
    "Android app: the same Xiaomi user signs in on Logto's web sign-in page and is the same user",
  androidLink: 'Android app: a signed-in user links Xiaomi through the Account API',
  androidUnknownApp:
    "Android app: a code for an App ID the connector is not configured for gets Logto's error, no user",
  accountCenterLink:
    'Account Center: a user who signed up with a password links Xiaomi on /account/security',
  accountCenterChange: 'Account Center: the user replaces it with another Xiaomi account (Change)',
  accountCenterRemove: 'Account Center: the user removes it',
  accountCenterTaken:
    "Account Center: a Xiaomi account linked to someone else gets Logto's message, nothing changes",
  noSecrets: "No secret in users' identities, Logto's audit log, verification records or output",
} as const;

/** The connector's target: where Logto keeps the user's Xiaomi identity. */
export const target = 'xiaomi';

export const refusal = (outcome: CallbackOutcome): string =>
  `Logto refused the callback: verify → ${outcome.verifyStatus} ${outcome.verifyCode ?? ''}: ` +
  `${String(outcome.verifyData?.errorDescription ?? outcome.verifyMessage ?? '')}` +
  `; the sign-in page shows "${outcome.toast ?? ''}"`;

/** One end-user sign-in through the browser, ending with the app holding tokens for the user. */
export const signInThroughBrowser = async (
  world: World,
  label: string,
  account: SimulatorAccount,
): Promise<{ userId: string; accessToken: string; xiaomiCalls: string; state: string }> => {
  const { browser, simulator, camera, app } = world;
  const journey = await openJourney(browser, {
    simulatorUrl: simulator.baseUrl,
    capture: [app.redirectUri],
  });
  try {
    const state = randomState();
    const callsBefore = simulator.calls().length;
    await reachXiaomiConsent(journey, camera, { signInUrl: signInUrl(app, state), label });
    const outcome = await decideAtXiaomi(journey, camera, {
      label,
      accountUserId: account.userId,
      decision: 'allow',
      appRedirectUri: app.redirectUri,
    });
    if (!outcome.appCallback) {
      throw new Error(refusal(outcome));
    }
    const code = outcome.appCallback.searchParams.get('code');
    if (!code || outcome.appCallback.searchParams.get('state') !== state) {
      throw new Error(`the app's callback lacks its code or state: ${outcome.appCallback.search}`);
    }
    const sentState = expectSignInState(journey.navigations, world.accountCenter.socialCallback);
    const { accessToken, claims } = await exchangeCode(app, code);
    const user = await world.api.getUser(claims.sub);
    await showAppResult(journey, camera, { label, title: 'The app is signed in' }, [
      ['ID token sub', claims.sub],
      ['name', user.name ?? ''],
      ['identities.xiaomi.userId', user.identities[target]?.userId ?? '(none)'],
    ]);
    return {
      userId: claims.sub,
      accessToken,
      xiaomiCalls: xiaomiCallsSince(simulator, callsBefore),
      state: sentState,
    };
  } finally {
    await journey.context.close();
  }
};

export const expectXiaomiIdentity = async (
  api: ManagementApi,
  userId: string,
  account: SimulatorAccount,
) => {
  const user = await api.getUser(userId);
  const identity = user.identities[target];
  if (identity?.userId !== account.unionId) {
    throw new Error(
      `user ${userId} has identities.${target}.userId = ${identity?.userId ?? 'none'}, expected the profile's unionId ${account.unionId}`,
    );
  }
  return user;
};
