import { describe, expect, it } from 'vitest';

import { defaultSimulatorApp, matchesRedirectUri } from '../../../simulator/index.js';

import {
  authorize,
  callback,
  decide,
  defaultAuthorizeParams,
  errorCodeOnPage,
  exchangeParams,
  locationOf,
  openApi,
  requestIdOf,
  signIn,
  sim,
  stringField,
  tokenRequest,
  useSimulator,
} from './harness.js';

useSimulator();

describe('redirect URI rules', () => {
  it.each([
    ['the registered URI itself', callback],
    ['a path below the registered one', `${callback}/xiaomi-connector`],
    ['a subdomain of the registered host', 'http://login.app.test:8080/callback/xiaomi'],
    ['a deeper subdomain', 'http://a.b.app.test:8080/callback'],
    ['the second of a ;-separated list', 'http://127.0.0.1:9999/logto/callback/x'],
    ['https with its default port written out', 'https://secure.test:443/cb'],
  ])('accepts %s', async (_name, redirectUri) => {
    const response = await authorize(defaultAuthorizeParams({ redirect_uri: redirectUri }));
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('id="allow"');
  });

  it.each([
    ['another port', 'http://app.test:8081/callback'],
    ['the default port instead of 8080', 'http://app.test/callback'],
    ['another scheme', 'https://app.test:8080/callback'],
    ['a sibling path with the same prefix', 'http://app.test:8080/callbackx'],
    ['a path above the registered one', 'http://app.test:8080/'],
    ['a host that only ends with the same letters', 'http://evilapp.test:8080/callback'],
    ['a parent domain', 'http://test:8080/callback'],
    ['a fragment', `${callback}#frag`],
    ['user info in the URL', 'http://user@app.test:8080/callback'],
    ['not a URL', 'not a url'],
  ])('rejects %s with a 96010 page and never redirects', async (_name, redirectUri) => {
    const response = await authorize(defaultAuthorizeParams({ redirect_uri: redirectUri }));
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(errorCodeOnPage(await response.text())).toBe('96010');
  });

  it('matches hosts case-insensitively and normalizes dot segments', () => {
    expect(matchesRedirectUri('http://APP.test:8080/callback/x', callback)).toBe(true);
    expect(matchesRedirectUri('http://app.test:8080/callback/../admin', callback)).toBe(false);
  });

  it('gives the default app the playground callback on port 3000', () => {
    expect(defaultSimulatorApp.redirectUris).toContain('http://127.0.0.1:3000/callback');
    expect(defaultSimulatorApp.allowedScopes).toEqual(['1', '3', '4', '6']);
  });
});

describe('authorize', () => {
  it('shows an error page for an unknown or missing client', async () => {
    const unknown = await authorize(defaultAuthorizeParams({ client_id: '1234' }));
    expect(unknown.status).toBe(400);
    expect(errorCodeOnPage(await unknown.text())).toBe('96001');
    const missing = await fetch(new URL('/oauth2/authorize', sim.baseUrl), { redirect: 'manual' });
    expect(errorCodeOnPage(await missing.text())).toBe('96002');
  });

  it('redirects 96011 for a response type other than code', async () => {
    const response = await authorize(defaultAuthorizeParams({ response_type: 'token' }));
    expect(response.status).toBe(302);
    const location = locationOf(response);
    expect(location.searchParams.get('error')).toBe('96011');
    expect(location.searchParams.get('state')).toBe('state-123');
  });

  it.each([
    ['unknown', '1 999'],
    ['not numeric', 'profile'],
    ['not allowed for the app', '1 2'],
  ])('redirects 96007 for a scope %s', async (_name, scope) => {
    const response = await authorize(defaultAuthorizeParams({ scope }));
    expect(response.status).toBe(302);
    const location = locationOf(response);
    expect(`${location.origin}${location.pathname}`).toBe(`${callback}/xiaomi`);
    expect(location.searchParams.get('error')).toBe('96007');
    expect(location.searchParams.get('error_description')).toBeTruthy();
  });

  it('shows the consent page with escaped app name, scopes in words and accounts', async () => {
    const response = await authorize(defaultAuthorizeParams({ scope: '1 3 4 6' }));
    const html = await response.text();
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(html).toContain('Main &lt;App&gt; &amp; &quot;Friends&quot;');
    expect(html).not.toContain('<App>');
    for (const words of ['nickname and avatar', 'open ID', 'phone number', 'email address']) {
      expect(html).toContain(words);
    }
    expect(html.match(/name="account"/g)).toHaveLength(sim.accounts.length);
    expect(html).toContain('小米用户🍊');
    expect(html).toContain('#ff6900');
    expect(html).toContain('id="deny"');
  });

  it('redirects 96012 with the state when the user denies', async () => {
    const page = await authorize(defaultAuthorizeParams());
    const response = await decide(requestIdOf(await page.text()), 'deny');
    expect(response.status).toBe(302);
    const location = locationOf(response);
    expect(location.searchParams.get('error')).toBe('96012');
    expect(location.searchParams.get('error_description')).toBeTruthy();
    expect(location.searchParams.get('state')).toBe('state-123');
    expect(location.searchParams.get('code')).toBeNull();
  });

  it('redirects with a code and the state when the user allows', async () => {
    const { code, location } = await signIn();
    expect(code).toMatch(/^[0-9A-F]{32}$/);
    expect(location.searchParams.get('state')).toBe('state-123');
    expect(`${location.origin}${location.pathname}`).toBe(`${callback}/xiaomi`);
  });

  it('does not accept a consent request twice', async () => {
    const page = await authorize(defaultAuthorizeParams());
    const requestId = requestIdOf(await page.text());
    expect((await decide(requestId, 'allow', sim.accounts[0]?.userId)).status).toBe(302);
    const again = await decide(requestId, 'allow', sim.accounts[0]?.userId);
    expect(again.status).toBe(400);
  });

  it('skips the page with skip_confirm and a remembered account only', async () => {
    const account = sim.accounts[2]?.userId;
    const { cookie } = await signIn({}, account);
    expect(cookie).toMatch(/^xiaomi_sim_account=/);

    const skipped = await authorize(defaultAuthorizeParams({ skip_confirm: 'true' }), cookie);
    expect(skipped.status).toBe(302);
    const code = locationOf(skipped).searchParams.get('code');
    expect(code).toBeTruthy();
    const { body } = await tokenRequest('GET', exchangeParams(code ?? ''));
    const profile = await openApi('profile', stringField(body, 'access_token'));
    expect(profile.body.data).toMatchObject({ userId: account });

    const withoutCookie = await authorize(defaultAuthorizeParams({ skip_confirm: 'true' }));
    expect(withoutCookie.status).toBe(200);
    const withoutSkip = await authorize(defaultAuthorizeParams(), cookie);
    expect(withoutSkip.status).toBe(200);
    // The remembered account is preselected.
    expect(await withoutSkip.text()).toContain(`value="${account}" checked`);
  });
});
