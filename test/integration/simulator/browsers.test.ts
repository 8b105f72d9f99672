import { describe, expect, it } from 'vitest';

import {
  authorize,
  defaultAuthorizeParams,
  exchangeParams,
  mainApp,
  requestIdOf,
  signIn,
  sim,
  tokenRequest,
  useSimulator,
} from './harness.js';

useSimulator();

describe('browsers', () => {
  it('refuses a POST from another site, accepts one from its own pages', async () => {
    const page = await authorize(defaultAuthorizeParams());
    const requestId = requestIdOf(await page.text());
    const post = async (origin: string) =>
      fetch(new URL('/oauth2/authorize/decision', sim.baseUrl), {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
        body: new URLSearchParams({ request: requestId, decision: 'deny' }),
      });
    expect((await post('http://evil.test')).status).toBe(403);
    expect((await post('null')).status).toBe(403);
    // The refused attempt did not use the consent request up.
    expect((await post(sim.baseUrl)).status).toBe(302);
    // A browser routed to the simulator as Xiaomi posts from Xiaomi's origin.
    const routed = await authorize(defaultAuthorizeParams());
    const routedId = requestIdOf(await routed.text());
    const asXiaomi = await fetch(new URL('/oauth2/authorize/decision', sim.baseUrl), {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'https://account.xiaomi.com',
      },
      body: new URLSearchParams({ request: routedId, decision: 'deny' }),
    });
    expect(asXiaomi.status).toBe(302);
  });

  it('sends security headers and serves a favicon', async () => {
    const page = await authorize(defaultAuthorizeParams());
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(await page.text()).toContain('<link rel="icon" href="/favicon.svg"');
    const icon = await fetch(`${sim.baseUrl}/favicon.svg`);
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
    expect(await icon.text()).toContain('<svg');
    expect(sim.calls()).toEqual([expect.objectContaining({ path: '/oauth2/authorize' })]);
  });
});

describe('call log', () => {
  it('records method, path and status, never queries or secrets', async () => {
    const { code } = await signIn();
    await tokenRequest('GET', exchangeParams(code));
    const calls = sim.calls();
    expect(calls.map((call) => `${call.method} ${call.path} ${call.status}`)).toEqual([
      'GET /oauth2/authorize 200',
      'POST /oauth2/authorize/decision 302',
      'GET /oauth2/token 200',
    ]);
    expect(JSON.stringify(calls)).not.toContain(mainApp.clientSecret);
    expect(JSON.stringify(calls)).not.toContain(code);
    for (const call of calls) {
      expect(call.at).toBeGreaterThan(0);
      expect(call.durationMs).toBeGreaterThanOrEqual(0);
    }
  });
});
