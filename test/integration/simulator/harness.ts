/** What the simulator tests share: three apps, one simulator per test file, HTTP helpers. */
import { afterAll, afterEach, beforeAll, expect } from 'vitest';

import {
  startXiaomiSimulator,
  type SimulatorApp,
  type XiaomiSimulator,
} from '../../../simulator/index.js';

export const callback = 'http://app.test:8080/callback';

export const mainApp: SimulatorApp = {
  clientId: '2882303761517000111',
  clientSecret: 'main-secret',
  name: 'Main <App> & "Friends"',
  redirectUris: [callback, 'https://secure.test/cb;http://127.0.0.1:9999/logto'],
  allowedScopes: ['1', '3', '4', '6'],
};

export const otherApp: SimulatorApp = {
  clientId: '2882303761517000222',
  clientSecret: 'other-secret',
  name: 'Other App',
  redirectUris: [callback],
  allowedScopes: ['1', '3'],
};

/** A Mobile/Tablet app of the same developer: its codes come from the SDK endpoint. */
export const mobileRedirectUrl = 'https://mobile.test/xiaomi/oauth';
export const mobileApp: SimulatorApp = {
  kind: 'mobile',
  clientId: '2882303761517000333',
  clientSecret: 'mobile-secret',
  name: 'Mobile App',
  packageName: 'com.example.mobile',
  redirectUris: [mobileRedirectUrl],
  allowedScopes: ['1', '3'],
};

export type TokenBody = Record<string, unknown>;

/** The simulator of the test file that called `useSimulator` (a live binding). */
export let sim: XiaomiSimulator;

/** One simulator with the three apps for the calling test file, reset after each test. */
export const useSimulator = (): void => {
  beforeAll(async () => {
    sim = await startXiaomiSimulator({ apps: [mainApp, otherApp, mobileApp] });
  });

  afterAll(async () => {
    await sim.close();
  });

  afterEach(() => {
    sim.reset();
  });
};

export const authorizeUrl = (params: Record<string, string>): string => {
  const url = new URL('/oauth2/authorize', sim.baseUrl);
  for (const [key, value] of Object.entries(params)) {
    url.searchParams.set(key, value);
  }
  return url.href;
};

export const authorize = async (
  params: Record<string, string>,
  cookie?: string,
): Promise<Response> =>
  fetch(authorizeUrl(params), {
    redirect: 'manual',
    headers: cookie ? { cookie } : {},
  });

export const defaultAuthorizeParams = (
  overrides: Record<string, string> = {},
): Record<string, string> => ({
  client_id: mainApp.clientId,
  redirect_uri: `${callback}/xiaomi`,
  response_type: 'code',
  scope: '1 3',
  state: 'state-123',
  ...overrides,
});

export const requestIdOf = (html: string): string => {
  const match = /name="request" value="([^"]+)"/.exec(html);
  if (!match?.[1]) {
    throw new Error('no consent request id on the page');
  }
  return match[1];
};

export const errorCodeOnPage = (html: string): string | undefined =>
  /id="error-code" data-code="(\d+)"/.exec(html)?.[1];

export const decide = async (
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

export const locationOf = (response: Response): URL => {
  const location = response.headers.get('location');
  if (!location) {
    throw new Error(`no location header (status ${response.status})`);
  }
  return new URL(location);
};

/** Runs the consent flow and returns the code and the account cookie. */
export const signIn = async (
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

export const parseTokenText = (text: string): TokenBody => {
  expect(text.startsWith('&&&START&&&')).toBe(true);
  const parsed: unknown = JSON.parse(text.slice('&&&START&&&'.length));
  if (typeof parsed !== 'object' || parsed === null) {
    throw new Error('token body is not an object');
  }
  return Object.fromEntries(Object.entries(parsed));
};

export const tokenRequest = async (
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

export const exchangeParams = (
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

export const openApi = async (
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

export const accessTokenFor = async (scope: string, account?: string): Promise<TokenBody> => {
  const { code } = await signIn({ scope }, account);
  const { body } = await tokenRequest('POST', exchangeParams(code));
  expect(body.access_token).toEqual(expect.any(String));
  return body;
};

export const stringField = (body: TokenBody, key: string): string => {
  const value = body[key];
  if (typeof value !== 'string') {
    throw new Error(`${key} is not a string`);
  }
  return value;
};
