/**
 * The Android app's OIDC sign-in through Logto's Experience API, as README.md's "Sign-in, step by
 * step (Experience API)" has it, with one cookie-keeping client from /oidc/auth to the app's tokens.
 * Routes, read in logto-io/logto v1.37.1, v1.41.0, v1.42.0 and the #9464 branch (the same in all
 * four): core's routes/experience/index.ts (PUT /api/experience, PUT …/interaction-event, POST
 * …/identification, POST …/submit), routes/experience/verification-routes/social-verification.ts
 * (…/verification/social/:connectorId/authorization-uri and …/verify; the connector session lives
 * in the OIDC interaction: libraries/verification-helpers/social-verification.ts, in 1.37.1
 * routes/interaction/utils/social-verification.ts) and …/password-verification.ts. PKCE is
 * required for a Native app: core's oidc/init.ts (pkce.required, token_endpoint_auth_method none).
 */
import { createHash, randomBytes } from 'node:crypto';

import { z } from 'zod';

import type { SimulatorAccount } from '../simulator/index.js';

import { sdkCode, sdkStep, type NativeApp } from './android-app.js';
import { createAppHttp, type AppHttp } from './app-http.js';
import { LogtoApiError } from './management-api.js';
import { randomState, readIdToken } from './oidc-app.js';

export type AppSignIn = { http: AppHttp; app: NativeApp; verifier: string; state: string };

/** Scopes as an app that reads the stored Xiaomi token and links identities asks for them. */
const appScope = 'openid offline_access profile identities';

/** GET /oidc/auth with PKCE; the client keeps Logto's interaction cookie, the page is not opened. */
export const startAppSignIn = async (app: NativeApp): Promise<AppSignIn> => {
  const http = await createAppHttp(app.endpoint);
  const verifier = randomBytes(32).toString('base64url');
  const state = randomState();
  const url = new URL('/oidc/auth', app.endpoint);
  url.search = new URLSearchParams({
    client_id: app.clientId,
    redirect_uri: app.redirectUri,
    response_type: 'code',
    scope: appScope,
    // Logto's Android SDK asks for consent, so offline_access yields a refresh token.
    prompt: 'consent',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    state,
  }).toString();
  const { status } = await http.visit(url.href);
  if (status < 300 || status > 399 || !(await http.cookieNames()).includes('_interaction')) {
    throw new Error(`GET /oidc/auth answered ${status} without Logto's interaction cookie`);
  }
  return { http, app, verifier, state };
};

const verificationGuard = z.object({ verificationId: z.string() });
const authorizationGuard = verificationGuard.extend({ authorizationUri: z.string() });
const nothing = z.undefined();

/** PUT /api/experience: a new interaction of this event inside the OIDC one. */
export const startInteraction = async ({ http }: AppSignIn, event: 'SignIn' | 'Register') =>
  http.call('put', '/api/experience', nothing, { expect: 204, json: { interactionEvent: event } });

/** README step 3: Logto asks the connector for the authorization URI, which the app never opens. */
export const socialAuthorization = async (
  { http }: AppSignIn,
  connectorId: string,
  body: { state: string; redirectUri: string },
) =>
  http.call(
    'post',
    `/api/experience/verification/social/${connectorId}/authorization-uri`,
    authorizationGuard,
    { expect: 200, json: body },
  );

/** README step 5: the SDK's code, its state and the App ID it was issued to. */
export const socialVerify = async (
  { http }: AppSignIn,
  connectorId: string,
  body: { verificationId: string; connectorData: Record<string, string> },
) =>
  http.call(
    'post',
    `/api/experience/verification/social/${connectorId}/verify`,
    verificationGuard,
    {
      expect: 200,
      json: body,
    },
  );

/**
 * README step 6: identification; a Xiaomi user Logto does not know gets 404
 * user.identity_not_exist (routes/experience/classes/verifications/social-verification.ts), then
 * the app switches the interaction to Register and identifies again (201: a new user).
 */
export const identify = async (
  { http }: AppSignIn,
  verificationId: string,
): Promise<'existing user' | 'new user'> => {
  try {
    await http.call('post', '/api/experience/identification', nothing, {
      expect: 204,
      json: { verificationId },
    });
    return 'existing user';
  } catch (error: unknown) {
    if (!(error instanceof LogtoApiError) || error.code !== 'user.identity_not_exist') {
      throw error;
    }
  }
  await http.call('put', '/api/experience/interaction-event', nothing, {
    expect: 204,
    json: { interactionEvent: 'Register' },
  });
  await http.call('post', '/api/experience/identification', nothing, {
    expect: 201,
    json: { verificationId },
  });
  return 'new user';
};

const appTokensGuard = z.object({
  access_token: z.string(),
  id_token: z.string(),
  refresh_token: z.string().optional(),
  scope: z.string(),
});

/** At most this many redirects from submit's redirectTo to the app (Logto makes two or three). */
const maxHops = 8;

/**
 * README step 7: submit, follow redirectTo with the same cookies (core's auto-consent for a
 * first-party app, middleware/koa-auto-consent.ts) to the app's redirect URI, and exchange its code.
 */
export const finishAppSignIn = async (signIn: AppSignIn) => {
  const { http, app, verifier, state } = signIn;
  const { redirectTo } = await http.call(
    'post',
    '/api/experience/submit',
    z.object({ redirectTo: z.string() }),
    { expect: 200 },
  );
  let next = redirectTo;
  for (let hop = 0; hop < maxHops && !next.startsWith(app.redirectUri); hop += 1) {
    const { location } = await http.visit(next);
    if (!location) {
      throw new Error(`Logto did not redirect on the way to the app (${http.sequence.at(-1)})`);
    }
    next = new URL(location, next).href;
  }
  const callback = new URL(next);
  const code = callback.searchParams.get('code');
  if (!next.startsWith(app.redirectUri) || !code || callback.searchParams.get('state') !== state) {
    throw new Error(
      `Logto did not send the app back to ${app.redirectUri} with a code and its state (last: ${http.sequence.at(-1)})`,
    );
  }
  http.sequence.push(`→ ${app.redirectUri}?code&state`);
  const tokens = await http.postForm(
    '/oidc/token',
    {
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      client_id: app.clientId,
      redirect_uri: app.redirectUri,
    },
    appTokensGuard,
  );
  return { ...tokens, claims: readIdToken(tokens.id_token) };
};

/**
 * README steps 2 to 5: a SignIn interaction, the authorization URI with the SDK's redirect URL,
 * the SDK's code for that App ID and URL, and verify with { code, state, clientId }.
 */
export const verifyWithSdkCode = async (
  signIn: AppSignIn,
  {
    connectorId,
    simulatorUrl,
    appId,
    redirectUrl,
    account,
  }: {
    connectorId: string;
    simulatorUrl: string;
    appId: string;
    redirectUrl: string;
    account: SimulatorAccount;
  },
): Promise<string> => {
  await startInteraction(signIn, 'SignIn');
  const state = randomState();
  const { verificationId } = await socialAuthorization(signIn, connectorId, {
    state,
    redirectUri: redirectUrl,
  });
  const sdk = await sdkCode(simulatorUrl, { appId, redirectUrl, state, account });
  signIn.http.sequence.push(sdkStep(appId));
  await socialVerify(signIn, connectorId, {
    verificationId,
    connectorData: { code: sdk.code, state: sdk.state, clientId: appId },
  });
  return verificationId;
};

/** A user with a password signs in to the app (POST /api/experience/verification/password). */
export const signInWithPassword = async (
  app: NativeApp,
  { username, password }: { username: string; password: string },
) => {
  const signIn = await startAppSignIn(app);
  await startInteraction(signIn, 'SignIn');
  const { verificationId } = await signIn.http.call(
    'post',
    '/api/experience/verification/password',
    verificationGuard,
    { expect: 200, json: { identifier: { type: 'username', value: username }, password } },
  );
  await identify(signIn, verificationId);
  return { signIn, tokens: await finishAppSignIn(signIn) };
};
