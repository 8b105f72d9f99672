import { describe, expect, it } from 'vitest';

import {
  connectorDataOf,
  expectError,
  expectOk,
  pageOf,
  playground,
  sim,
  signIn,
  textOf,
  timelineNames,
  usePlayground,
} from './harness.js';

usePlayground();

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
    const replay = await pageOf(browser, '/result');
    expectError(replay, 'invalid_connector_auth');
    expect(timelineNames(replay)).toEqual([]);
  });

  it('still takes the real callback after a forged one (the page’s redirect-context fallback, Logto 1.39+)', async () => {
    let real = '';
    const { browser, html } = await signIn({
      tamperCallback: (url) => {
        real = url.href;
        url.searchParams.set('state', 'forged');
      },
    });
    expectError(html, 'invalid_connector_auth');
    await browser.fetch(real);
    const result = await pageOf(browser, '/result');
    expectOk(result);
    expect(timelineNames(result)).toContain('token');
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
    const replay = await pageOf(browser, '/result');
    expectError(replay, 'social_auth_code_invalid', '96013');
  });
});

describe('the leak check on the result page', () => {
  // A second mobile app, so the check must list each one's secret, not only the first.
  const mobileApps = {
    mobileClientIds: '2882303761517000098 2882303761517000099',
    mobileClientSecrets: 'fake-mobile-secret-one fake-mobile-secret-two',
  };

  it.each([
    ['the web App Secret', 'App Secret', () => sim.apps[0]?.clientSecret ?? ''],
    ['a mobile App Secret', 'mobile App Secret 2', () => 'fake-mobile-secret-two'],
  ])('names %s that a sign-in’s user info carries', async (_what, name, secretOf) => {
    const account = sim.accounts[0];
    if (!account) {
      throw new Error('the simulator has no account');
    }
    const { nickname } = account;
    // Xiaomi answering a secret as the nickname: the connector has no reason to redact a profile.
    account.nickname = secretOf();
    try {
      const { html } = await signIn({ settings: mobileApps });
      expect(textOf(html, 'leak-warning')).toContain(`${name} in user info`);
    } finally {
      account.nickname = nickname;
    }
  });
});
