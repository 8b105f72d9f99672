/**
 * The app the end user signs in to: a traditional web app of Logto's, as an SDK would drive it.
 * It builds the OIDC sign-in URL, exchanges the code it gets back, and reads the stored Xiaomi
 * token through Logto's Account API with the user's own access token.
 */
import { randomBytes } from 'node:crypto';

import ky from 'ky';
import { z } from 'zod';

import { callLogto } from './management-api.js';

export type OidcApp = {
  endpoint: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
};

export const signInUrl = (app: OidcApp, state: string): string => {
  const url = new URL(`${app.endpoint}/oidc/auth`);
  url.search = new URLSearchParams({
    client_id: app.clientId,
    redirect_uri: app.redirectUri,
    response_type: 'code',
    // identities: the Account API's stored-token read requires it from Logto 1.42 (#9116,
    // core's routes/account/third-party-tokens.ts); older releases accept it too.
    scope: 'openid profile identities',
    state,
  }).toString();
  return url.href;
};

export const randomState = () => randomBytes(12).toString('base64url');

const tokenSetGuard = z.object({
  access_token: z.string(),
  id_token: z.string(),
  token_type: z.string(),
});
const claimsGuard = z.object({ sub: z.string(), aud: z.string(), iss: z.string() }).passthrough();

/** An ID token's claims, read, not verified (the test trusts the Logto it started). */
export const readIdToken = (idToken: string) => {
  const payload = idToken.split('.')[1] ?? '';
  return claimsGuard.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
};

/** Code → tokens at Logto's token endpoint. */
export const exchangeCode = async (app: OidcApp, code: string) => {
  const basic = Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64');
  const tokens = tokenSetGuard.parse(
    await ky
      .post(`${app.endpoint}/oidc/token`, {
        headers: { authorization: `Basic ${basic}` },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: app.redirectUri,
        }),
      })
      .json(),
  );
  return { accessToken: tokens.access_token, claims: readIdToken(tokens.id_token) };
};

const storedTokenGuard = z.object({
  access_token: z.string(),
  expires_in: z.number().optional(),
  scope: z.string().optional(),
  token_type: z.string().optional(),
});

/**
 * GET /api/my-account/identities/:target/access-token (routes/account/third-party-tokens.ts): the
 * stored token set's access token, refreshed through the connector first when it has expired.
 */
export const readStoredToken = async (endpoint: string, userAccessToken: string, target: string) =>
  callLogto(
    ky.create({
      prefixUrl: `${endpoint}/api`,
      headers: { authorization: `Bearer ${userAccessToken}` },
      retry: 0,
    }),
    'get',
    `my-account/identities/${target}/access-token`,
    storedTokenGuard,
  );
