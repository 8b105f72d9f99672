/**
 * The Android app signs users in with Xiaomi's SDK code through Logto's Experience API, driven
 * over HTTP as the app would (experience-sign-in.ts names the routes): a new user from /oidc/auth
 * to the app's tokens, the same person then on the web sign-in page, the app's stored Xiaomi token
 * refreshed with the mobile app, and a code for an App ID the connector does not know.
 */
import type { SimulatorAccount } from '../../simulator/index.js';

import {
  mobileRedirectUrl,
  mobileXiaomiApp,
  sdkCode,
  sdkStep,
  unconfiguredXiaomiApp,
} from '../android-app.js';
import {
  finishAppSignIn,
  identify,
  socialAuthorization,
  socialVerify,
  startAppSignIn,
  startInteraction,
  verifyWithSdkCode,
} from '../experience-sign-in.js';
import { LogtoApiError } from '../management-api.js';
import { readStoredToken, randomState } from '../oidc-app.js';
import { checkTokenAtSimulator, expectCallsForApp, xiaomiCallsSince } from '../simulator-checks.js';
import {
  expectXiaomiIdentity,
  signInThroughBrowser,
  stepNames,
  target,
  type World,
} from '../world.js';
import { refreshOnce, type SignedIn } from './token-storage.js';

const mobileApp = { clientId: mobileXiaomiApp.clientId, redirectUri: mobileRedirectUrl };

const userCount = async ({ api }: World) => (await api.listUsers()).length;

export const androidSignIn = async (world: World, account: SimulatorAccount) =>
  world.report.step(stepNames.androidSignIn, async () => {
    const { api, simulator, connectorId, android } = world;
    // On since the token-storage steps; said again so that the app's Xiaomi tokens are stored.
    await api.updateConnector(connectorId, { enableTokenStorage: true });
    const usersBefore = await userCount(world);
    const callsBefore = simulator.calls().length;
    const signIn = await startAppSignIn(android.app);
    try {
      const verificationId = await verifyWithSdkCode(signIn, {
        connectorId,
        simulatorUrl: simulator.baseUrl,
        appId: mobileXiaomiApp.clientId,
        redirectUrl: mobileRedirectUrl,
        account,
      });
      const identified = await identify(signIn, verificationId);
      const tokens = await finishAppSignIn(signIn);
      if (identified !== 'new user' || tokens.claims.aud !== android.app.clientId) {
        throw new Error(
          `expected a new user's ID token for the Native app ${android.app.clientId}, got ${identified} and aud ${tokens.claims.aud}`,
        );
      }
      const user = await expectXiaomiIdentity(api, tokens.claims.sub, account);
      const usersAfter = await userCount(world);
      if (usersAfter !== usersBefore + 1) {
        throw new Error(`expected one new user, users went from ${usersBefore} to ${usersAfter}`);
      }
      const xiaomi = expectCallsForApp(
        simulator,
        { from: callsBefore },
        {
          ...mobileApp,
          grantType: 'authorization_code',
        },
      );
      return {
        detail: `${signIn.http.sequence.join(', ')}; new user ${user.id} (ID token for the Native app, scope "${tokens.scope}"), identities.xiaomi.userId = ${account.unionId}, name "${user.name ?? ''}"; ${xiaomi}`,
        value: { userId: user.id, accessToken: tokens.access_token },
      };
    } finally {
      await signIn.http.dispose();
    }
  });

export const androidWebSignIn = async (
  world: World,
  account: SimulatorAccount,
  androidUserId: string,
) =>
  world.report.step(stepNames.androidWebSignIn, async () => {
    const { simulator, xiaomiClientId } = world;
    const usersBefore = await userCount(world);
    const callsBefore = simulator.calls().length;
    const signedIn = await signInThroughBrowser(world, 'android-web', account);
    if (signedIn.userId !== androidUserId) {
      throw new Error(
        `the web sign-in gave user ${signedIn.userId}, not ${androidUserId}, whom the Android app signed up`,
      );
    }
    const usersAfter = await userCount(world);
    if (usersAfter !== usersBefore) {
      throw new Error(`users went from ${usersBefore} to ${usersAfter}`);
    }
    const web = simulator
      .calls()
      .slice(callsBefore)
      .find((call) => call.path === '/oauth2/token');
    if (web?.clientId !== xiaomiClientId) {
      throw new Error(
        `the web sign-in's code went to Xiaomi with App ID ${web?.clientId ?? 'none'}, expected the web app's ${xiaomiClientId}`,
      );
    }
    // One stored set per identity, the last sign-in's: submit upserts it (core's
    // routes/experience/classes/experience-interaction.ts, libraries/social.ts).
    const stored = await readStoredToken(world.app.endpoint, signedIn.accessToken, target);
    world.secrets.set(stored.access_token, 'an access token the Account API returned');
    await checkTokenAtSimulator(simulator, xiaomiClientId, stored.access_token, account);
    return {
      detail: `signed in on Logto's sign-in page in Chromium as ${signedIn.userId}, whom the Android app signed up (same unionId ${account.unionId}); still ${usersAfter} users; this time Xiaomi's token endpoint got the web App ID ${xiaomiClientId} and redirect_uri ${web.redirectUri ?? ''}, and the stored Xiaomi token set is now the web app's (its access token accepted for App ID ${xiaomiClientId})`,
      value: true,
    };
  });

/**
 * Token storage with the app's tokens: Logto refreshes with the stored refresh token alone
 * (core's libraries/social.ts), which for a mobile app names its App ID and redirect URL
 * (src/mobile-refresh-token.ts). Refreshed twice, as Xiaomi's refresh tokens are single-use.
 */
export const androidTokenRefresh = async (
  world: World,
  account: SimulatorAccount,
  signedIn: SignedIn,
) =>
  world.report.step(stepNames.androidRefresh, async () => {
    const { api, app, simulator } = world;
    const stored = await api.userIdentity(signedIn.userId, target);
    if (!stored.tokenSecret?.metadata.hasRefreshToken) {
      throw new Error("Logto stored no token set with a refresh token for the app's sign-in");
    }
    const current = await readStoredToken(app.endpoint, signedIn.accessToken, target);
    world.secrets.set(current.access_token, 'an access token the Account API returned');
    await checkTokenAtSimulator(simulator, mobileApp.clientId, current.access_token, account);
    const rounds: string[] = [];
    let expired = current.access_token;
    for (const round of ['first', 'second']) {
      const refreshed = await refreshOnce(world, account, signedIn, expired, mobileApp.clientId);
      // The calls of the read itself, not the check of the new token after it.
      expectCallsForApp(
        simulator,
        { from: refreshed.callsFrom, to: refreshed.callsTo },
        { ...mobileApp, grantType: 'refresh_token' },
      );
      rounds.push(`${round}: Xiaomi saw ${refreshed.calls}`);
      expired = refreshed.accessToken;
    }
    return {
      detail: `the Native app's access token reads the stored set (GET /api/my-account/identities/xiaomi/access-token), a Xiaomi token for App ID ${mobileApp.clientId}; expired with SQL and read again, twice (${rounds.join('; ')}): each time Xiaomi's token endpoint got App ID ${mobileApp.clientId} and redirect_uri ${mobileApp.redirectUri} (refresh_token), and nothing for another app; each new access token accepted by Xiaomi for App ID ${mobileApp.clientId}`,
      value: true,
    };
  });

/** Logto's answer to a connector's invalid_request_parameters (middleware/koa-connector-error-handler.ts). */
const unknownAppRefusal = { status: 400, code: 'connector.invalid_request_parameters' };

export const androidUnknownApp = async (world: World, account: SimulatorAccount) =>
  world.report.step(stepNames.androidUnknownApp, async () => {
    const { simulator, connectorId, android } = world;
    const usersBefore = await userCount(world);
    const signIn = await startAppSignIn(android.app);
    try {
      await startInteraction(signIn, 'SignIn');
      const state = randomState();
      const [redirectUrl = ''] = unconfiguredXiaomiApp.redirectUris;
      const { verificationId } = await socialAuthorization(signIn, connectorId, {
        state,
        redirectUri: redirectUrl,
      });
      const appId = unconfiguredXiaomiApp.clientId;
      const sdk = await sdkCode(simulator.baseUrl, { appId, redirectUrl, state, account });
      signIn.http.sequence.push(sdkStep(appId));
      const callsBefore = simulator.calls().length;
      const refusal = await socialVerify(signIn, connectorId, {
        verificationId,
        connectorData: { code: sdk.code, state: sdk.state, clientId: appId },
      }).then(
        () => undefined,
        (error: unknown) => {
          if (error instanceof LogtoApiError) {
            return error;
          }
          throw error;
        },
      );
      if (refusal?.status !== unknownAppRefusal.status || refusal.code !== unknownAppRefusal.code) {
        throw new Error(
          `verify with App ID ${appId} answered ${refusal ? refusal.message : '200 (accepted)'}, expected ${unknownAppRefusal.status} ${unknownAppRefusal.code}`,
        );
      }
      const calls = xiaomiCallsSince(simulator, callsBefore);
      if (calls) {
        throw new Error(`the connector called Xiaomi for an App ID it does not know: ${calls}`);
      }
      const usersAfter = await userCount(world);
      if (usersAfter !== usersBefore) {
        throw new Error(`users went from ${usersBefore} to ${usersAfter}`);
      }
      return {
        detail: `${signIn.http.sequence.join(', ')}: Logto's message "${refusal.logtoMessage}", the connector's errorDescription "${String(refusal.data?.errorDescription ?? '')}"; Xiaomi was not called; still ${usersAfter} users`,
        value: true,
      };
    } finally {
      await signIn.http.dispose();
    }
  });
