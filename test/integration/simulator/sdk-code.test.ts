/**
 * Codes the way Xiaomi's Android SDK gets them on the phone (`POST /__simulator/sdk-code`, and the
 * in-process `sim.sdkCode`), exchanged at the token endpoint like a browser's: bound to the mobile
 * app's App ID and redirect URL, one person's unionId the same in every app, the openId per app.
 */
import { describe, expect, it } from 'vitest';

import type { SdkCodeRequest } from '../../../simulator/index.js';

import {
  accessTokenFor,
  exchangeParams,
  mainApp,
  mobileApp,
  mobileRedirectUrl,
  openApi,
  sim,
  stringField,
  tokenRequest,
  useSimulator,
} from './harness.js';

useSimulator();

const sdkRequest = (overrides: Partial<SdkCodeRequest> = {}): SdkCodeRequest => ({
  appId: mobileApp.clientId,
  redirectUrl: mobileRedirectUrl,
  scope: [1, 3],
  state: 'android-state',
  ...overrides,
});

/** `POST /__simulator/sdk-code` with a JSON body. */
const postSdkCode = async (body: unknown, contentType = 'application/json') => {
  const response = await fetch(`${sim.baseUrl}/__simulator/sdk-code`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const parsed: unknown = await response.json();
  return {
    status: response.status,
    body:
      typeof parsed === 'object' && parsed !== null
        ? Object.fromEntries(Object.entries(parsed))
        : {},
  };
};

/** The mobile app's exchange of an SDK code. */
const mobileExchange = (code: string, overrides: Record<string, string> = {}) =>
  exchangeParams(code, {
    client_id: mobileApp.clientId,
    client_secret: mobileApp.clientSecret,
    redirect_uri: mobileRedirectUrl,
    ...overrides,
  });

describe('the SDK code endpoint', () => {
  it('answers a code and the state, which the mobile app exchanges with its own credentials', async () => {
    const { status, body } = await postSdkCode(sdkRequest());
    expect(status).toBe(200);
    expect(body).toEqual({ code: expect.any(String), state: 'android-state' });
    const tokens = await tokenRequest('POST', mobileExchange(stringField(body, 'code')));
    expect(tokens.body).toMatchObject({ access_token: expect.any(String), scope: '1 3' });
    const profile = await openApi(
      'profile',
      stringField(tokens.body, 'access_token'),
      mobileApp.clientId,
    );
    expect(profile.body.data).toMatchObject({ unionId: sim.accounts[0]?.unionId });
  });

  it('gives the same answer in-process, for the account asked for, scope as text', async () => {
    const han = sim.accounts[2];
    const minted = sim.sdkCode(sdkRequest({ account: han?.userId, scope: '1', state: undefined }));
    expect(minted).toEqual({ code: expect.any(String) });
    const code = 'code' in minted ? minted.code : '';
    const tokens = await tokenRequest('POST', mobileExchange(code));
    expect(tokens.body.scope).toBe('1');
    const profile = await openApi(
      'profile',
      stringField(tokens.body, 'access_token'),
      mobileApp.clientId,
    );
    expect(profile.body.data).toMatchObject({ unionId: han?.unionId });
  });

  const refusals: Array<{ what: string; request: SdkCodeRequest; error: number }> = [
    {
      what: 'an unknown App ID',
      request: sdkRequest({ appId: '2882303761517000999' }),
      error: 96001,
    },
    {
      what: 'a web app’s App ID',
      request: sdkRequest({
        appId: mainApp.clientId,
        redirectUrl: 'http://app.test:8080/callback',
      }),
      error: 96005,
    },
    {
      what: 'a redirect URL not registered for the app',
      request: sdkRequest({ redirectUrl: 'https://mobile.test/elsewhere' }),
      error: 96010,
    },
    {
      what: 'the redirect URL under another scheme',
      request: sdkRequest({ redirectUrl: 'http://mobile.test/xiaomi/oauth' }),
      error: 96010,
    },
    {
      what: 'a scope the app is not granted',
      request: sdkRequest({ scope: [1, 6] }),
      error: 96007,
    },
    { what: 'an unknown account', request: sdkRequest({ account: 'nobody' }), error: 96002 },
  ];

  it.each(refusals)(
    'refuses $what with Xiaomi’s error $error, minting no code',
    async ({ request, error }) => {
      const { status, body } = await postSdkCode(request);
      expect(status).toBe(400);
      expect(body).toEqual({ error, error_description: expect.any(String) });
      expect(sim.sdkCode(request)).toEqual(body);
    },
  );

  it.each([
    { what: 'no redirect URL', request: { appId: mobileApp.clientId } },
    { what: 'an App ID as a JSON number', request: { ...sdkRequest(), appId: 2882303761517 } },
    { what: 'an unknown field', request: { ...sdkRequest(), clientSecret: 'x' } },
  ])('refuses a request with $what as 96002', async ({ request }) => {
    const { status, body } = await postSdkCode(request);
    expect(status).toBe(400);
    expect(body).toEqual({
      error: 96002,
      error_description: expect.stringContaining('invalid request'),
    });
  });

  it('takes JSON only', async () => {
    const response = await fetch(`${sim.baseUrl}/__simulator/sdk-code`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ appId: mobileApp.clientId, redirectUrl: mobileRedirectUrl }),
    });
    expect(response.status).toBe(415);
  });

  it('refuses the redirect URL while the app’s redirectUriNotRegistered fault is on', async () => {
    sim.setFaults({ redirectUriNotRegistered: true }, mobileApp.clientId);
    expect(sim.sdkCode(sdkRequest())).toMatchObject({ error: 96010 });
  });
});

describe('an SDK code at the token endpoint', () => {
  const mint = () => {
    const minted = sim.sdkCode(sdkRequest());
    if (!('code' in minted)) {
      throw new Error(`no code: ${minted.error_description}`);
    }
    return minted.code;
  };

  it.each<{ what: string; overrides: Record<string, string>; error: number }>([
    {
      what: 'the web app’s App ID and App Secret',
      overrides: { client_id: mainApp.clientId, client_secret: mainApp.clientSecret },
      error: 96013,
    },
    {
      what: 'the web app’s App ID and redirect URI',
      overrides: {
        client_id: mainApp.clientId,
        client_secret: mainApp.clientSecret,
        redirect_uri: 'http://app.test:8080/callback/xiaomi',
      },
      error: 96013,
    },
    {
      what: 'the mobile App ID with the web app’s secret',
      overrides: { client_secret: mainApp.clientSecret },
      error: 96003,
    },
    {
      what: 'another redirect URI than the SDK’s',
      overrides: { redirect_uri: 'https://mobile.test/xiaomi/oauth/other' },
      error: 96010,
    },
  ])(
    'is refused with $what, and still works with the mobile app’s afterwards',
    async ({ overrides, error }) => {
      const code = mint();
      const refused = await tokenRequest('POST', mobileExchange(code, overrides));
      expect(refused.body).toEqual({ error, error_description: expect.any(String) });
      expect((await tokenRequest('POST', mobileExchange(code))).body.access_token).toBeTruthy();
    },
  );

  it('is refreshed with the mobile app and its redirect URL only', async () => {
    const tokens = (await tokenRequest('POST', mobileExchange(mint()))).body;
    const refresh = {
      grant_type: 'refresh_token',
      client_id: mobileApp.clientId,
      client_secret: mobileApp.clientSecret,
      refresh_token: stringField(tokens, 'refresh_token'),
      redirect_uri: mobileRedirectUrl,
    };
    const asWeb = await tokenRequest('POST', {
      ...refresh,
      client_id: mainApp.clientId,
      client_secret: mainApp.clientSecret,
      redirect_uri: 'http://app.test:8080/callback/xiaomi',
    });
    expect(asWeb.body.error).toBe(96009);
    const renewed = await tokenRequest('POST', refresh);
    expect(renewed.body.access_token).toEqual(expect.any(String));
  });

  it('gives one person the same unionId in the web and mobile apps, and a per-app openId', async () => {
    const account = sim.accounts[1]?.userId;
    const web = await accessTokenFor('1 3', account);
    const minted = sim.sdkCode(sdkRequest({ account }));
    const mobile = (await tokenRequest('POST', mobileExchange('code' in minted ? minted.code : '')))
      .body;
    const profiles = await Promise.all([
      openApi('profile', stringField(web, 'access_token'), mainApp.clientId),
      openApi('profile', stringField(mobile, 'access_token'), mobileApp.clientId),
    ]);
    const [webProfile, mobileProfile] = profiles.map(({ body }) => body.data);
    expect(mobileProfile).toMatchObject({ unionId: sim.accounts[1]?.unionId });
    expect(webProfile).toEqual(mobileProfile);

    const openIds = await Promise.all([
      openApi('openidV2', stringField(web, 'access_token'), mainApp.clientId),
      openApi('openidV2', stringField(mobile, 'access_token'), mobileApp.clientId),
    ]);
    expect(openIds.map(({ body }) => body.data)).toEqual([
      { openid: web.openId },
      { openid: mobile.openId },
    ]);
    expect(web.openId).not.toBe(mobile.openId);
    // A token works only with the App ID it was issued to.
    const crossed = await openApi('profile', stringField(mobile, 'access_token'), mainApp.clientId);
    expect(crossed.body).toMatchObject({ result: 'error', code: 96008 });
  });
});
