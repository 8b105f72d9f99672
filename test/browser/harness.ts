/**
 * What the browser tests share: one playground and one Chromium per test file, a fresh browser
 * context and page per test, screenshots in .tmp/screenshots/. Needs Chromium at /usr/bin/chromium
 * (CHROMIUM_PATH overrides) and a built connector: `npm run test:browser`.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';

import { startPlayground, type Playground } from '../../playground/server.js';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const screenshotDir = path.resolve('.tmp', 'screenshots');

/** The calling test file's playground, Chromium, and the current test's context and page. */
export let playground: Playground;
export let browser: Browser;
export let context: BrowserContext;
export let page: Page;

export const useBrowser = (): void => {
  beforeAll(async () => {
    if (!existsSync(executablePath)) {
      throw new Error(
        `No Chromium at ${executablePath}: install it (apt-get install -y chromium) or set CHROMIUM_PATH.`,
      );
    }
    mkdirSync(screenshotDir, { recursive: true });
    playground = await startPlayground({ port: 0 });
    browser = await chromium.launch({
      executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await playground?.close();
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    page = await context.newPage();
  });

  afterEach(async () => {
    await context.close();
    playground.simulator?.reset();
  });
};

export const shoot = async (name: string) => {
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
};

/** From the playground to the consent page, optionally with some fault switches on. */
export const openConsent = async (faults: string[] = []) => {
  await page.goto(playground.url);
  for (const fault of faults) {
    await page.check(`#fault-${fault}`);
  }
  await page.click('#sign-in');
  await page.waitForSelector('#allow');
  expect(page.url().startsWith(`${playground.simulator?.baseUrl ?? ''}/oauth2/authorize`)).toBe(
    true,
  );
};
