import { describe, expect, it } from 'vitest';

import { defaultSimulatorApp } from '../../../simulator/index.js';

import {
  afterIdle,
  Browser,
  expectError,
  expectOk,
  formFor,
  locationOf,
  ownAppIdOf,
  pageOf,
  playground,
  signIn,
  sim,
  startSignIn,
  textOf,
  timelineNames,
  timelineRows,
  unescape,
  usePlayground,
} from './harness.js';

usePlayground();

describe('playground sign-in against the simulator', () => {
  it("shows the config form prefilled with this browser's own simulated app, without its secret", async () => {
    const browser = new Browser();
    const page = await pageOf(browser, '/');
    const clientId = ownAppIdOf(page);
    expect(sim.apps.map((app) => app.clientId)).toContain(clientId);
    expect(clientId).not.toBe(defaultSimulatorApp.clientId);
    expect(textOf(page, 'own-app-id')).toBe(clientId);
    // Another browser gets another app.
    const other = await (await new Browser().fetch(`${playground.url}/`)).text();
    expect(ownAppIdOf(other)).not.toBe(clientId);
    expect(page).not.toContain(defaultSimulatorApp.clientSecret);
    expect(textOf(page, 'client-secret-help')).toBe(
      'A secret is stored: leave this empty to keep it, type a new one to replace it. “Reset the connector config” below brings back the one the playground started with.',
    );
    // The warm-up's switch says "skip", as in Logto's Console, and is unchecked: warm-up on.
    expect(page).toMatch(
      /<input type="checkbox" id="skip-warm-up" name="skipWarmUp" value="true">\n<span><span class="label">Skip the connection warm-up <code class="key">skipWarmUp<\/code><\/span>/,
    );
    expect(page).toContain('id="fault-wrongSecret"');
    expect(page).toContain('id="api-client"');
    expect(page).toContain('id="sign-in"');
    expect(page).toContain('Simulated Xiaomi');
  });

  it('signs in and shows the user, rawData, masked tokens and the timeline', async () => {
    const orange = sim.accounts[0];
    await afterIdle();
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
    // After an idle second, the open-API connections were warmed up beside the code exchange, one
    // for each of the three open-API calls.
    const warmUps = html.match(/<tr class="call" data-name="warmUp"[\s\S]*?<\/tr>/g) ?? [];
    expect(warmUps).toHaveLength(3);
    const numbers = warmUps.map((row) => {
      expect(row).toContain('data-outcome="ok"');
      expect(row).toContain(`<code>${sim.baseUrl}/</code>`);
      expect(row).not.toContain('failed');
      return /GET · opens connection (\d) for the open-API calls, carrying nothing/.exec(row)?.[1];
    });
    expect(numbers.sort()).toEqual(['1', '2', '3']);
    expect(html).toContain('id="refresh"');
    // The code exchange went as a POST, never with the secret in a URL.
    expect(
      sim.calls().some((call) => call.method === 'POST' && call.path === '/oauth2/token'),
    ).toBe(true);
  });

  it('sends no warm-up with "Skip the connection warm-up" checked', async () => {
    await afterIdle();
    const { html } = await signIn({ settings: { skipWarmUp: 'true' } });
    expectOk(html);
    expect(timelineRows(html).map(({ name }) => name)).not.toContain('warmUp');
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
      const page = await pageOf(browser, '/result');
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
    const html = await pageOf(browser, '/result');
    expectError(html, 'invalid_config');
    expect(html).toContain('data-action="authorize"');
    expect(textOf(html, 'error-description')).toContain('clientId');
  });
});
