import { describe, expect, it, vi } from 'vitest';

import { startXiaomiSimulator } from '../../../simulator/index.js';

import {
  accessTokenFor,
  callback,
  defaultAuthorizeParams,
  exchangeParams,
  locationOf,
  mainApp,
  openApi,
  otherApp,
  parseTokenText,
  requestIdOf,
  signIn,
  sim,
  stringField,
  tokenRequest,
  useSimulator,
} from './harness.js';

useSimulator();

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

  it('answers union_id beside openId only when started with tokenUnionId', async () => {
    const plain = await tokenRequest('POST', exchangeParams((await signIn()).code));
    expect(plain.body).not.toHaveProperty('union_id');

    const withUnionId = await startXiaomiSimulator({ apps: [mainApp], tokenUnionId: true });
    try {
      const [account] = withUnionId.accounts;
      const page = await fetch(
        `${withUnionId.baseUrl}/oauth2/authorize?${new URLSearchParams(defaultAuthorizeParams())}`,
      );
      const decision = await fetch(`${withUnionId.baseUrl}/oauth2/authorize/decision`, {
        method: 'POST',
        redirect: 'manual',
        body: new URLSearchParams({
          request: requestIdOf(await page.text()),
          decision: 'allow',
          account: account?.userId ?? '',
        }),
      });
      const code = locationOf(decision).searchParams.get('code') ?? '';
      const response = await fetch(`${withUnionId.baseUrl}/oauth2/token`, {
        method: 'POST',
        body: new URLSearchParams(exchangeParams(code)),
      });
      expect(parseTokenText(await response.text())).toMatchObject({
        openId: expect.any(String),
        union_id: account?.unionId,
      });
    } finally {
      await withUnionId.close();
    }
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

describe('what a test can read back', () => {
  it('records the redirect URI, grant type and App ID of each authorize, token and open-API call, not the code', async () => {
    const { code } = await signIn();
    const exchanged = await tokenRequest('POST', exchangeParams(code));
    await tokenRequest('GET', {
      grant_type: 'refresh_token',
      client_id: mainApp.clientId,
      client_secret: mainApp.clientSecret,
      refresh_token: stringField(exchanged.body, 'refresh_token'),
      redirect_uri: callback,
    });
    await openApi('profile', stringField(exchanged.body, 'access_token'));
    // A call is recorded once the server has closed its answer, which can come after the client read it.
    await vi.waitFor(() => {
      expect(sim.calls()).toHaveLength(5);
    });
    const calls = sim.calls();
    expect(
      calls.map(({ method, path, redirectUri, grantType, clientId }) => [
        method,
        path,
        redirectUri,
        grantType,
        clientId,
      ]),
    ).toEqual([
      ['GET', '/oauth2/authorize', `${callback}/xiaomi`, undefined, mainApp.clientId],
      ['POST', '/oauth2/authorize/decision', undefined, undefined, undefined],
      ['POST', '/oauth2/token', `${callback}/xiaomi`, 'authorization_code', mainApp.clientId],
      ['GET', '/oauth2/token', callback, 'refresh_token', mainApp.clientId],
      ['GET', '/user/profile', undefined, undefined, mainApp.clientId],
    ]);
    expect(JSON.stringify(calls)).not.toContain(code);
  });

  it('lists every access token, refresh token and MAC key it issued, with its App ID, until a reset', async () => {
    const first = await accessTokenFor('1');
    const second = await accessTokenFor('1 3');
    const kinds = [
      ['access token', 'access_token'],
      ['refresh token', 'refresh_token'],
      ['MAC key', 'mac_key'],
    ] as const;
    expect(sim.issuedSecrets()).toEqual(
      [first, second].flatMap((body) =>
        kinds.map(([kind, key]) => ({
          kind,
          value: stringField(body, key),
          clientId: mainApp.clientId,
        })),
      ),
    );
    sim.reset();
    expect(sim.issuedSecrets()).toEqual([]);
  });
});
