/**
 * Token storage: Logto keeps Xiaomi's token set after a sign-in (getTokenResponseAndUserInfo) and
 * refreshes it through the connector (getAccessTokenByRefreshToken) once it has expired, when the
 * user reads it through the Account API (routes/account/third-party-tokens.ts in logto-io/logto).
 */
import type { SimulatorAccount } from '../../simulator/index.js';

import { readStoredToken } from '../oidc-app.js';
import { checkTokenAtSimulator, xiaomiCallsSince } from '../simulator-checks.js';
import { signInThroughBrowser, stepNames, target, type World } from '../world.js';

export const tokenStorageSignIn = async (world: World, account: SimulatorAccount) =>
  world.report.step(stepNames.tokenStorage, async () => {
    const { api, connectorId, app, simulator } = world;
    await api.updateConnector(connectorId, { enableTokenStorage: true });
    const signedIn = await signInThroughBrowser(world, 'tokens', account);
    const identity = await api.userIdentity(signedIn.userId, target);
    const metadata = identity.tokenSecret?.metadata;
    if (!metadata?.hasRefreshToken || !metadata.expiresAt) {
      throw new Error(
        `no token set with a refresh token stored for the user: ${JSON.stringify(identity.tokenSecret ?? null)}`,
      );
    }
    const stored = await readStoredToken(app.endpoint, signedIn.accessToken, target);
    world.secrets.add(stored.access_token);
    await checkTokenAtSimulator(simulator, world.xiaomiClientId, stored.access_token, account);
    return {
      detail: `stored token set: expires in ${Math.round((metadata.expiresAt - Date.now() / 1000) / 86_400)} days, scope "${metadata.scope ?? ''}", refresh token kept; the Account API returns an access token Xiaomi accepts`,
      value: { ...signedIn, accessTokenAtXiaomi: stored.access_token },
    };
  });

export const tokenRefresh = async (
  world: World,
  account: SimulatorAccount,
  signedIn: { userId: string; accessToken: string; accessTokenAtXiaomi: string },
) =>
  world.report.step(stepNames.tokenRefresh, async () => {
    const { api, app, simulator, database } = world;
    // Time passes: the stored set's expiry (seconds) is moved into the past; nothing else changes.
    await database.psql(`
      update secrets set metadata = jsonb_set(metadata, '{expiresAt}',
        to_jsonb(extract(epoch from now())::bigint - 60))
      where user_id = '${signedIn.userId}' and type = 'federated_token_set'`);
    const callsBefore = simulator.calls().length;
    const refreshed = await readStoredToken(app.endpoint, signedIn.accessToken, target);
    world.secrets.add(refreshed.access_token);
    const calls = xiaomiCallsSince(simulator, callsBefore);
    if (refreshed.access_token === signedIn.accessTokenAtXiaomi) {
      throw new Error(
        'the Account API returned the expired access token instead of a refreshed one',
      );
    }
    if (!calls.includes('POST /oauth2/token')) {
      throw new Error(
        `no refresh call reached Xiaomi's token endpoint (calls: ${calls || 'none'})`,
      );
    }
    await checkTokenAtSimulator(simulator, world.xiaomiClientId, refreshed.access_token, account);
    const identity = await api.userIdentity(signedIn.userId, target);
    const expiresAt = identity.tokenSecret?.metadata.expiresAt ?? 0;
    if (expiresAt <= Date.now() / 1000) {
      throw new Error('the stored token set still counts as expired after the refresh');
    }
    const again = await readStoredToken(app.endpoint, signedIn.accessToken, target);
    if (again.access_token !== refreshed.access_token) {
      throw new Error('a second read refreshed again although the new token had not expired');
    }
    return {
      detail: `expired set refreshed: Xiaomi saw ${calls}; new access token accepted by Xiaomi, stored with a new expiry; the next read reuses it`,
      value: true,
    };
  });
