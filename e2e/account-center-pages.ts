/**
 * What a signed-in end user does in Logto's Account Center (`/account`, Logto 1.38+): sign up or
 * sign in on Logto's sign-in page, open Security, press Add, Change or Remove on the Xiaomi row,
 * verify with the password when asked, and decide on the (simulated) Xiaomi consent page. Buttons
 * are found by their visible text; Logto's text inputs have no accessible name (their labels are
 * not tied to them), so those are found by their `name`.
 */
import { setTimeout as sleep } from 'node:timers/promises';

import type { Browser, Page, Route } from 'playwright-core';
import { z } from 'zod';

import type { SimulatorAccount } from '../simulator/index.js';

import { openJourney, type Camera, type Journey } from './browser.js';

const waitMs = 30_000;

/** One Account Center API call the page made, as the browser saw it. */
export type PageApiCall = {
  method: string;
  path: string;
  status: number;
  request: unknown;
  response: unknown;
};

/** A message Logto's toast showed; `reloadAfterMs` when the page was left while it was up. */
export type ShownToast = { text: string; reloadAfterMs?: number };

export type AccountCenterJourney = Journey & {
  /** The calls the pages made to the verification and identity APIs, in order. */
  apiCalls: PageApiCall[];
  /** Every message Logto's toast showed in this journey, even one a reload cut short. */
  toasts(): Promise<ShownToast[]>;
  /** The toasts once there is at least one (bounded wait). */
  waitForToasts(): Promise<ShownToast[]>;
};

/** The APIs the Account Center's social flow calls (apis/social.ts). */
const recordedApi = /^\/api\/(verifications\/social|my-account\/identities)/;

const toastKey = 'e2e-toasts';
const leaveKey = 'e2e-page-left';
/** How long Logto's toast stays up when nothing cuts it short (its 3 s). */
const toastLifeMs = 3000;

/**
 * Notes each toast text, and each time the page is left, into sessionStorage: the Account Center
 * sets a toast and may reload the page at once (utils/social-flow.ts), so the toast can be gone
 * before a locator sees it. No named functions inside: tsx would wrap them in a helper the
 * browser does not have.
 */
const recordToasts = ({ toasts, leaves }: { toasts: string; leaves: string }) => {
  let last = '';
  new MutationObserver(() => {
    for (const toast of Array.from(document.querySelectorAll('[role="toast"]'))) {
      const text = toast.textContent?.trim() ?? '';
      if (text && text !== last) {
        last = text;
        const seen: unknown = JSON.parse(sessionStorage.getItem(toasts) ?? '[]');
        const list = Array.isArray(seen) ? seen.map(String) : [];
        sessionStorage.setItem(toasts, JSON.stringify([...list, `${Date.now()} ${text}`]));
      }
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });
  addEventListener('pagehide', () => {
    const seen: unknown = JSON.parse(sessionStorage.getItem(leaves) ?? '[]');
    const list = Array.isArray(seen) ? seen.map(String) : [];
    sessionStorage.setItem(leaves, JSON.stringify([...list, String(Date.now())]));
  });
};

const storedList = z
  .string()
  .nullable()
  .transform((text) => z.array(z.string()).parse(JSON.parse(text ?? '[]')));

const parseJson = (text: string | null): unknown => {
  if (!text) {
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

export const openAccountCenterJourney = async (
  browser: Browser,
  simulatorUrl: string,
): Promise<AccountCenterJourney> => {
  const opened = await openJourney(browser, { simulatorUrl, capture: [] });
  const apiCalls: PageApiCall[] = [];
  await opened.context.addInitScript(recordToasts, { toasts: toastKey, leaves: leaveKey });
  // Passed through unchanged; only read, so the answer is known even after the page moved on.
  await opened.context.route(
    (url) => recordedApi.test(url.pathname),
    async (route: Route) => {
      const request = route.request();
      const response = await route.fetch();
      const body = await response.text();
      apiCalls.push({
        method: request.method(),
        path: new URL(request.url()).pathname,
        status: response.status(),
        request: parseJson(request.postData()),
        response: parseJson(body),
      });
      await route.fulfill({ response, body });
    },
  );
  const toasts = async (): Promise<ShownToast[]> => {
    const [shown, left] = await opened.page.evaluate(
      (keys) => keys.map((key) => sessionStorage.getItem(key)),
      [toastKey, leaveKey],
    );
    const leaves = storedList.parse(left ?? null).map(Number);
    return storedList.parse(shown ?? null).map((entry) => {
      const at = Number(entry.slice(0, entry.indexOf(' ')));
      const leftAt = leaves.find((time) => time >= at && time < at + toastLifeMs);
      return {
        text: entry.slice(entry.indexOf(' ') + 1),
        ...(leftAt !== undefined && { reloadAfterMs: leftAt - at }),
      };
    });
  };
  return {
    ...opened,
    apiCalls,
    toasts,
    waitForToasts: async () => {
      const deadline = Date.now() + waitMs;
      while (Date.now() < deadline) {
        const seen = await toasts();
        if (seen.length > 0) {
          return seen;
        }
        await sleep(100);
      }
      throw new Error(`Logto showed no toast within ${waitMs / 1000} s (at ${opened.page.url()})`);
    },
  };
};

const onSecurityPage = async (page: Page) => {
  await page.waitForURL((url) => url.pathname === '/account/security', { timeout: waitMs });
  await page.getByText('Social sign-in').waitFor({ timeout: waitMs });
};

export type PasswordUser = { username: string; password: string };

/** /account/security → Logto's sign-in page → Create account → username, then password. */
export const signUpWithPassword = async (
  { page }: Journey,
  camera: Camera,
  endpoint: string,
  { username, password }: PasswordUser,
): Promise<void> => {
  await page.goto(`${endpoint}/account/security`);
  await page.getByRole('link', { name: 'Create account' }).click({ timeout: waitMs });
  await page.locator('input[name="identifier"]').fill(username);
  await camera.shoot(page, 'account-center-sign-up');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.locator('input[name="newPassword"]').fill(password);
  await page.locator('input[name="confirmPassword"]').fill(password);
  await page.getByRole('button', { name: 'Save password' }).click();
  await onSecurityPage(page);
};

/** /account/security → Logto's sign-in page → username and password → back on Security. */
export const signInWithPassword = async (
  { page }: Journey,
  endpoint: string,
  { username, password }: PasswordUser,
): Promise<void> => {
  await page.goto(`${endpoint}/account/security`);
  await page.locator('input[name="identifier"]').fill(username, { timeout: waitMs });
  await page.locator('input[name="password"]').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await onSecurityPage(page);
};

/** The Xiaomi row of the Security page's "Social sign-in" section (stable layout class names). */
export const xiaomiRow = (page: Page) =>
  page
    .locator('.logto_ac-section')
    .filter({ hasText: 'Social sign-in' })
    .locator('.logto_ac-row')
    .filter({ hasText: 'Xiaomi' });

export const xiaomiRowText = async (page: Page): Promise<string> =>
  ((await xiaomiRow(page).innerText({ timeout: waitMs })) || '').replace(/\s+/g, ' ').trim();

/**
 * After Add, Change or Remove: Logto asks for the password unless this page session verified
 * already. Fills it in when asked (true); false once `isPast` says the flow went on without it.
 */
export const verifyPasswordIfAsked = async (
  page: Page,
  password: string,
  isPast: () => Promise<boolean>,
): Promise<boolean> => {
  const asked = page.getByText('Verify password', { exact: true });
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    if (await asked.isVisible()) {
      await page.locator('input[name="currentPassword"]').fill(password);
      await page.getByRole('button', { name: 'Continue' }).click();
      return true;
    }
    if (await isPast()) {
      return false;
    }
    await sleep(200);
  }
  throw new Error(
    `neither Logto's "Verify password" page nor the next step within ${waitMs / 1000} s (at ${page.url()})`,
  );
};

export const isAtXiaomi = (page: Page) => async () =>
  new URL(page.url()).hostname === 'account.xiaomi.com';

/** On the simulated consent page: picks the account and allows. */
export const allowAtXiaomi = async (
  page: Page,
  camera: Camera,
  { label, account }: { label: string; account: SimulatorAccount },
): Promise<void> => {
  const refused = page.locator('#error-code');
  await page.locator('#allow').or(refused).waitFor({ timeout: waitMs });
  if (await refused.isVisible()) {
    await camera.shoot(page, `${label}-xiaomi-refused`);
    const redirectUri = new URL(page.url()).searchParams.get('redirect_uri');
    throw new Error(
      `Xiaomi refused the request: ${(await refused.innerText()).trim()} ("${(await page.locator('#error-description').innerText()).trim()}") for redirect_uri ${redirectUri ?? 'none'}`,
    );
  }
  await page.check(`input[name=account][value="${account.userId}"]`);
  await camera.shoot(page, `${label}-xiaomi-consent`);
  await page.click('#allow');
};

/** Logto's "Update successful" page, then Done back to Security. */
export const confirmUpdateSuccessful = async (
  page: Page,
  camera: Camera,
  label: string,
): Promise<void> => {
  const done = page.getByRole('button', { name: 'Done' });
  await page.getByText('Update successful').waitFor({ timeout: waitMs });
  await camera.shoot(page, `${label}-update-successful`);
  await done.click();
  await onSecurityPage(page);
};
