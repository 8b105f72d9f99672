/**
 * A user signed in to the Android app links Xiaomi through the Account API with an SDK code
 * (account-api-link.ts names the routes); the Management API then shows the identity, and Logto
 * keeps the app's Xiaomi token set with it (token storage is on). The user has a password, so
 * Logto asks for the identity to be verified first, and the step shows that it does.
 */
import type { SimulatorAccount } from '../../simulator/index.js';

import { linkFromApp } from '../account-api-link.js';
import { mobileRedirectUrl, mobileXiaomiApp } from '../android-app.js';
import { signInWithPassword } from '../experience-sign-in.js';
import { expectCallsForApp } from '../simulator-checks.js';
import { expectXiaomiIdentity, stepNames, target, type World } from '../world.js';

/** The app's user, created by the admin with a password (obvious fake values). */
const appUser = { username: 'android_app_user', password: 'fake-e2e-Passw0rd-android' };

/** What POST /api/my-account/identities answers without a verified identity (routes/account/identities.ts). */
const verificationAsked = '401 verification_record.permission_denied';

export const androidLink = async (world: World, account: SimulatorAccount) =>
  world.report.step(stepNames.androidLink, async () => {
    const { api, app, simulator, connectorId, android } = world;
    world.secrets.set(appUser.password, "the Android app user's password");
    const user = await api.createUser({ ...appUser, name: 'Android app user' });
    const signedIn = await signInWithPassword(android.app, appUser);
    await signedIn.signIn.http.dispose();
    const { sub } = signedIn.tokens.claims;
    if (sub !== user.id || !signedIn.tokens.scope.split(' ').includes('identities')) {
      throw new Error(
        `the app signed in ${sub} with scope "${signedIn.tokens.scope}", expected ${user.id} with identities`,
      );
    }
    const callsBefore = simulator.calls().length;
    const outcome = await linkFromApp({
      endpoint: app.endpoint,
      accessToken: signedIn.tokens.access_token,
      password: appUser.password,
      connectorId,
      simulatorUrl: simulator.baseUrl,
      appId: mobileXiaomiApp.clientId,
      redirectUrl: mobileRedirectUrl,
      account,
    });
    if (outcome.unverified !== verificationAsked) {
      throw new Error(
        `POST /api/my-account/identities without a verified identity: ${outcome.unverified}, expected ${verificationAsked}`,
      );
    }
    await expectXiaomiIdentity(api, user.id, account);
    const xiaomi = expectCallsForApp(
      simulator,
      { from: callsBefore },
      {
        clientId: mobileXiaomiApp.clientId,
        redirectUri: mobileRedirectUrl,
        grantType: 'authorization_code',
      },
    );
    const stored = (await api.userIdentity(user.id, target)).tokenSecret?.metadata;
    if (!stored?.hasRefreshToken) {
      throw new Error('Logto kept no token set with a refresh token for the linked identity');
    }
    return {
      detail: `${user.username ?? ''} (${user.id}, created with a password) signed in to the app with it (Experience API: ${signedIn.signIn.http.sequence.length} calls, scope "${signedIn.tokens.scope}"); then, with the app's access token as bearer: ${outcome.sequence.join(', ')}; identities.xiaomi.userId = ${account.unionId} (Management API), the app's Xiaomi token set stored with it; ${xiaomi}`,
      value: true,
    };
  });
