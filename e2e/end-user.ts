/**
 * What an end user does in the browser: the app sends them to Logto's sign-in page, they press
 * "Continue with Xiaomi", choose an account on the (simulated) Xiaomi consent page and allow or
 * deny, and Logto's callback page takes it from there. Selectors are the visible texts of Logto's
 * sign-in page and the simulator's consent page (its #allow, #deny and account radios).
 */
import type { Page, Response } from 'playwright-core';
import { z } from 'zod';

import type { Camera, Journey } from './browser.js';

export type CallbackOutcome = {
  /** What POST /api/experience/verification/social/:id/verify answered (Logto core). */
  verifyStatus: number;
  verifyCode?: string;
  verifyMessage?: string;
  /** The ConnectorError's data Logto passes on (errorDescription and the connector's own fields). */
  verifyData?: Record<string, unknown>;
  /** The redirect back to the app, with its code, when the sign-in went through. */
  appCallback?: URL;
  /** The message Logto's sign-in page shows in its toast, when it did not. */
  toast?: string;
};

const isVerifyCall = (response: Response) =>
  response.request().method() === 'POST' &&
  /\/api\/experience\/verification\/social\/[^/]+\/verify$/.test(new URL(response.url()).pathname);

/** Logto's error body (RequestError.toBody): code, message and the ConnectorError's data. */
const errorBodyGuard = z.object({
  code: z.string().optional(),
  message: z.string().optional(),
  data: z.record(z.unknown()).optional(),
});

const readError = async (response: Response) => {
  try {
    const parsed = errorBodyGuard.safeParse(await response.json());
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
};

/** From the app's sign-in link to Xiaomi's consent page, through Logto's sign-in page. */
export const reachXiaomiConsent = async (
  { page }: Journey,
  camera: Camera,
  { signInUrl, label }: { signInUrl: string; label: string },
): Promise<void> => {
  await page.goto(signInUrl);
  const button = page.getByRole('button', { name: 'Continue with Xiaomi' });
  await button.waitFor({ timeout: 30_000 });
  await camera.shoot(page, `${label}-logto-sign-in-page`);
  await button.click();
  await page.waitForURL((url) => url.hostname === 'account.xiaomi.com', { timeout: 30_000 });
  await page.locator('#allow').waitFor({ timeout: 30_000 });
};

/** On the consent page: picks the account and presses Allow or Deny; returns what Logto did. */
export const decideAtXiaomi = async (
  { page, captures }: Journey,
  camera: Camera,
  {
    label,
    accountUserId,
    decision,
    appRedirectUri,
  }: { label: string; accountUserId: string; decision: 'allow' | 'deny'; appRedirectUri: string },
): Promise<CallbackOutcome> => {
  await page.check(`input[name=account][value="${accountUserId}"]`);
  await camera.shoot(page, `${label}-xiaomi-consent`);
  const [response] = await Promise.all([
    page.waitForResponse(isVerifyCall, { timeout: 60_000 }),
    page.click(decision === 'allow' ? '#allow' : '#deny'),
  ]);
  const verifyStatus = response.status();
  if (!response.ok()) {
    const { code, message, data } = await readError(response);
    // Logto's callback page shows the error as a toast (3 s) on its sign-in page.
    const toast = page.locator('[role="toast"]');
    await toast.waitFor({ timeout: 15_000 });
    const text = (await toast.textContent())?.trim();
    // Past the toast's 300 ms fade-in (react-modal closeTimeoutMS), well within its 3 s life.
    await page.waitForTimeout(500);
    await camera.shoot(page, `${label}-logto-error`);
    return {
      verifyStatus,
      verifyCode: code,
      verifyMessage: message,
      verifyData: data,
      toast: text,
    };
  }
  try {
    const appCallback = await captures.waitFor(appRedirectUri, 60_000);
    return { verifyStatus, appCallback };
  } catch (error: unknown) {
    await camera.shoot(page, `${label}-stuck`);
    const toast = await visibleToast(page);
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}; page ${page.url()}${toast ? `, toast "${toast}"` : ''}`,
    );
  }
};

const visibleToast = async (page: Page): Promise<string | undefined> => {
  const toast = page.locator('[role="toast"]');
  return (await toast.count()) > 0 ? ((await toast.first().textContent()) ?? undefined) : undefined;
};

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`);

/** What the app (or the admin's page) shows once done: what Logto now says about the user. */
export const showAppResult = async (
  { page }: Journey,
  camera: Camera,
  { label, title }: { label: string; title: string },
  lines: Array<[string, string]>,
): Promise<void> => {
  const rows = lines
    .map(([key, value]) => `<tr><th>${escapeHtml(key)}</th><td>${escapeHtml(value)}</td></tr>`)
    .join('');
  await page.setContent(
    `<!doctype html><meta charset="utf-8"><title>App</title><style>body{font:16px system-ui;margin:40px}th{text-align:left;padding-right:16px}td,th{padding:4px}</style><h1>${escapeHtml(title)}</h1><table>${rows}</table>`,
  );
  await camera.shoot(page, `${label}-result`);
};
