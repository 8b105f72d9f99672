/**
 * Debian's Chromium through playwright-core, as the end user's browser. Each journey gets a fresh
 * context (no cookies) whose requests are routed: Xiaomi's account host to the simulator, the app's
 * redirect URI answered here (that is where the app would read its code), anything else off this
 * machine refused, so pages never wait on the internet.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import {
  chromium,
  type Browser,
  type BrowserContext,
  type Page,
  type Route,
} from 'playwright-core';

import { stopPid } from './child.js';
import { onCleanup } from './cleanup.js';

const xiaomiAccountHost = 'account.xiaomi.com';
const localHosts = new Set(['localhost', '127.0.0.1']);

export const launchChromium = async (executablePath: string): Promise<Browser> => {
  if (!existsSync(executablePath)) {
    throw new Error(
      `No Chromium at ${executablePath}: apt-get install -y chromium, or set CHROMIUM_PATH.`,
    );
  }
  // A browser server, so its pid is known and it can be stopped by pid whatever happens.
  const server = await chromium.launchServer({
    executablePath,
    // Playwright's own Ctrl-C handling would exit the process before this run's cleanup is done.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const pid = server.process().pid;
  onCleanup(`close Chromium (pid ${pid ?? '?'})`, async () => {
    await server.close();
    if (pid !== undefined) {
      await stopPid(pid, { graceMs: 5000 });
    }
  });
  return chromium.connect(server.wsEndpoint());
};

/** URLs the browser was sent to that start with one of the captured prefixes. */
export type Captures = { urls: string[]; waitFor(prefix: string, timeoutMs: number): Promise<URL> };

/**
 * A page load the browser made, redirects included, as it saw it. Its URL may hold a code or a
 * state: read it in checks, never print it.
 */
export type Navigation = { url: URL; status: number; location?: string };

export type Journey = {
  context: BrowserContext;
  page: Page;
  captures: Captures;
  navigations: Navigation[];
};

export const openJourney = async (
  browser: Browser,
  {
    simulatorUrl,
    capture,
    viewport = { width: 1000, height: 820 },
  }: {
    /** Without it, requests to Xiaomi are refused like any other off this machine. */
    simulatorUrl?: string;
    capture: string[];
    viewport?: { width: number; height: number };
  },
): Promise<Journey> => {
  const context = await browser.newContext({ viewport, locale: 'en' });
  const urls: string[] = [];

  const toSimulator = async (route: Route, url: URL, simulatorUrl: string) => {
    // Redirects are handed back to the browser, so it follows them itself as it would from Xiaomi.
    const response = await route.fetch({
      url: new URL(url.pathname + url.search, simulatorUrl).href,
      maxRedirects: 0,
    });
    await route.fulfill({ response });
  };

  const routeRequest = async (route: Route) => {
    const url = new URL(route.request().url());
    const captured = capture.find((prefix) => url.href.startsWith(prefix));
    if (captured) {
      urls.push(url.href);
      await route.fulfill({
        status: 200,
        contentType: 'text/html; charset=utf-8',
        body: `<!doctype html><title>App</title><h1>The app received its callback</h1><pre>${url.pathname}</pre>`,
      });
      return;
    }
    if (url.hostname === xiaomiAccountHost && simulatorUrl) {
      await toSimulator(route, url, simulatorUrl);
      return;
    }
    if (localHosts.has(url.hostname)) {
      await route.continue();
      return;
    }
    await route.abort('internetdisconnected');
  };
  await context.route('**/*', async (route) => {
    // A request still in flight when its page or the browser closes has nobody left to answer.
    await routeRequest(route).catch((error: unknown) => {
      if (!context.pages().some((page) => !page.isClosed())) {
        return;
      }
      console.error(`routing ${route.request().url()} failed:`, error);
    });
  });

  const navigations: Navigation[] = [];
  context.on('response', (response) => {
    if (response.request().isNavigationRequest()) {
      navigations.push({
        url: new URL(response.url()),
        status: response.status(),
        location: response.headers().location,
      });
    }
  });

  const page = await context.newPage();
  const captures: Captures = {
    urls,
    waitFor: async (prefix, timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const found = urls.find((url) => url.startsWith(prefix));
        if (found) {
          // The request is seen before the page has loaded the answer: wait for that, so that
          // what the test does to the page next is not undone by the navigation.
          await page.waitForURL((url) => url.href.startsWith(prefix), {
            timeout: Math.max(deadline - Date.now(), 1000),
          });
          return new URL(found);
        }
        await sleep(100);
      }
      throw new Error(`the browser never reached ${prefix} within ${timeoutMs / 1000} s`);
    },
  };
  return { context, page, captures, navigations };
};

/** Screenshots go to the run's folder, numbered in the order they were taken. */
export const createCamera = (folder: string) => {
  let count = 0;
  const taken: string[] = [];
  return {
    taken,
    shoot: async (page: Page, name: string): Promise<string> => {
      count += 1;
      const file = path.join(folder, `${String(count).padStart(2, '0')}-${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      taken.push(file);
      return file;
    },
  };
};
export type Camera = ReturnType<typeof createCamera>;
