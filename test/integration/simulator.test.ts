import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import {
  defaultSimulatorApp,
  matchesRedirectUri,
  startXiaomiSimulator,
  type SimulatorApp,
  type XiaomiSimulator,
} from '../../simulator/index.js';

const callback = 'http://app.test:8080/callback';

const mainApp: SimulatorApp = {
  clientId: '2882303761517000111',
  clientSecret: 'main-secret',
  name: 'Main <App> & "Friends"',
  redirectUris: [callback, 'https://secure.test/cb;http://127.0.0.1:9999/logto'],
  allowedScopes: ['1', '3', '4', '6'],
};

const otherApp: SimulatorApp = {
  clientId: '2882303761517000222',
  clientSecret: 'other-secret',
  name: 'Other App',
  redirectUris: [callback],
  allowedScopes: ['1', '3'],
};

type TokenBody = Record<string, unknown>;

let sim: XiaomiSimulator;

beforeAll(async () => {
  sim = await startXiaomiSimulator({ apps: [mainApp, otherApp] });
});

afterAll(async () => {
  await sim.close();
});

afterEach(() => {
  sim.reset();
});

const authorizeUrl = (params: Record<string, string>): string => {
  const url = new URL('/oauth2/authorize', sim.baseUrl);
  for (const [key, value] of Object.entries(params)) {
    url.searchParams.set(key, value);
  }
  return url.href;
};

const authorize = async (params: Record<string, string>, cookie?: string): Promise<Response> =>
  fetch(authorizeUrl(params), {
    redirect: 'manual',
    headers: cookie ? { cookie } : {},
  });

const defaultAuthorizeParams = (
  overrides: Record<string, string> = {},
): Record<string, string> => ({
  client_id: mainApp.clientId,
  redirect_uri: `${callback}/xiaomi`,
  response_type: 'code',
  scope: '1 3',
  state: 'state-123',
  ...overrides,
});

const requestIdOf = (html: string): string => {
  const match = /name="request" value="([^"]+)"/.exec(html);
  if (!match?.[1]) {
    throw new Error('no consent request id on the page');
  }
  return match[1];
};

const errorCodeOnPage = (html: string): string | undefined =>
  /id="error-code" data-code="(\d+)"/.exec(html)?.[1];

const decide = async (
  requestId: string,
  decision: 'allow' | 'deny',
  account?: string,
): Promise<Response> =>
  fetch(new URL('/oauth2/authorize/decision', sim.baseUrl), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      request: requestId,
      decision,
      ...(account ? { account } : {}),
    }),
  });

const locationOf = (response: Response): URL => {
  const location = response.headers.get('location');
  if (!location) {
    throw new Error(`no location header (status ${response.status})`);
  }
  return new URL(location);
};

/** Runs the consent flow and returns the code and the account cookie. */
const signIn = async (
  overrides: Record<string, string> = {},
  account = sim.accounts[0]?.userId ?? '',
): Promise<{ code: string; cookie: string; location: URL }> => {
  const page = await authorize(defaultAuthorizeParams(overrides));
  expect(page.status).toBe(200);
  const decision = await decide(requestIdOf(await page.text()), 'allow', account);
  expect(decision.status).toBe(302);
  const location = locationOf(decision);
  const code = location.searchParams.get('code');
  if (!code) {
    throw new Error(`no code in ${location.href}`);
  }
  const cookie = (decision.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { code, cookie, location };
};

const parseTokenText = (text: string): TokenBody => {
  expect(text.startsWith('&&&START&&&')).toBe(true);
  const parsed: unknown = JSON.parse(text.slice('&&&START&&&'.length));
  if (typeof parsed !== 'object' || parsed === null) {
    throw new Error('token body is not an object');
  }
  return Object.fromEntries(Object.entries(parsed));
};

const tokenRequest = async (
  method: 'GET' | 'POST',
  params: Record<string, string>,
): Promise<{ status: number; contentType: string; body: TokenBody }> => {
  const url = new URL('/oauth2/token', sim.baseUrl);
  let response: Response;
  if (method === 'GET') {
    for (const [key, value] of Object.entries(params)) {
      url.searchParams.set(key, value);
    }
    response = await fetch(url);
  } else {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params),
    });
  }
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    body: parseTokenText(await response.text()),
  };
};

const exchangeParams = (
  code: string,
  overrides: Record<string, string> = {},
): Record<string, string> => ({
  grant_type: 'authorization_code',
  client_id: mainApp.clientId,
  client_secret: mainApp.clientSecret,
  code,
  redirect_uri: `${callback}/xiaomi`,
  ...overrides,
});

const openApi = async (
  api: 'profile' | 'openidV2' | 'phoneAndEmail',
  token: string,
  clientId = mainApp.clientId,
): Promise<{ status: number; body: Record<string, unknown> }> => {
  const url = new URL(`/user/${api}`, sim.baseUrl);
  url.searchParams.set('clientId', clientId);
  url.searchParams.set('token', token);
  const response = await fetch(url);
  const parsed: unknown = await response.json();
  if (typeof parsed !== 'object' || parsed === null) {
    throw new Error('open API body is not an object');
  }
  return { status: response.status, body: Object.fromEntries(Object.entries(parsed)) };
};

const accessTokenFor = async (scope: string, account?: string): Promise<TokenBody> => {
  const { code } = await signIn({ scope }, account);
  const { body } = await tokenRequest('POST', exchangeParams(code));
  expect(body.access_token).toEqual(expect.any(String));
  return body;
};

const stringField = (body: TokenBody, key: string): string => {
  const value = body[key];
  if (typeof value !== 'string') {
    throw new Error(`${key} is not a string`);
  }
  return value;
};

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

describe('token endpoint', () => {
  it.each(['GET', 'POST'] as const)('exchanges a code with %s', async (method) => {
    const { code } = await signIn({ scope: '1 3 6' });
    const { status, contentType, body } = await tokenRequest(method, exchangeParams(code));
    expect(status).toBe(200);
    expect(contentType).toContain('text/plain');
    expect(body).toMatchObject({
      access_token: expect.any(String),
      expires_in: 7_776_000,
      refresh_token: expect.any(String),
      scope: '1 3 6',
      token_type: 'mac',
      mac_key: expect.any(String),
      mac_algorithm: 'HmacSha1',
      openId: expect.any(String),
    });
  });

  it('accepts a code only once', async () => {
    const { code } = await signIn();
    expect((await tokenRequest('POST', exchangeParams(code))).body.access_token).toBeTruthy();
    const again = await tokenRequest('POST', exchangeParams(code));
    expect(again.body).toEqual({ error: 96013, error_description: expect.any(String) });
  });

  it('rejects an unknown code, another app and another redirect URI', async () => {
    expect((await tokenRequest('POST', exchangeParams('NOPE'))).body.error).toBe(96013);
    const { code } = await signIn();
    const otherClient = await tokenRequest(
      'POST',
      exchangeParams(code, { client_id: otherApp.clientId, client_secret: otherApp.clientSecret }),
    );
    expect(otherClient.body.error).toBe(96013);
    const otherUri = await tokenRequest('POST', exchangeParams(code, { redirect_uri: callback }));
    expect(otherUri.body.error).toBe(96010);
    // The code survives those attempts and still works with the right parameters.
    expect((await tokenRequest('POST', exchangeParams(code))).body.access_token).toBeTruthy();
  });

  it('rejects an expired code', async () => {
    const shortLived = await startXiaomiSimulator({ apps: [mainApp], codeTtlMs: 50 });
    try {
      const page = await fetch(
        `${shortLived.baseUrl}/oauth2/authorize?${new URLSearchParams(defaultAuthorizeParams())}`,
      );
      const decision = await fetch(`${shortLived.baseUrl}/oauth2/authorize/decision`, {
        method: 'POST',
        redirect: 'manual',
        body: new URLSearchParams({
          request: requestIdOf(await page.text()),
          decision: 'allow',
          account: shortLived.accounts[0]?.userId ?? '',
        }),
      });
      const code = locationOf(decision).searchParams.get('code') ?? '';
      await new Promise((resolve) => setTimeout(resolve, 120));
      const response = await fetch(`${shortLived.baseUrl}/oauth2/token`, {
        method: 'POST',
        body: new URLSearchParams(exchangeParams(code)),
      });
      expect(parseTokenText(await response.text()).error).toBe(96013);
    } finally {
      await shortLived.close();
    }
  });

  it.each([
    ['missing code', { code: '' }, 96002],
    ['missing secret', { client_secret: '' }, 96002],
    ['missing grant type', { grant_type: '' }, 96002],
    ['unknown client', { client_id: '999' }, 96001],
    ['bad secret', { client_secret: 'wrong' }, 96003],
    ['unsupported grant type', { grant_type: 'password' }, 96006],
  ])('answers %s with its error code', async (_name, overrides, expected) => {
    const params = Object.fromEntries(
      Object.entries(exchangeParams('SOMECODE', overrides)).filter(([, value]) => value !== ''),
    );
    const { status, body } = await tokenRequest('POST', params);
    expect(status).toBe(200);
    expect(body.error).toBe(expected);
    expect(body.error_description).toEqual(expect.any(String));
  });

  it('rotates refresh tokens, keeping account and scope', async () => {
    const account = sim.accounts[2]?.userId;
    const first = await accessTokenFor('1 4', account);
    const refreshParams = (refreshToken: string) => ({
      grant_type: 'refresh_token',
      client_id: mainApp.clientId,
      client_secret: mainApp.clientSecret,
      refresh_token: refreshToken,
      redirect_uri: callback,
    });
    const second = await tokenRequest('GET', refreshParams(stringField(first, 'refresh_token')));
    expect(second.body).toMatchObject({ scope: '1 4', token_type: 'mac', openId: first.openId });
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect(second.body.access_token).not.toBe(first.access_token);

    const reused = await tokenRequest('POST', refreshParams(stringField(first, 'refresh_token')));
    expect(reused.body.error).toBe(96009);

    const third = await tokenRequest(
      'POST',
      refreshParams(stringField(second.body, 'refresh_token')),
    );
    expect(third.body.access_token).toBeTruthy();

    const profile = await openApi('profile', stringField(third.body, 'access_token'));
    expect(profile.body.data).toMatchObject({ userId: account });
    const phone = await openApi('phoneAndEmail', stringField(third.body, 'access_token'));
    expect(phone.body.data).toEqual({ phone: '+86 138 0013 8000', email: '' });
  });

  it('checks refresh requests', async () => {
    const tokens = await accessTokenFor('1');
    const base = {
      grant_type: 'refresh_token',
      client_id: mainApp.clientId,
      client_secret: mainApp.clientSecret,
      refresh_token: stringField(tokens, 'refresh_token'),
      redirect_uri: callback,
    };
    const withoutRedirect = Object.fromEntries(
      Object.entries(base).filter(([key]) => key !== 'redirect_uri'),
    );
    expect((await tokenRequest('POST', withoutRedirect)).body.error).toBe(96002);
    expect(
      (await tokenRequest('POST', { ...base, redirect_uri: 'http://app.test:9000/callback' })).body
        .error,
    ).toBe(96010);
    expect((await tokenRequest('POST', { ...base, refresh_token: 'R3_nope' })).body.error).toBe(
      96009,
    );
    expect(
      (
        await tokenRequest('POST', {
          ...base,
          client_id: otherApp.clientId,
          client_secret: otherApp.clientSecret,
        })
      ).body.error,
    ).toBe(96009);
    // None of the failed attempts used the refresh token up.
    expect((await tokenRequest('POST', base)).body.access_token).toBeTruthy();
  });
});

describe('open APIs', () => {
  it('returns the profile with sized avatars when the account has one', async () => {
    const orange = sim.accounts[0];
    const tokens = await accessTokenFor('1', orange?.userId);
    const { status, body } = await openApi('profile', stringField(tokens, 'access_token'));
    expect(status).toBe(200);
    expect(body).toMatchObject({ result: 'ok', code: 0, description: 'success' });
    expect(body.data).toMatchObject({
      unionId: orange?.unionId,
      miliaoNick: '小米用户🍊',
      miliaoIcon: orange?.icon,
      miliaoIcon_75: expect.stringContaining('size=75'),
      miliaoIcon_90: expect.any(String),
      miliaoIcon_120: expect.any(String),
      miliaoIcon_320: expect.any(String),
      miliaoIcon_orig: expect.any(String),
      userId: orange?.userId,
    });
    const avatar = await fetch(orange?.icon ?? '');
    expect(avatar.status).toBe(200);
    expect(avatar.headers.get('content-type')).toBe('image/svg+xml');
    expect(await avatar.text()).toContain('<svg');
  });

  it('returns an empty icon and no sized ones for an account without avatar', async () => {
    const plain = sim.accounts.find((account) => account.icon === '');
    const tokens = await accessTokenFor('1', plain?.userId);
    const { body } = await openApi('profile', stringField(tokens, 'access_token'));
    expect(body.data).toEqual({
      unionId: plain?.unionId,
      miliaoNick: plain?.nickname,
      miliaoIcon: '',
      userId: plain?.userId,
    });
    expect((await fetch(`${sim.baseUrl}/avatars/${plain?.userId}.svg`)).status).toBe(404);
  });

  it('returns a stable open id per app and account, equal to the token openId', async () => {
    const first = await accessTokenFor('1 3');
    const second = await accessTokenFor('1 3');
    const one = await openApi('openidV2', stringField(first, 'access_token'));
    const two = await openApi('openidV2', stringField(second, 'access_token'));
    expect(one.body.data).toEqual({ openid: first.openId });
    expect(two.body.data).toEqual(one.body.data);

    const { code } = await signIn({ client_id: otherApp.clientId, scope: '1 3' });
    const other = await tokenRequest(
      'POST',
      exchangeParams(code, { client_id: otherApp.clientId, client_secret: otherApp.clientSecret }),
    );
    expect(other.body.openId).not.toBe(first.openId);
  });

  it.each([
    ['4', { phone: '+86 138 0013 8000', email: '' }],
    ['6', { phone: '', email: 'hanmeimei@example.com' }],
    ['4 6', { phone: '+86 138 0013 8000', email: 'hanmeimei@example.com' }],
  ])('returns phone and email as granted by scope %s', async (scope, expected) => {
    const tokens = await accessTokenFor(`1 ${scope}`, sim.accounts[2]?.userId);
    const { body } = await openApi('phoneAndEmail', stringField(tokens, 'access_token'));
    expect(body).toMatchObject({ result: 'ok', data: expected });
  });

  it.each([
    ['profile', '3'],
    ['openidV2', '1'],
    ['phoneAndEmail', '1 3'],
  ] as const)('answers %s without its scope with 403 and 96005', async (api, scope) => {
    const tokens = await accessTokenFor(scope);
    const { status, body } = await openApi(api, stringField(tokens, 'access_token'));
    expect(status).toBe(403);
    expect(body).toMatchObject({ result: 'error', code: 96005 });
  });

  it('rejects unknown tokens, tokens of another app and unknown clients', async () => {
    const tokens = await accessTokenFor('1');
    const token = stringField(tokens, 'access_token');
    expect((await openApi('profile', 'V3_nope')).body).toMatchObject({
      result: 'error',
      code: 96008,
    });
    expect((await openApi('profile', token, otherApp.clientId)).body.code).toBe(96008);
    expect((await openApi('profile', token, '42')).body.code).toBe(96001);
    const missing = await fetch(`${sim.baseUrl}/user/profile?clientId=${mainApp.clientId}`);
    expect(await missing.json()).toMatchObject({ result: 'error', code: 96002 });
  });
});

describe('fault switches', () => {
  it('wrongSecret: the token endpoint answers 96003 even to the right secret', async () => {
    const { code } = await signIn();
    sim.setFaults({ wrongSecret: true });
    expect((await tokenRequest('POST', exchangeParams(code))).body.error).toBe(96003);
  });

  it('redirectUriNotRegistered: authorize and token answer 96010', async () => {
    const { code } = await signIn();
    sim.setFaults({ redirectUriNotRegistered: true });
    const page = await authorize(defaultAuthorizeParams());
    expect(page.status).toBe(400);
    expect(errorCodeOnPage(await page.text())).toBe('96010');
    expect((await tokenRequest('GET', exchangeParams(code))).body.error).toBe(96010);
  });

  it('codeAlreadyUsed: a fresh code gets 96013', async () => {
    const { code } = await signIn();
    sim.setFaults({ codeAlreadyUsed: true });
    expect((await tokenRequest('POST', exchangeParams(code))).body.error).toBe(96013);
  });

  it('profileTokenRejected: open APIs answer HTTP 200 with code "96008" as a string', async () => {
    const tokens = await accessTokenFor('1 3 4');
    sim.setFaults({ profileTokenRejected: true });
    for (const api of ['profile', 'openidV2', 'phoneAndEmail'] as const) {
      const { status, body } = await openApi(api, stringField(tokens, 'access_token'));
      expect(status).toBe(200);
      expect(body).toEqual({ result: 'error', code: '96008', description: 'invalid token' });
    }
  });

  it('badGateway: API endpoints answer 502 with HTML, the consent page still works', async () => {
    const tokens = await accessTokenFor('1');
    const { code } = await signIn();
    sim.setFaults({ badGateway: true });
    const token = await fetch(`${sim.baseUrl}/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams(exchangeParams(code)),
    });
    expect(token.status).toBe(502);
    expect(token.headers.get('content-type')).toContain('text/html');
    expect(await token.text()).toContain('502 Bad Gateway');
    const profile = await fetch(
      `${sim.baseUrl}/user/profile?clientId=${mainApp.clientId}&token=${stringField(tokens, 'access_token')}`,
    );
    expect(profile.status).toBe(502);
    expect((await authorize(defaultAuthorizeParams())).status).toBe(200);
  });

  it('delayMs: API answers come late', async () => {
    const { code } = await signIn();
    sim.setFaults({ delayMs: 300 });
    const started = performance.now();
    const { body } = await tokenRequest('POST', exchangeParams(code));
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(body.access_token).toBeTruthy();
    const call = sim.calls().find((entry) => entry.path === '/oauth2/token');
    expect(call?.durationMs).toBeGreaterThanOrEqual(290);
  });

  it('hang: API endpoints never answer and close() still returns', async () => {
    const hanging = await startXiaomiSimulator({ apps: [mainApp], faults: { hang: true } });
    const token = fetch(`${hanging.baseUrl}/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams(exchangeParams('X')),
      signal: AbortSignal.timeout(400),
    });
    await expect(token).rejects.toThrow();
    const profile = fetch(`${hanging.baseUrl}/user/profile?clientId=1&token=2`).catch(
      (error: unknown) => error,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = performance.now();
    await hanging.close();
    expect(performance.now() - started).toBeLessThan(2000);
    expect(await profile).toBeInstanceOf(Error);
    expect(hanging.calls().some((call) => call.status === 0)).toBe(true);
  });

  it('can be read and replaced over HTTP, as JSON only', async () => {
    const postFaults = async (body: string, headers: Record<string, string>, path = '') =>
      fetch(`${sim.baseUrl}/__simulator/faults${path}`, { method: 'POST', headers, body });
    const json = { 'content-type': 'application/json' };
    const set = await postFaults(JSON.stringify({ wrongSecret: true, delayMs: 10 }), json);
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({ wrongSecret: true, delayMs: 10 });
    expect(sim.faults()).toEqual({ wrongSecret: true, delayMs: 10 });

    await postFaults(JSON.stringify({ badGateway: true }), json);
    const read = await fetch(`${sim.baseUrl}/__simulator/faults`);
    expect(await read.json()).toEqual({ badGateway: true });

    for (const bad of ['{"nope":true}', '{"hang":"yes"}', '{"delayMs":-1}', '[]', 'not json']) {
      expect((await postFaults(bad, json)).status).toBe(400);
    }
    // What a cross-site form or a no-preflight fetch could send is refused.
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      expect((await postFaults('{"hang":true}', { 'content-type': type })).status).toBe(415);
    }
    expect(sim.faults()).toEqual({ badGateway: true });
  });

  it("keeps an app's own faults to that app", async () => {
    sim.setFaults({ wrongSecret: true }, mainApp.clientId);
    const main = await signIn();
    expect((await tokenRequest('POST', exchangeParams(main.code))).body.error).toBe(96003);
    const other = await signIn({ client_id: otherApp.clientId, scope: '1' });
    const otherParams = exchangeParams(other.code, {
      client_id: otherApp.clientId,
      client_secret: otherApp.clientSecret,
    });
    expect((await tokenRequest('POST', otherParams)).body.access_token).toBeTruthy();

    // Over HTTP: an app's faults lie over the simulator-wide ones, for that app only.
    const response = await fetch(`${sim.baseUrl}/__simulator/faults/${otherApp.clientId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ profileTokenRejected: true }),
    });
    expect(await response.json()).toEqual({ profileTokenRejected: true });
    sim.setFaults({ delayMs: 1 });
    expect(sim.faults(otherApp.clientId)).toEqual({ delayMs: 1, profileTokenRejected: true });
    expect(sim.faults(mainApp.clientId)).toEqual({ delayMs: 1, wrongSecret: true });
    expect(sim.faults()).toEqual({ delayMs: 1 });
  });

  it('reset clears faults, calls and tokens', async () => {
    const tokens = await accessTokenFor('1');
    sim.setFaults({ hang: true });
    sim.reset();
    expect(sim.faults()).toEqual({});
    expect(sim.calls()).toEqual([]);
    expect((await openApi('profile', stringField(tokens, 'access_token'))).body.code).toBe(96008);
  });
});

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
