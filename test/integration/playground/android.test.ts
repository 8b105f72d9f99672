/**
 * The playground's Android app: Logto's authorization-uri with the SDK's redirect URL, the code
 * from the simulated Xiaomi's SDK endpoint, Logto's verify with `{ code, state, clientId }`, and
 * the connector exchanging it with this browser's own simulated Mobile/Tablet app.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { defaultSimulatorMobileApp } from '../../../simulator/index.js';

import {
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
  textOf,
  timelineNames,
  unescape,
  usePlayground,
} from './harness.js';

usePlayground();

const mobileRedirectUrl = defaultSimulatorMobileApp.redirectUris[0] ?? '';

/** This browser's own mobile App ID, as the config page offers it. */
const mobileAppIdOf = (page: string) =>
  /id="mobile-client-ids" name="mobileClientIds" inputmode="numeric" autocomplete="off" value="(\d+)"/.exec(
    page,
  )?.[1] ?? '';

/** Runs the Android page's flow and returns the result page. */
const signInFromApp = async (browser: Browser, form: Record<string, string> = {}) => {
  const page = await pageOf(browser, '/android');
  const response = await browser.postForm(`${playground.url}/android/sign-in`, {
    appId: /id="android-app-id" name="appId"[^>]* value="(\d*)"/.exec(page)?.[1] ?? '',
    redirectUrl: mobileRedirectUrl,
    account: sim.accounts[0]?.userId ?? '',
    ...form,
  });
  expect(response.status).toBe(303);
  expect(locationOf(response, playground.url)).toBe(`${playground.url}/result`);
  return pageOf(browser, '/result');
};

/** The JSON of one step's body or answer on the result page. */
const stepJson = (html: string, step: string, part: 'body' | 'answer'): unknown => {
  const item = new RegExp(`data-step="${step}"[\\s\\S]*?<pre class="${part}">([^<]*)</pre>`).exec(
    html,
  )?.[1];
  return item === undefined ? undefined : JSON.parse(unescape(item) ?? 'null');
};

const steps = (html: string) =>
  [...html.matchAll(/class="step" data-step="([^"]+)"/g)].map((m) => m[1]);

describe('the playground’s Android app', () => {
  it('gives each browser its own mobile app, in the config and in the SDK call it shows', async () => {
    const browser = new Browser();
    const config = await pageOf(browser, '/');
    const mobileId = mobileAppIdOf(config);
    expect(sim.apps.find((app) => app.clientId === mobileId)).toMatchObject({ kind: 'mobile' });
    expect(mobileId).not.toBe(ownAppIdOf(config));
    expect(config).not.toContain(defaultSimulatorMobileApp.clientSecret);
    expect(config).toContain('id="mobile-client-secrets"');
    expect(mobileAppIdOf(await (await new Browser().fetch(`${playground.url}/`)).text())).not.toBe(
      mobileId,
    );

    const page = await pageOf(browser, '/android');
    const kotlin = unescape(textOf(page, 'kotlin')) ?? '';
    expect(kotlin).toContain(`.setAppId(${mobileId}L)`);
    expect(kotlin).toContain(`.setRedirectUrl("${mobileRedirectUrl}")`);
    expect(kotlin).toContain('.setScope(intArrayOf(1, 3, 4, 6))');
    expect(kotlin).toContain('.startGetOAuthCode(activity)');
    const calls = unescape(textOf(page, 'logto-calls')) ?? '';
    expect(calls).toContain(
      `POST /api/experience/verification/social/${playground.connectorId}/verify`,
    );
    expect(calls).toContain(`"clientId": "${mobileId}"`);
    expect(textOf(page, 'android-app-id-help')).toContain('In the connector’s mobileClientIds');
  });

  it('signs in with the SDK’s code through the Experience API, as the same user as on the web', async () => {
    const browser = new Browser();
    const mobileId = mobileAppIdOf(await pageOf(browser, '/'));
    const html = await signInFromApp(browser);
    expectOk(html);
    expect(html).toContain('data-action="android"');
    expect(steps(html)).toEqual(['authorization-uri', 'sdk', 'verify']);
    const { state } = z
      .object({ state: z.string() })
      .parse(stepJson(html, 'authorization-uri', 'body'));
    expect(stepJson(html, 'authorization-uri', 'body')).toEqual({
      state,
      redirectUri: mobileRedirectUrl,
    });
    expect(stepJson(html, 'sdk', 'body')).toEqual({
      appId: mobileId,
      redirectUrl: mobileRedirectUrl,
      scope: [1, 3, 4, 6],
      state,
      account: sim.accounts[0]?.userId,
    });
    expect(stepJson(html, 'verify', 'body')).toEqual({
      verificationId: expect.any(String),
      connectorData: { code: expect.stringMatching(/^.{4}…$/), state, clientId: mobileId },
    });
    // Exchanged with the mobile app and the SDK's redirect URL.
    const token = sim.calls().find((call) => call.path === '/oauth2/token');
    expect(token).toMatchObject({
      redirectUri: mobileRedirectUrl,
      grantType: 'authorization_code',
    });
    expect(timelineNames(html)).toEqual(expect.arrayContaining(['token', 'profile']));
    expect(textOf(html, 'token-refresh-token')).toBe('xiao…');
    expect(html).not.toContain(defaultSimulatorMobileApp.clientSecret);

    const web = await signIn({ account: 0 });
    expect(textOf(web.html, 'user-id')).toBe(textOf(html, 'user-id'));
    expect(textOf(html, 'user-id')).toBe(sim.accounts[0]?.unionId);
  });

  it('refreshes the app’s token twice, with the mobile app and its redirect URL', async () => {
    const browser = new Browser();
    expectOk(await signInFromApp(browser));
    for (let round = 0; round < 2; round++) {
      await browser.postForm(`${playground.url}/refresh`, {});
      const page = await pageOf(browser, '/result');
      expectOk(page);
      expect(timelineNames(page)).toEqual(['refresh']);
      expect(textOf(page, 'token-refresh-token')).toBe('xiao…');
    }
    const refreshes = sim.calls().filter((call) => call.grantType === 'refresh_token');
    expect(refreshes.map((call) => call.redirectUri)).toEqual([
      mobileRedirectUrl,
      mobileRedirectUrl,
    ]);
  });

  it('shows the connector refusing an App ID its config does not hold, before Xiaomi', async () => {
    const unknown = '2882303761517444444';
    sim.addApp({ ...defaultSimulatorMobileApp, clientId: unknown });
    try {
      const browser = new Browser();
      const html = await signInFromApp(browser, { appId: unknown });
      expectError(html, 'invalid_request_parameters');
      expect(textOf(html, 'error-description')).toContain(
        `issued to Xiaomi App ID ${unknown}, which this connector is not configured for`,
      );
      expect(steps(html)).toEqual(['authorization-uri', 'sdk', 'verify']);
      expect(stepJson(html, 'verify', 'answer')).toBeUndefined();
      expect(timelineNames(html)).toEqual([]);
    } finally {
      sim.removeApp(unknown);
    }
  });

  it('shows Xiaomi’s SDK refusing a redirect URL not registered for the app, before Logto’s verify', async () => {
    const html = await signInFromApp(new Browser(), {
      redirectUrl: 'https://app.example.com/elsewhere',
    });
    expectError(html, '96010', '96010');
    expect(textOf(html, 'error-by')).toContain('Xiaomi’s SDK');
    expect(steps(html)).toEqual(['authorization-uri', 'sdk']);
    expect(stepJson(html, 'sdk', 'answer')).toMatchObject({ error: 96010 });
  });

  it('keeps the mobile fields from the config form, and shows what is wrong with them', async () => {
    const browser = new Browser();
    const config = await pageOf(browser, '/');
    const form = formFor({}, ownAppIdOf(config));
    const saved = await browser.postForm(`${playground.url}/settings`, {
      ...form,
      mobileClientIds: `${mobileAppIdOf(config)} 2882303761517555555`,
    });
    expect(locationOf(saved, playground.url)).toBe(`${playground.url}/android`);
    const html = await signInFromApp(browser);
    expectError(html, 'invalid_config');
    expect(textOf(html, 'error-description')).toContain(
      'mobileClientSecrets holds 1 App Secret for 2 App IDs in mobileClientIds',
    );
  });
});
