/**
 * What the playground's pages tell a new user, and the ways back they offer: the Console's labels,
 * required fields, a reset after a mistyped App Secret, a link back from the simulated Xiaomi's
 * error page, a page for a form too large, words for each call's outcome, the refresh where it
 * belongs.
 */
import { describe, expect, it } from 'vitest';

import { defaultMetadata } from '../../../src/constant.js';

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
  startSignIn,
  textOf,
  unescape,
  usePlayground,
} from './harness.js';

usePlayground();

/** The outcome column of the calls table, as shown. */
const outcomeWords = (html: string): string[] =>
  [...html.matchAll(/<span class="pill(?: failed)?">([^<]*)<\/span>/g)].map(
    (match) => unescape(match[1]) ?? '',
  );

/** The rows of the token table, in order. */
const tokenKeys = (html: string): string[] =>
  [...html.matchAll(/<tr><th>(\w+)<\/th>/g)].map((match) => match[1] ?? '');

describe('the config page', () => {
  it('labels each field as the Console does, from the connector’s form items', async () => {
    const page = await pageOf(new Browser(), '/');
    for (const { key, label } of defaultMetadata.formItems ?? []) {
      const shown = new RegExp(`<span class="label">([^<]*) <code class="key">${key}</code>`);
      expect(unescape(shown.exec(page)?.[1]), key).toBe(label);
    }
    // The Console shows the callback URL above the form, under this name.
    expect(page).toContain('Redirect URI (Callback URI): <code id="callback-url">');
  });

  it('marks the App ID required, and the App Secret only while none is stored', async () => {
    const page = await pageOf(new Browser(), '/');
    expect(page).toMatch(/<input [^>]*id="client-id"[^>]* required>/);
    expect(page).toMatch(
      /<input [^>]*id="client-secret"[^>]*aria-describedby="client-secret-help">/,
    );
  });

  it.each(['', '   '])(
    'an App ID of %j → invalid_config saying it is required',
    async (clientId) => {
      const browser = new Browser();
      await browser.postForm(`${playground.url}/sign-in`, formFor({}, clientId));
      const html = await pageOf(browser, '/result');
      expectError(html, 'invalid_config');
      expect(textOf(html, 'error-description')).toContain('clientId is required');
    },
  );
});

describe('a mistyped App Secret', () => {
  it('ends in 96003 with a way back: the reset brings the simulated app’s secret back', async () => {
    const mistyped = await signIn({ settings: { clientSecret: 'fake-mistyped-secret' } });
    expectError(mistyped.html, 'invalid_config', '96003');
    expect(mistyped.html).toContain('data-advice="stored-secret"');
    expect(mistyped.html).toContain('<form class="actions" method="post" action="/reset-config">');
    // The empty field keeps the mistyped secret.
    const again = await signIn({}, mistyped.browser);
    expectError(again.html, 'invalid_config', '96003');

    const reset = await mistyped.browser.postForm(`${playground.url}/reset-config`, {});
    expect(locationOf(reset, playground.url)).toBe(`${playground.url}/`);
    expectOk((await signIn({}, mistyped.browser)).html);
  });

  it('gives back this browser’s own App ID with the reset, and keeps the playground’s own switches', async () => {
    const browser = new Browser();
    const ownAppId = ownAppIdOf(await pageOf(browser, '/'));
    const form = formFor({ settings: { apiClient: 'true', timeoutMs: '4300' } }, '123');
    await browser.postForm(`${playground.url}/sign-in`, form);
    await browser.postForm(`${playground.url}/reset-config`, {});
    const page = await pageOf(browser, '/');
    expect(ownAppIdOf(page)).toBe(ownAppId);
    expect(page).toContain('id="api-client" name="apiClient" value="true" checked');
    expect(page).toContain('id="timeout-ms" name="timeoutMs" min="100" step="100" value="4300"');
  });

  it('is not blamed when the "Wrong secret" switch gives the 96003', async () => {
    const { html } = await signIn({ faults: { wrongSecret: true } });
    expectError(html, 'invalid_config', '96003');
    expect(html).toContain('data-advice="wrong-secret-switch"');
  });

  it('is not mentioned on other errors', async () => {
    const { html } = await signIn({ faults: { codeAlreadyUsed: true } });
    expectError(html, 'social_auth_code_invalid', '96013');
    expect(html).not.toContain('id="advice"');
  });
});

describe('the simulated Xiaomi’s error page', () => {
  it('links back to the playground after "Redirect URI not registered", without redirecting', async () => {
    const { consent } = await startSignIn({ faults: { redirectUriNotRegistered: true } });
    expect(consent.status).toBe(400);
    expect(consent.headers.get('location')).toBeNull();
    const html = await consent.text();
    expect(html).toContain('data-code="96010"');
    expect(html).toContain(`id="back-link" href="${playground.url}/">Back to the playground</a>`);
  });

  it('has no link back for a request that came from elsewhere', async () => {
    const page = await fetch(
      `${sim.baseUrl}/oauth2/authorize?${new URLSearchParams({
        client_id: sim.apps[0]?.clientId ?? '',
        redirect_uri: 'http://elsewhere.test/callback/xiaomi',
        response_type: 'code',
      })}`,
    );
    const html = await page.text();
    expect(html).toContain('data-code="96010"');
    expect(html).not.toContain('id="back-link"');
  });
});

describe('a form too large', () => {
  it('gets a page of the playground naming the limit, with a way back', async () => {
    const browser = new Browser();
    const clientId = ownAppIdOf(await pageOf(browser, '/'));
    const response = await browser.postForm(`${playground.url}/sign-in`, {
      ...formFor({}, clientId),
      clientSecret: 'x'.repeat(1024 * 1024),
    });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toContain('text/html');
    const html = await response.text();
    expect(html).toContain('connector playground</a>');
    expect(textOf(html, 'request-error-message')).toContain('64 KB');
    expect(html).toContain('<a class="button primary" href="/" id="back">');
  });
});

describe('the result page', () => {
  it.each([
    { faults: { badGateway: true }, words: 'HTTP 502: Xiaomi’s server failed' },
    { faults: { hang: true }, words: 'No answer in time' },
    { faults: { wrongSecret: true }, words: 'Xiaomi error 96003' },
  ])('says what each call ended in, in words: $words', async ({ faults, words }) => {
    const { html } = await signIn({ faults, settings: { timeoutMs: '400' } });
    expect(outcomeWords(html)).toContain(words);
    expect(outcomeWords(html).join()).not.toMatch(/http-status|timeout/);
  });

  it('offers the refresh only with the token set it refreshes, not on a later error page', async () => {
    const { html, browser } = await signIn();
    expect(html).toContain('id="refresh"');
    await browser.postForm(`${playground.url}/sign-in`, formFor({}, ''));
    const failed = await pageOf(browser, '/result');
    expectError(failed, 'invalid_config');
    expect(failed).not.toContain('id="refresh"');
  });

  it('says the refresh token was rotated, and keeps the token table in one order', async () => {
    const { html, browser } = await signIn();
    await browser.postForm(`${playground.url}/refresh`, {});
    const refreshed = await pageOf(browser, '/result');
    expectOk(refreshed);
    expect(textOf(refreshed, 'refresh-token-rotation')).toContain('sent a new refresh token');
    expect(tokenKeys(refreshed)).toEqual(tokenKeys(html));
    expect(tokenKeys(html).slice(0, 2)).toEqual(['access_token', 'refresh_token']);
  });
});
