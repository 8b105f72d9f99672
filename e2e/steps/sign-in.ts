/**
 * The end user's sign-ins on Logto's own sign-in page, checked the way they would notice: where the
 * browser lands, what Logto then says about the user, and what the simulated Xiaomi was asked.
 */
import type { SimulatorAccount } from '../../simulator/index.js';

import { openJourney } from '../browser.js';
import { decideAtXiaomi, reachXiaomiConsent } from '../end-user.js';
import { randomState, signInUrl } from '../oidc-app.js';
import { xiaomiCallsSince } from '../simulator-checks.js';
import {
  expectXiaomiIdentity,
  refusal,
  signInThroughBrowser,
  stepNames,
  type World,
} from '../world.js';

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
      detail: `app got its code and tokens; new user ${user.id}, identities.xiaomi.userId = ${account.unionId}, name "${user.name}"; ${signedIn.state}; Xiaomi saw ${signedIn.xiaomiCalls}`,
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

/** Logto keeps phone numbers as digits with the country code (`+86 138 0013 8000` → 8613800138000). */
const asLogtoPhone = (phone: string) => phone.replace(/\D/g, '');

export const contactSignIn = async (world: World, account: SimulatorAccount) =>
  world.report.step(stepNames.contactSignIn, async () => {
    const signedIn = await signInThroughBrowser(world, 'signin3', account);
    const user = await expectXiaomiIdentity(world.api, signedIn.userId, account);
    // Logto copies a new social user's email, phone, name and avatar into the account
    // (toSyncedProfile in core's routes/experience/classes/verifications/social-verification.ts).
    const expected = { primaryEmail: account.email, primaryPhone: asLogtoPhone(account.phone) };
    const actual = { primaryEmail: user.primaryEmail, primaryPhone: user.primaryPhone };
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      throw new Error(
        `the new user has ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`,
      );
    }
    // Any of Xiaomi's sizes of the account's picture will do (the simulator adds ?size=…).
    if (!user.avatar || new URL(user.avatar).pathname !== new URL(account.icon).pathname) {
      throw new Error(
        `the new user's avatar is ${user.avatar ?? 'none'}, expected ${account.icon}`,
      );
    }
    return {
      detail: `new user ${user.id}: primaryEmail ${user.primaryEmail ?? ''}, primaryPhone ${user.primaryPhone ?? ''} (Xiaomi wrote "${account.phone}"), avatar ${user.avatar}; Xiaomi saw ${signedIn.xiaomiCalls}`,
      value: true,
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
