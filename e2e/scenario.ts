/**
 * The end user's and the admin's steps, each checked the way they would notice: where the browser
 * lands, what Logto's APIs then say about the user, and what the simulated Xiaomi was asked.
 */
import type { Browser } from 'playwright-core';

import type { SimulatorAccount, XiaomiSimulator } from '../simulator/index.js';

import { openJourney, type Camera } from './browser.js';
import { decideAtXiaomi, reachXiaomiConsent, type CallbackOutcome } from './end-user.js';
import type { ManagementApi } from './management-api.js';
import { exchangeCode, randomState, readStoredToken, signInUrl, type OidcApp } from './oidc-app.js';
import type { Database } from './postgres.js';
import type { Report } from './report.js';
import { checkTokenAtSimulator, xiaomiCallsSince } from './simulator-checks.js';

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
};

/** The end-user and admin steps, in the order they run. */
export const stepNames = {
  firstSignIn: "Sign-in 1: a new user signs in with Xiaomi on Logto's sign-in page",
  secondSignIn: 'Sign-in 2: the same Xiaomi user signs in again, no new account',
  refusal: "Refusal: a user who denies at Xiaomi sees Logto's error",
  tokenStorage: "Token storage on: a sign-in stores Xiaomi's token set",
  tokenRefresh: 'Token storage: an expired stored token is refreshed through the connector',
  adminLink: 'Admin links a Xiaomi identity to an existing user (Management API)',
} as const;

const target = 'xiaomi';

const refusal = (outcome: CallbackOutcome): string =>
  `Logto refused the callback: verify → ${outcome.verifyStatus} ${outcome.verifyCode ?? ''}: ` +
  `${String(outcome.verifyData?.errorDescription ?? outcome.verifyMessage ?? '')}` +
  `; the sign-in page shows "${outcome.toast ?? ''}"`;

/** One end-user sign-in through the browser, ending with the app holding tokens for the user. */
const signInThroughBrowser = async (
  world: World,
  label: string,
  account: SimulatorAccount,
): Promise<{ userId: string; accessToken: string; xiaomiCalls: string }> => {
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
    const { accessToken, claims } = await exchangeCode(app, code);
    return {
      userId: claims.sub,
      accessToken,
      xiaomiCalls: xiaomiCallsSince(simulator, callsBefore),
    };
  } finally {
    await journey.context.close();
  }
};

const expectXiaomiIdentity = async (
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

export const firstSignIn = async (world: World, account: SimulatorAccount) =>
  world.report.step(stepNames.firstSignIn, async () => {
    const usersBefore = (await world.api.listUsers()).length;
    const signedIn = await signInThroughBrowser(world, 'signin1', account);
    const user = await expectXiaomiIdentity(world.api, signedIn.userId, account);
    const usersAfter = (await world.api.listUsers()).length;
    if (usersAfter !== usersBefore + 1) {
      throw new Error(`expected one new user, users went from ${usersBefore} to ${usersAfter}`);
    }
    if (user.name !== account.nickname) {
      throw new Error(
        `the new user's name is "${user.name ?? ''}", expected the Xiaomi nickname "${account.nickname}"`,
      );
    }
    return {
      detail: `app got its code and tokens; new user ${user.id}, identities.xiaomi.userId = ${account.unionId}, name "${user.name}"; Xiaomi saw ${signedIn.xiaomiCalls}`,
      value: signedIn,
    };
  });

export const secondSignIn = async (world: World, account: SimulatorAccount, firstUserId: string) =>
  world.report.step(stepNames.secondSignIn, async () => {
    const usersBefore = (await world.api.listUsers()).length;
    const signedIn = await signInThroughBrowser(world, 'signin2', account);
    if (signedIn.userId !== firstUserId) {
      throw new Error(
        `signed in as ${signedIn.userId}, expected the first sign-in's user ${firstUserId}`,
      );
    }
    const usersAfter = (await world.api.listUsers()).length;
    if (usersAfter !== usersBefore) {
      throw new Error(`users went from ${usersBefore} to ${usersAfter}`);
    }
    await expectXiaomiIdentity(world.api, signedIn.userId, account);
    return {
      detail: `signed in as ${signedIn.userId} again; still ${usersAfter} user(s)`,
      value: signedIn,
    };
  });

/** Xiaomi's answer when the user refuses: 96012 OA_ACCESS_DENIED (see shared/xiaomi-account-api.md). */
const accessDenied = '96012';

export const refusedSignIn = async (world: World, account: SimulatorAccount) =>
  world.report.step(stepNames.refusal, async () => {
    const { browser, simulator, camera, app, api } = world;
    const usersBefore = (await api.listUsers()).length;
    const journey = await openJourney(browser, {
      simulatorUrl: simulator.baseUrl,
      capture: [app.redirectUri],
    });
    try {
      const callsBefore = simulator.calls().length;
      await reachXiaomiConsent(journey, camera, {
        signInUrl: signInUrl(app, randomState()),
        label: 'refusal',
      });
      const outcome = await decideAtXiaomi(journey, camera, {
        label: 'refusal',
        accountUserId: account.userId,
        decision: 'deny',
        appRedirectUri: app.redirectUri,
      });
      if (outcome.appCallback) {
        throw new Error('the app got a code although the user denied');
      }
      const xiaomiCode = String(outcome.verifyData?.xiaomiCode ?? '');
      if (outcome.verifyCode !== 'connector.authorization_failed' || xiaomiCode !== accessDenied) {
        throw new Error(
          `Logto did not report the refusal: ${refusal(outcome)} (xiaomiCode "${xiaomiCode}")`,
        );
      }
      if (!outcome.toast || !new URL(journey.page.url()).pathname.startsWith('/sign-in')) {
        throw new Error(
          `expected Logto's sign-in page with an error, got ${journey.page.url()} toast "${outcome.toast ?? ''}"`,
        );
      }
      const calls = xiaomiCallsSince(simulator, callsBefore);
      if (calls.includes('/oauth2/token')) {
        throw new Error(`the connector called Xiaomi's token endpoint after a refusal: ${calls}`);
      }
      const usersAfter = (await api.listUsers()).length;
      if (usersAfter !== usersBefore) {
        throw new Error(`users went from ${usersBefore} to ${usersAfter}`);
      }
      return {
        detail: `verify → ${outcome.verifyStatus} ${outcome.verifyCode} (Xiaomi ${xiaomiCode}: "${String(outcome.verifyData?.errorDescription ?? '')}"); sign-in page toast "${outcome.toast}"; no token call, no new user`,
        value: true,
      };
    } finally {
      await journey.context.close();
    }
  });

export const tokenStorageSignIn = async (world: World, account: SimulatorAccount) =>
  world.report.step(stepNames.tokenStorage, async () => {
    const { api, connectorId, app, simulator } = world;
    await api.updateConnector(connectorId, { enableTokenStorage: true });
    const signedIn = await signInThroughBrowser(world, 'tokens', account);
    const identity = await api.userIdentity(signedIn.userId, target);
    const metadata = identity.tokenSecret?.metadata;
    if (!metadata?.hasRefreshToken || !metadata.expiresAt) {
      throw new Error(
        `no token set with a refresh token stored for the user: ${JSON.stringify(identity.tokenSecret ?? null)}`,
      );
    }
    const stored = await readStoredToken(app.endpoint, signedIn.accessToken, target);
    await checkTokenAtSimulator(simulator, world.xiaomiClientId, stored.access_token, account);
    return {
      detail: `stored token set: expires in ${Math.round((metadata.expiresAt - Date.now() / 1000) / 86_400)} days, scope "${metadata.scope ?? ''}", refresh token kept; the Account API returns an access token Xiaomi accepts`,
      value: { ...signedIn, accessTokenAtXiaomi: stored.access_token },
    };
  });

export const tokenRefresh = async (
  world: World,
  account: SimulatorAccount,
  signedIn: { userId: string; accessToken: string; accessTokenAtXiaomi: string },
) =>
  world.report.step(stepNames.tokenRefresh, async () => {
    const { api, app, simulator, database } = world;
    // Time passes: the stored set's expiry (seconds) is moved into the past; nothing else changes.
    await database.psql(`
      update secrets set metadata = jsonb_set(metadata, '{expiresAt}',
        to_jsonb(extract(epoch from now())::bigint - 60))
      where user_id = '${signedIn.userId}' and type = 'federated_token_set'`);
    const callsBefore = simulator.calls().length;
    const refreshed = await readStoredToken(app.endpoint, signedIn.accessToken, target);
    const calls = xiaomiCallsSince(simulator, callsBefore);
    if (refreshed.access_token === signedIn.accessTokenAtXiaomi) {
      throw new Error(
        'the Account API returned the expired access token instead of a refreshed one',
      );
    }
    if (!calls.includes('POST /oauth2/token')) {
      throw new Error(
        `no refresh call reached Xiaomi's token endpoint (calls: ${calls || 'none'})`,
      );
    }
    await checkTokenAtSimulator(simulator, world.xiaomiClientId, refreshed.access_token, account);
    const identity = await api.userIdentity(signedIn.userId, target);
    const expiresAt = identity.tokenSecret?.metadata.expiresAt ?? 0;
    if (expiresAt <= Date.now() / 1000) {
      throw new Error('the stored token set still counts as expired after the refresh');
    }
    const again = await readStoredToken(app.endpoint, signedIn.accessToken, target);
    if (again.access_token !== refreshed.access_token) {
      throw new Error('a second read refreshed again although the new token had not expired');
    }
    return {
      detail: `expired set refreshed: Xiaomi saw ${calls}; new access token accepted by Xiaomi, stored with a new expiry; the next read reuses it`,
      value: true,
    };
  });

export const adminLinksIdentity = async (world: World, account: SimulatorAccount) =>
  world.report.step(stepNames.adminLink, async () => {
    const { api, browser, simulator, camera, connectorId, adminRedirectUri } = world;
    const user = await api.createUser({ username: 'existing_user', name: 'Existing user' });
    const state = randomState();
    const { redirectTo } = await api.authorizationUri(connectorId, {
      state,
      redirectUri: adminRedirectUri,
    });
    const journey = await openJourney(browser, {
      simulatorUrl: simulator.baseUrl,
      capture: [adminRedirectUri],
    });
    try {
      await journey.page.goto(redirectTo);
      await journey.page.locator('#allow').waitFor({ timeout: 30_000 });
      await journey.page.check(`input[name=account][value="${account.userId}"]`);
      await camera.shoot(journey.page, 'admin-link-xiaomi-consent');
      await journey.page.click('#allow');
      const callback = await journey.captures.waitFor(adminRedirectUri, 30_000);
      await camera.shoot(journey.page, 'admin-link-callback');
      // As Logto's own integration test does: the callback's query plus the redirect URI.
      const identities = await api.linkIdentity(user.id, {
        connectorId,
        connectorData: {
          ...Object.fromEntries(callback.searchParams),
          redirectUri: adminRedirectUri,
        },
      });
      if (identities[target]?.userId !== account.unionId) {
        throw new Error(`identities after linking: ${JSON.stringify(identities)}`);
      }
      await expectXiaomiIdentity(api, user.id, account);
      return {
        detail: `authorization-uri → Xiaomi consent → POST /users/${user.id}/identities: identities.xiaomi.userId = ${account.unionId}`,
        value: true,
      };
    } finally {
      await journey.context.close();
    }
  });
