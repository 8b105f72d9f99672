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

/** The Logto user and the app's access token for them (opaque, with openid: Account API). */
type SignedIn = { userId: string; accessToken: string };

/** Moves the stored set's expiry into the past, reads it, and checks it was refreshed at Xiaomi. */
const refreshOnce = async (
  world: World,
  account: SimulatorAccount,
  { userId, accessToken: userAccessToken }: SignedIn,
  expiredAccessToken: string,
): Promise<{ accessToken: string; calls: string }> => {
  const { app, simulator, database } = world;
  // Time passes: the stored set's expiry (seconds) is moved into the past; nothing else changes.
  await database.psql(`
    update secrets set metadata = jsonb_set(metadata, '{expiresAt}',
      to_jsonb(extract(epoch from now())::bigint - 60))
    where user_id = '${userId}' and type = 'federated_token_set'`);
  const callsBefore = simulator.calls().length;
  const refreshed = await readStoredToken(app.endpoint, userAccessToken, target);
  world.secrets.add(refreshed.access_token);
  const calls = xiaomiCallsSince(simulator, callsBefore);
  if (refreshed.access_token === expiredAccessToken) {
    throw new Error('the Account API returned the expired access token instead of a refreshed one');
  }
  if (!calls.includes('POST /oauth2/token')) {
    throw new Error(`no refresh call reached Xiaomi's token endpoint (calls: ${calls || 'none'})`);
  }
  await checkTokenAtSimulator(simulator, world.xiaomiClientId, refreshed.access_token, account);
  return { accessToken: refreshed.access_token, calls };
};

export const tokenRefresh = async (
  world: World,
  account: SimulatorAccount,
  signedIn: SignedIn & { accessTokenAtXiaomi: string },
) =>
  world.report.step(stepNames.tokenRefresh, async () => {
    const { api, app } = world;
    const first = await refreshOnce(world, account, signedIn, signedIn.accessTokenAtXiaomi);
    // Xiaomi's refresh tokens work once: a second refresh only works if Logto kept the new one.
    const second = await refreshOnce(world, account, signedIn, first.accessToken);
    const again = await readStoredToken(app.endpoint, signedIn.accessToken, target);
    if (again.access_token !== second.accessToken) {
      throw new Error('a read refreshed again although the stored token had not expired');
    }
    const identity = await api.userIdentity(signedIn.userId, target);
    const expiresAt = identity.tokenSecret?.metadata.expiresAt ?? 0;
    return {
      detail: `expired set refreshed twice in a row (Xiaomi's refresh tokens are single-use), Xiaomi saw ${first.calls} each time; each new access token accepted by Xiaomi; stored again with ${Math.round((expiresAt - Date.now() / 1000) / 86_400)} days to live; a read before expiry reuses it`,
      value: true,
    };
  });
