import { get, type IncomingMessage } from 'node:http';

import { describe, expect, it } from 'vitest';

import {
  Browser,
  expectError,
  expectOk,
  formFor,
  ownAppIdOf,
  pageOf,
  playground,
  signIn,
  startSignIn,
  textOf,
  usePlayground,
} from './harness.js';

usePlayground();

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
    const clientId = ownAppIdOf(await pageOf(browser, '/'));
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
