/**
 * Drives whole sign-ins through the playground (which loads the built connector the way Logto
 * does) against the simulated Xiaomi, over real loopback HTTP, following redirects by hand.
 * Needs `npm run build` first (`npm test` does it).
 */
import { get, type IncomingMessage } from 'node:http';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { startPlayground, type Playground } from '../../playground/server.js';
import {
  defaultSimulatorApp,
  type SimulatorFaults,
  type XiaomiSimulator,
} from '../../simulator/index.js';

let playground: Playground;
let sim: XiaomiSimulator;

beforeAll(async () => {
  playground = await startPlayground({ port: 0 });
  if (!playground.simulator) {
    throw new Error('the playground started no simulator');
  }
  sim = playground.simulator;
});

afterAll(async () => {
  await playground?.close();
});

afterEach(() => {
  sim.reset();
});

/** Cookies by name; every server here is on 127.0.0.1, where cookies ignore the port. */
class Browser {
  private readonly cookies = new Map<string, string>();

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) {
      headers.set(
        'cookie',
        [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
      );
    }
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const index = pair?.indexOf('=') ?? -1;
      if (pair && index > 0) {
        this.cookies.set(pair.slice(0, index).trim(), pair.slice(index + 1).trim());
      }
    }
    return response;
  }

  async postForm(url: string, form: Record<string, string>): Promise<Response> {
    return this.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
    });
  }
}

const locationOf = (response: Response, base: string): string => {
  const location = response.headers.get('location');
  if (!location) {
    throw new Error(`expected a redirect, got HTTP ${response.status}`);
  }
  return new URL(location, base).href;
};

const textOf = (html: string, id: string): string | undefined => {
  const match = new RegExp(`id="${id}"[^>]*>([^<]*)<`).exec(html);
  return match?.[1];
};

const unescape = (text: string | undefined) =>
  text
    ?.replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');

type SignInOptions = {
  settings?: Record<string, string>;
  faults?: SimulatorFaults;
  account?: number;
  decision?: 'allow' | 'deny';
  /** Runs between the consent page and the callback. */
  beforeCallback?: () => void;
  /** Changes the callback URL before the browser follows it. */
  tamperCallback?: (url: URL) => void;
};

type SignInResult = { html: string; browser: Browser; callbackUrl: string };

/** The App ID the start page offers: this browser's own simulated app. */
const ownAppIdOf = (startPage: string): string =>
  /id="client-id" name="clientId" inputmode="numeric" autocomplete="off" value="(\d+)"/.exec(
    startPage,
  )?.[1] ?? '';

const formFor = (options: SignInOptions, clientId: string): Record<string, string> => {
  const form: Record<string, string> = {
    clientId,
    clientSecret: '',
    scope: '1 3 4 6',
    redirectUri: playground.callbackUrl,
    tokenStorage: 'true',
    timeoutMs: '3000',
    ...options.settings,
  };
  for (const [key, value] of Object.entries(options.faults ?? {})) {
    form[`fault.${key}`] = String(value);
  }
  return form;
};

/** From the playground's form to the consent page; returns the browser and the page. */
const startSignIn = async (options: SignInOptions = {}, browser = new Browser()) => {
  const start = await browser.fetch(`${playground.url}/`);
  expect(start.status).toBe(200);
  const clientId = ownAppIdOf(await start.text());
  const signIn = await browser.postForm(`${playground.url}/sign-in`, formFor(options, clientId));
  expect(signIn.status).toBe(303);
  const authorizeUrl = locationOf(signIn, playground.url);
  const consent = await browser.fetch(authorizeUrl);
  return { browser, authorizeUrl, consent };
};

const signIn = async (
  options: SignInOptions = {},
  browser = new Browser(),
): Promise<SignInResult> => {
  const { browser: used, authorizeUrl, consent } = await startSignIn(options, browser);
  expect(authorizeUrl.startsWith(`${sim.baseUrl}/oauth2/authorize?`)).toBe(true);
  let callbackUrl: string;
  if (consent.status === 302) {
    // skip_confirm with a remembered account.
    callbackUrl = locationOf(consent, authorizeUrl);
  } else {
    expect(consent.status).toBe(200);
    const page = await consent.text();
    const requestId = /name="request" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const decision = await used.postForm(`${sim.baseUrl}/oauth2/authorize/decision`, {
      request: requestId,
      decision: options.decision ?? 'allow',
      account: sim.accounts[options.account ?? 0]?.userId ?? '',
    });
    expect(decision.status).toBe(302);
    callbackUrl = locationOf(decision, sim.baseUrl);
  }
  expect(callbackUrl.startsWith(playground.callbackUrl)).toBe(true);
  options.beforeCallback?.();
  const tampered = new URL(callbackUrl);
  options.tamperCallback?.(tampered);
  const callback = await used.fetch(tampered.href);
  expect(callback.status).toBe(303);
  expect(locationOf(callback, playground.url)).toBe(`${playground.url}/result`);
  const result = await used.fetch(`${playground.url}/result`);
  expect(result.status).toBe(200);
  return { html: await result.text(), browser: used, callbackUrl: tampered.href };
};

const expectOk = (html: string) => {
  expect(html).toContain('id="result" data-outcome="ok"');
  expect(html).not.toContain('id="leak-warning"');
  expect(html).not.toContain(sim.apps[0]?.clientSecret ?? 'never');
};

const expectError = (html: string, code: string, xiaomiCode?: string) => {
  expect(html).toContain('id="result" data-outcome="error"');
  expect(textOf(html, 'error-code')).toBe(code);
  if (xiaomiCode) {
    expect(textOf(html, 'error-xiaomi-code')).toBe(xiaomiCode);
  }
  expect(textOf(html, 'error-description')).toBeTruthy();
  expect(textOf(html, 'error-advice')).toBeTruthy();
  expect(html).not.toContain('id="leak-warning"');
  expect(html).not.toContain(sim.apps[0]?.clientSecret ?? 'never');
};

/** The object the playground handed to the connector, as its result page shows it. */
const connectorDataOf = (html: string): Record<string, string> => {
  const parsed: unknown = JSON.parse(unescape(textOf(html, 'connector-data')) ?? 'null');
  return z.record(z.string()).parse(parsed);
};

const timelineNames = (html: string): string[] =>
  [...html.matchAll(/class="call" data-name="([^"]+)"/g)].map((match) => match[1] ?? '');

describe('playground sign-in against the simulator', () => {
  it("shows the config form prefilled with this browser's own simulated app, without its secret", async () => {
    const browser = new Browser();
    const page = await (await browser.fetch(`${playground.url}/`)).text();
    const clientId = ownAppIdOf(page);
    expect(sim.apps.map((app) => app.clientId)).toContain(clientId);
    expect(clientId).not.toBe(defaultSimulatorApp.clientId);
    expect(textOf(page, 'own-app-id')).toBe(clientId);
    // Another browser gets another app.
    const other = await (await new Browser().fetch(`${playground.url}/`)).text();
    expect(ownAppIdOf(other)).not.toBe(clientId);
    expect(page).not.toContain(defaultSimulatorApp.clientSecret);
    expect(textOf(page, 'client-secret-help')).toBe(
      'A secret is stored. Leave this empty to keep it; type a new one to replace it.',
    );
    expect(page).toContain('id="fault-wrongSecret"');
    expect(page).toContain('id="api-client"');
    expect(page).toContain('id="sign-in"');
    expect(page).toContain('Simulated Xiaomi');
  });

  it('signs in and shows the user, rawData, masked tokens and the timeline', async () => {
    const orange = sim.accounts[0];
    const { html } = await signIn({ account: 0 });
    expectOk(html);
    expect(textOf(html, 'user-id')).toBe(orange?.unionId);
    expect(textOf(html, 'user-name')).toBe('小米用户🍊');
    expect(html).toContain('id="user-avatar"');
    expect(textOf(html, 'method')).toBe('getTokenResponseAndUserInfo');
    const rawData = unescape(textOf(html, 'raw-data')) ?? '';
    expect(rawData).toContain('"miliaoNick": "小米用户🍊"');
    expect(rawData).not.toContain('access_token');
    expect(textOf(html, 'token-access-token')).toMatch(/^V3_.…$/);
    expect(textOf(html, 'token-refresh-token')).toMatch(/^R3_.…$/);
    expect(textOf(html, 'token-expires-in')).toBe('7776000');
    expect(html).not.toContain('mac_key');
    expect(timelineNames(html)).toEqual(
      expect.arrayContaining(['token', 'profile', 'openid', 'phoneAndEmail']),
    );
    expect(html).toContain('id="refresh"');
    // The code exchange went as a POST, never with the secret in a URL.
    expect(
      sim.calls().some((call) => call.method === 'POST' && call.path === '/oauth2/token'),
    ).toBe(true);
  });

  it('shows phone and email when the account has them and the scopes are granted', async () => {
    const { html } = await signIn({ account: 2 });
    expectOk(html);
    expect(textOf(html, 'user-name')).toBe('Han Meimei');
    expect(textOf(html, 'user-email')).toBe('hanmeimei@example.com');
    expect(textOf(html, 'user-phone')).toMatch(/^\+?8613800138000$/);
  });

  it('shows a user without avatar', async () => {
    const { html } = await signIn({ account: 1, settings: { scope: '1' } });
    expectOk(html);
    expect(html).toContain('id="user-avatar-none"');
    expect(timelineNames(html)).toEqual(['token', 'profile']);
  });

  it('uses getUserInfo without token storage and shows no token set', async () => {
    const { html } = await signIn({ settings: { tokenStorage: '' } });
    expectOk(html);
    expect(textOf(html, 'method')).toBe('getUserInfo');
    expect(html).not.toContain('id="tokens"');
    expect(html).not.toContain('id="refresh"');
  });

  it('refreshes the token twice (refresh tokens are single-use)', async () => {
    const { browser } = await signIn();
    // The second round only works when the playground kept the rotated refresh token.
    for (let round = 0; round < 2; round++) {
      const refresh = await browser.postForm(`${playground.url}/refresh`, {});
      expect(refresh.status).toBe(303);
      const page = await (await browser.fetch(`${playground.url}/result`)).text();
      expectOk(page);
      expect(page).toContain('data-action="refresh"');
      expect(textOf(page, 'method')).toBe('getAccessTokenByRefreshToken');
      expect(timelineNames(page)).toEqual(['refresh']);
      expect(textOf(page, 'token-refresh-token')).toMatch(/^R3_.…$/);
      expect(textOf(page, 'token-scope')).toBe('1 3 4 6');
    }
  });

  it('skips the consent page with skip confirm once an account is remembered', async () => {
    const first = await signIn({ account: 2, settings: { skipConfirm: 'true' } });
    expectOk(first.html);
    const { browser } = first;
    const again = await startSignIn({ settings: { skipConfirm: 'true' } }, browser);
    expect(again.consent.status).toBe(302);
    expect(again.authorizeUrl).toContain('skip_confirm=true');
  });

  it('shows authorization_failed when the user denies', async () => {
    const { html } = await signIn({ decision: 'deny' });
    expectError(html, 'authorization_failed', '96012');
    expect(timelineNames(html)).toEqual([]);
  });

  it('shows invalid_config for a malformed App ID before going to Xiaomi', async () => {
    const browser = new Browser();
    const response = await browser.postForm(`${playground.url}/sign-in`, formFor({}, 'not-digits'));
    expect(locationOf(response, playground.url)).toBe(`${playground.url}/result`);
    const html = await (await browser.fetch(`${playground.url}/result`)).text();
    expectError(html, 'invalid_config');
    expect(html).toContain('data-action="authorize"');
    expect(textOf(html, 'error-description')).toContain('clientId');
  });
});

describe("the callback, as Logto's sign-in page handles it", () => {
  it('hands the connector { redirectUri, ...query } without state', async () => {
    const { html, callbackUrl } = await signIn();
    expectOk(html);
    const callback = new URL(callbackUrl);
    expect(callback.searchParams.get('state')).toMatch(/^[\w-]{11}$/);
    expect(connectorDataOf(html)).toEqual({
      redirectUri: `${playground.url}/callback/${playground.connectorId}`,
      code: `${callback.searchParams.get('code')?.slice(0, 4) ?? ''}…`,
    });
    expect(Object.keys(connectorDataOf(html))).toEqual(['redirectUri', 'code']);
    expect(textOf(html, 'state-check')).toContain('matched');
  });

  it('decodes each query value once more, as parseQueryParameters does', async () => {
    const { html } = await signIn({
      tamperCallback: (url) => url.searchParams.set('extra', '%41'),
    });
    expectOk(html);
    // The browser's URL holds %2541; URLSearchParams gives %41; the page's decodeURIComponent A.
    expect(connectorDataOf(html).extra).toBe('A');
  });

  it.each([
    ['a different state', (url: URL) => url.searchParams.set('state', 'forged')],
    ['no state', (url: URL) => url.searchParams.delete('state')],
  ])('refuses a callback with %s itself, before the connector', async (_name, tamper) => {
    const { html } = await signIn({ tamperCallback: tamper });
    expectError(html, 'invalid_connector_auth');
    expect(textOf(html, 'error-description')).toBe('The authorization is invalid');
    expect(textOf(html, 'error-by')).toContain('sign-in page');
    expect(html).not.toContain('id="connector-data"');
    expect(timelineNames(html)).toEqual([]);
  });

  it('refuses a replayed callback: the state was removed once checked', async () => {
    const { browser, callbackUrl, html } = await signIn();
    expectOk(html);
    await browser.fetch(callbackUrl);
    const replay = await (await browser.fetch(`${playground.url}/result`)).text();
    expectError(replay, 'invalid_connector_auth');
    expect(timelineNames(replay)).toEqual([]);
  });

  it('keeps state in the object with the API client switch', async () => {
    const { html, callbackUrl } = await signIn({ settings: { apiClient: 'true' } });
    expectOk(html);
    const query = new URL(callbackUrl).searchParams;
    expect(connectorDataOf(html)).toEqual({
      redirectUri: `${playground.url}/callback/${playground.connectorId}`,
      code: `${query.get('code')?.slice(0, 4) ?? ''}…`,
      state: query.get('state'),
    });
  });

  it('lets the connector refuse a different state with the API client switch', async () => {
    const { html } = await signIn({
      settings: { apiClient: 'true' },
      tamperCallback: (url) => url.searchParams.set('state', 'forged'),
    });
    expectError(html, 'authorization_failed');
    expect(connectorDataOf(html).state).toBe('forged');
    expect(timelineNames(html)).toEqual([]);
  });

  it('hands the connector session over once: a replay reaches Xiaomi and is refused there', async () => {
    const { browser, callbackUrl, html } = await signIn({ settings: { apiClient: 'true' } });
    expectOk(html);
    await browser.fetch(callbackUrl);
    const replay = await (await browser.fetch(`${playground.url}/result`)).text();
    expectError(replay, 'social_auth_code_invalid', '96013');
  });
});

describe('playground with each fault switch', () => {
  it('wrongSecret → invalid_config (96003)', async () => {
    const { html } = await signIn({ faults: { wrongSecret: true } });
    expectError(html, 'invalid_config', '96003');
    expect(timelineNames(html)).toEqual(['token']);
  });

  it('redirectUriNotRegistered at authorize → the simulator shows 96010 and never redirects', async () => {
    const { consent } = await startSignIn({ faults: { redirectUriNotRegistered: true } });
    expect(consent.status).toBe(400);
    expect(consent.headers.get('location')).toBeNull();
    expect(await consent.text()).toContain('data-code="96010"');
  });

  it('redirectUriNotRegistered at the token endpoint → invalid_config (96010)', async () => {
    const { html } = await signIn({
      beforeCallback: () => sim.setFaults({ redirectUriNotRegistered: true }),
    });
    expectError(html, 'invalid_config', '96010');
  });

  it('codeAlreadyUsed → social_auth_code_invalid (96013)', async () => {
    const { html } = await signIn({ faults: { codeAlreadyUsed: true } });
    expectError(html, 'social_auth_code_invalid', '96013');
  });

  it('profileTokenRejected → social_invalid_access_token (96008)', async () => {
    const { html } = await signIn({ faults: { profileTokenRejected: true } });
    expectError(html, 'social_invalid_access_token', '96008');
    expect(timelineNames(html)).toContain('profile');
  });

  it('badGateway → general, with the 502 in the timeline', async () => {
    const { html } = await signIn({ faults: { badGateway: true } });
    expectError(html, 'general');
    expect(textOf(html, 'error-description')).toContain('502');
    expect(html).toContain('data-name="token" data-status="502"');
  });

  it('delayMs below the timeout → still signed in, the delay visible in the timeline', async () => {
    const { html } = await signIn({ faults: { delayMs: 250 }, settings: { scope: '1' } });
    expectOk(html);
    const durations = [...html.matchAll(/<td class="nowrap">(\d+) ms<div/g)].map((match) =>
      Number(match[1]),
    );
    expect(durations.length).toBe(2);
    for (const duration of durations) {
      expect(duration).toBeGreaterThanOrEqual(240);
    }
  });

  it('delayMs beyond the timeout → general (timeout)', async () => {
    const { html } = await signIn({ faults: { delayMs: 1500 }, settings: { timeoutMs: '400' } });
    expectError(html, 'general');
    expect(textOf(html, 'error-description')).toContain('400 ms');
    expect(html).toContain('data-outcome="timeout"');
  });

  it('hang → general (timeout)', async () => {
    const { html } = await signIn({ faults: { hang: true }, settings: { timeoutMs: '400' } });
    expectError(html, 'general');
    expect(textOf(html, 'error-description')).toContain('400 ms');
  });

  it('a refresh after the refresh token was used elsewhere → social_invalid_access_token', async () => {
    const { browser } = await signIn();
    // Another refresh token set wins: the simulator forgets every token.
    sim.reset();
    await browser.postForm(`${playground.url}/refresh`, {});
    const page = await (await browser.fetch(`${playground.url}/result`)).text();
    expectError(page, 'social_invalid_access_token', '96009');
  });
});

describe('several browsers, forged requests', () => {
  it("keeps each browser's fault switches to that browser, in sign-ins at the same time", async () => {
    const faulty = await startSignIn({ faults: { wrongSecret: true } });
    const clean = await startSignIn();
    expect(faulty.consent.status).toBe(200);
    // The clean browser finishes first, while the other's "Wrong secret" is on.
    const cleanResult = await signIn({}, clean.browser);
    expectOk(cleanResult.html);
    const faultyResult = await signIn({ faults: { wrongSecret: true } }, faulty.browser);
    expectError(faultyResult.html, 'invalid_config', '96003');
    // A third browser opens with every switch off.
    const page = await (await new Browser().fetch(`${playground.url}/`)).text();
    expect(page).not.toMatch(/id="fault-\w+" name="fault\.\w+" value="true" checked/);
  });

  it('refuses a cross-site POST', async () => {
    const browser = new Browser();
    const clientId = ownAppIdOf(await (await browser.fetch(`${playground.url}/`)).text());
    const post = async (origin: string) =>
      browser.fetch(`${playground.url}/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
        body: new URLSearchParams(formFor({}, clientId)),
      });
    expect((await post('http://evil.test')).status).toBe(403);
    expect((await post(playground.url)).status).toBe(303);
  });

  it('builds its links from its listen address, whatever the Host header says', async () => {
    // fetch would not send a forged Host: node:http does.
    const forged = await new Promise<IncomingMessage>((resolve, reject) => {
      get(`${playground.url}/`, { headers: { host: 'evil.test:3000' } }, resolve).on(
        'error',
        reject,
      );
    });
    forged.resume();
    expect(forged.statusCode).toBe(307);
    expect(forged.headers.location).toBe(`${playground.url}/`);
    const page = await (await new Browser().fetch(`${playground.url}/`)).text();
    expect(textOf(page, 'callback-url')).toBe(
      `${playground.url}/callback/${playground.connectorId}`,
    );
    expect(page).not.toContain('evil.test');
  });

  it('serves a favicon and sends security headers', async () => {
    const page = await fetch(`${playground.url}/`);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(await page.text()).toContain('<link rel="icon" href="/favicon.svg"');
    const icon = await fetch(`${playground.url}/favicon.ico`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
  });
});
