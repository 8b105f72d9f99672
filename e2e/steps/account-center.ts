/**
 * Logto's Account Center (Logto 1.38+), driven as its user would: a user who signed up with a
 * password links Xiaomi on /account/security, replaces it (Change, 1.40+), removes it, and tries a
 * Xiaomi account someone else has. The flow, from logto-io/logto v1.41.0: packages/account's
 * pages/SocialFlow and pages/SocialCallback, apis/social.ts; core's routes/verification/index.ts
 * (the connector session lives in the verification record) and routes/account/identities.ts.
 * The callback the flow uses, which PR #9464 changed, is checked in social-callback.ts.
 */
import { z } from 'zod';

import type { SimulatorAccount } from '../../simulator/index.js';

import {
  allowAtXiaomi,
  confirmUpdateSuccessful,
  isAtXiaomi,
  openAccountCenterJourney,
  signInWithPassword,
  signUpWithPassword,
  verifyPasswordIfAsked,
  xiaomiRow,
  xiaomiRowText,
  type AccountCenterJourney,
  type PageApiCall,
  type PasswordUser,
} from '../account-center-pages.js';
import {
  accountCenterRedirectUri,
  expectAccountCenterCallback,
  isAccountCenterState,
} from '../social-callback.js';
import { expectXiaomiIdentity, stepNames, target, type World } from '../world.js';

export type AccountCenterUser = PasswordUser & { userId: string };

const withJourney = async <T>(
  world: World,
  run: (journey: AccountCenterJourney) => Promise<T>,
): Promise<T> => {
  const journey = await openAccountCenterJourney(world.browser, world.simulator.baseUrl);
  try {
    return await run(journey);
  } finally {
    await journey.context.close();
  }
};

const findCall = (calls: PageApiCall[], method: string, path: string): PageApiCall => {
  const call = calls.find((entry) => entry.method === method && entry.path === path);
  if (!call) {
    const seen = calls.map((entry) => `${entry.method} ${entry.path} → ${entry.status}`);
    throw new Error(
      `the page never called ${method} ${path} (it called: ${seen.join(', ') || 'nothing'})`,
    );
  }
  return call;
};

const verifyBodyGuard = z.object({
  verificationRecordId: z.string(),
  connectorData: z.record(z.unknown()),
});
/** Logto's ids are short alphanumeric strings (generateStandardId), safe inside SQL quotes. */
const createdGuard = z.object({ verificationRecordId: z.string().regex(/^[\da-z]+$/i) });
const sessionGuard = z.record(z.unknown());

/** What the callback page posted to core, and the connector session core kept (key names only). */
const describeConnectorCall = async (world: World, calls: PageApiCall[]) => {
  const created = createdGuard.parse(findCall(calls, 'POST', '/api/verifications/social').response);
  const verify = verifyBodyGuard.parse(
    findCall(calls, 'POST', '/api/verifications/social/verify').request,
  );
  const { connectorData } = verify;
  const redirectUri = accountCenterRedirectUri(world);
  if (
    connectorData.redirectUri !== redirectUri ||
    !isAccountCenterState(world, connectorData.state)
  ) {
    throw new Error(
      `connectorData has redirectUri ${String(connectorData.redirectUri)} (expected ${redirectUri}) and a state of the wrong shape`,
    );
  }
  const kept = (
    await world.database.psql(
      `select data->'connectorSession' from verification_records where id = '${created.verificationRecordId}'`,
    )
  ).trim();
  const session = sessionGuard.parse(JSON.parse(kept || '{}'));
  if (session.state !== connectorData.state || session.redirectUri !== connectorData.redirectUri) {
    throw new Error(
      `the connector session in verification record ${created.verificationRecordId} does not hold the flow's state and redirect URI (keys: ${Object.keys(session).join(', ')})`,
    );
  }
  return `the callback page posted connectorData {${Object.keys(connectorData).join(', ')}} to /api/verifications/social/verify; core keeps the connector session {${Object.keys(session).join(', ')}} in the verification record (same state and redirect URI)`;
};

const statusOf = (calls: PageApiCall[], method: string, path: string) =>
  `${method} ${path} → ${findCall(calls, method, path).status}`;

/** Presses a button of the Xiaomi row, verifies with the password if asked, allows at Xiaomi. */
const linkThroughXiaomi = async (
  world: World,
  { page }: AccountCenterJourney,
  {
    button,
    user,
    account,
    label,
  }: { button: 'Add' | 'Change'; user: PasswordUser; account: SimulatorAccount; label: string },
) => {
  await xiaomiRow(page).getByRole('button', { name: button }).click();
  const asked = await verifyPasswordIfAsked(page, user.password, isAtXiaomi(page));
  await allowAtXiaomi(page, world.camera, { label, account });
  return asked ? 'verified with the password' : 'not asked to verify';
};

const expectRowShows = async (journey: AccountCenterJourney, text: string) => {
  const row = await xiaomiRowText(journey.page);
  if (!row.includes(text)) {
    throw new Error(`the Xiaomi row shows "${row}", expected "${text}"`);
  }
  return row;
};

export const accountCenterLink = async (
  world: World,
  account: SimulatorAccount,
  user: PasswordUser,
) =>
  world.report.step(stepNames.accountCenterLink, async () => {
    const { api, app, camera, simulator } = world;
    // The user signs up with a username and a password on Logto's sign-in page.
    await api.updateSignInExperience({
      signUp: { identifiers: ['username'], password: true, verify: false },
    });
    world.secrets.set(user.password, "the Account Center user's password");
    return withJourney(world, async (journey) => {
      await signUpWithPassword(journey, camera, app.endpoint, user);
      await expectRowShows(journey, 'Not linked');
      await camera.shoot(journey.page, 'account-center-security');
      const callsBefore = simulator.calls().length;
      const verified = await linkThroughXiaomi(world, journey, {
        button: 'Add',
        user,
        account,
        label: 'account-center-link',
      });
      await confirmUpdateSuccessful(journey.page, camera, 'account-center-link');
      const row = await expectRowShows(journey, account.nickname);
      await camera.shoot(journey.page, 'account-center-linked');
      const found = (await api.listUsers()).find(({ username }) => username === user.username);
      if (!found) {
        throw new Error(`no Logto user with username ${user.username}`);
      }
      await expectXiaomiIdentity(api, found.id, account);
      const callback = expectAccountCenterCallback(world, {
        callsFrom: callsBefore,
        navigations: journey.navigations,
      });
      const connectorCall = await describeConnectorCall(world, journey.apiCalls);
      return {
        detail: `signed up as ${user.username} with a password; Add, ${verified}, allowed at Xiaomi, "Update successful"; the row shows "${row}"; identities.xiaomi.userId = ${account.unionId} (Management API); ${callback}; ${connectorCall}; ${statusOf(journey.apiCalls, 'POST', '/api/my-account/identities')}`,
        value: { ...user, userId: found.id },
      };
    });
  });

export const accountCenterChange = async (
  world: World,
  { from, to }: { from: SimulatorAccount; to: SimulatorAccount },
  user: AccountCenterUser,
) =>
  world.report.step(stepNames.accountCenterChange, async () => {
    const { api, app, camera, simulator } = world;
    return withJourney(world, async (journey) => {
      await signInWithPassword(journey, app.endpoint, user);
      await expectRowShows(journey, from.nickname);
      const callsBefore = simulator.calls().length;
      const verified = await linkThroughXiaomi(world, journey, {
        button: 'Change',
        user,
        account: to,
        label: 'account-center-change',
      });
      await confirmUpdateSuccessful(journey.page, camera, 'account-center-change');
      const row = await expectRowShows(journey, to.nickname);
      await camera.shoot(journey.page, 'account-center-changed');
      await expectXiaomiIdentity(api, user.userId, to);
      const callback = expectAccountCenterCallback(world, {
        callsFrom: callsBefore,
        navigations: journey.navigations,
      });
      return {
        detail: `signed in with the password; Change, ${verified}, chose ${to.nickname} at Xiaomi; the row shows "${row}"; identities.xiaomi.userId = ${to.unionId} (was ${from.unionId}); ${statusOf(journey.apiCalls, 'PUT', '/api/my-account/identities')}; ${callback}`,
        value: true,
      };
    });
  });

export const accountCenterRemove = async (world: World, user: AccountCenterUser) =>
  world.report.step(stepNames.accountCenterRemove, async () => {
    const { api, app, camera } = world;
    return withJourney(world, async (journey) => {
      const { page } = journey;
      await signInWithPassword(journey, app.endpoint, user);
      const before = await xiaomiRowText(page);
      await xiaomiRow(page).getByRole('button', { name: 'Remove' }).click();
      const dialog = page.getByRole('dialog');
      await camera.shoot(page, 'account-center-remove-confirm');
      await dialog.getByRole('button', { name: 'Remove' }).click();
      const notLinked = xiaomiRow(page).filter({ hasText: 'Not linked' });
      const verified = await verifyPasswordIfAsked(
        page,
        user.password,
        async () => (await notLinked.count()) > 0,
      );
      await notLinked.waitFor({ timeout: 30_000 });
      const toasts = await journey.waitForToasts();
      await camera.shoot(page, 'account-center-removed');
      const after = await api.getUser(user.userId);
      if (after.identities[target]) {
        throw new Error(
          `the user still has identities.${target}: ${after.identities[target].userId}`,
        );
      }
      return {
        detail: `signed in with the password; the row showed "${before}"; Remove, confirmed${verified ? ', verified with the password' : ''}; Logto's toast "${toasts.map(({ text }) => text).join('" / "')}", the row shows "Not linked"; no ${target} identity left (Management API); ${statusOf(journey.apiCalls, 'DELETE', `/api/my-account/identities/${target}`)}`,
        value: true,
      };
    });
  });

const errorGuard = z.object({ code: z.string(), message: z.string() }).passthrough();

export const accountCenterTaken = async (
  world: World,
  account: SimulatorAccount,
  user: AccountCenterUser,
) =>
  world.report.step(stepNames.accountCenterTaken, async () => {
    const { api, app, camera } = world;
    const owner = (await api.listUsers()).find(
      ({ identities }) => identities[target]?.userId === account.unionId,
    );
    if (!owner || owner.id === user.userId) {
      throw new Error(`nobody else has ${account.unionId} linked (did sign-in 1 pass?)`);
    }
    const identitiesBefore = (await api.getUser(user.userId)).identities;
    return withJourney(world, async (journey) => {
      const { page } = journey;
      await signInWithPassword(journey, app.endpoint, user);
      await linkThroughXiaomi(world, journey, {
        button: 'Add',
        user,
        account,
        label: 'account-center-taken',
      });
      await page.waitForURL((url) => url.pathname === '/account/security', { timeout: 30_000 });
      await xiaomiRow(page).filter({ hasText: 'Not linked' }).waitFor({ timeout: 30_000 });
      await camera.shoot(page, 'account-center-taken');
      const link = findCall(journey.apiCalls, 'POST', '/api/my-account/identities');
      const refusal = errorGuard.safeParse(link.response);
      const toasts = await journey.waitForToasts();
      if (link.status < 400 || !refusal.success) {
        throw new Error(
          `POST /api/my-account/identities answered ${link.status}: ${JSON.stringify(link.response)}`,
        );
      }
      const shown = toasts.find(({ text }) => text === refusal.data.message);
      if (!shown) {
        throw new Error(
          `the page did not show Logto's message "${refusal.data.message}" (toasts: ${JSON.stringify(toasts)})`,
        );
      }
      const identitiesAfter = (await api.getUser(user.userId)).identities;
      if (JSON.stringify(identitiesAfter) !== JSON.stringify(identitiesBefore)) {
        throw new Error(`the user's identities changed: ${JSON.stringify(identitiesAfter)}`);
      }
      await expectXiaomiIdentity(api, owner.id, account);
      return {
        detail: `Add, allowed at Xiaomi with ${account.nickname} (linked to user ${owner.id}); POST /api/my-account/identities → ${link.status} ${refusal.data.code}; the page showed Logto's toast "${refusal.data.message}"${shown.reloadAfterMs === undefined ? '' : ` and reloaded ${shown.reloadAfterMs} ms later (utils/social-flow.ts sends the user back with location.assign, so the message is gone at once)`}, back on Security with "Not linked"; ${user.username}'s identities are as before (${Object.keys(identitiesAfter).join(', ') || 'none'}), ${owner.id} still has ${account.unionId}`,
        value: true,
      };
    });
  });

/** The user the Account Center steps sign up (obvious fake values). */
const accountCenterUser: PasswordUser = {
  username: 'account_center_user',
  password: 'fake-e2e-Passw0rd-ac',
};

/** The four journeys in order, each skipped with the reason where this Logto lacks it. */
export const accountCenterJourneys = async (
  world: World,
  {
    first,
    second,
    taken,
  }: { first: SimulatorAccount; second: SimulatorAccount; taken: SimulatorAccount },
): Promise<void> => {
  const { report } = world;
  const { skipReason, changeSkipReason } = world.accountCenter;
  const later = [
    stepNames.accountCenterChange,
    stepNames.accountCenterRemove,
    stepNames.accountCenterTaken,
  ];
  if (skipReason) {
    for (const name of [stepNames.accountCenterLink, ...later]) {
      report.skip(name, skipReason, { notInThisLogto: true });
    }
    return;
  }
  const user = await accountCenterLink(world, first, accountCenterUser);
  if (!user) {
    for (const name of later) {
      report.skip(name, 'needs the Account Center link step');
    }
    return;
  }
  if (changeSkipReason) {
    report.skip(stepNames.accountCenterChange, changeSkipReason, { notInThisLogto: true });
  } else {
    await accountCenterChange(world, { from: first, to: second }, user);
  }
  await accountCenterRemove(world, user);
  await accountCenterTaken(world, taken, user);
};
