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
    world.secrets.set(stored.access_token, 'an access token the Account API returned');
    await checkTokenAtSimulator(simulator, world.xiaomiClientId, stored.access_token, account);
    return {
      detail: `stored token set: expires in ${Math.round((metadata.expiresAt - Date.now() / 1000) / 86_400)} days, scope "${metadata.scope ?? ''}", refresh token kept; the Account API returns an access token Xiaomi accepts`,
      value: { ...signedIn, accessTokenAtXiaomi: stored.access_token },
    };
  });

/** The Logto user and the app's access token for them (opaque, with openid: Account API). */
export type SignedIn = { userId: string; accessToken: string };

/** Time passes: the stored set's expiry (seconds) is moved into the past; nothing else changes. */
const expireStoredSet = async ({ database }: World, userId: string) =>
  database.psql(`
    update secrets set metadata = jsonb_set(metadata, '{expiresAt}',
      to_jsonb(extract(epoch from now())::bigint - 60))
    where user_id = '${userId}' and type = 'federated_token_set'`);

/**
 * Moves the stored set's expiry into the past, reads it, and checks it was refreshed at Xiaomi and
 * that Xiaomi accepts the new token for the app it was issued to (the web app unless `clientId`).
 */
export const refreshOnce = async (
  world: World,
  account: SimulatorAccount,
  { userId, accessToken: userAccessToken }: SignedIn,
  expiredAccessToken: string,
  clientId = world.xiaomiClientId,
): Promise<{ accessToken: string; calls: string; callsFrom: number; callsTo: number }> => {
  const { app, simulator } = world;
  await expireStoredSet(world, userId);
  const callsBefore = simulator.calls().length;
  const refreshed = await readStoredToken(app.endpoint, userAccessToken, target);
  world.secrets.set(refreshed.access_token, 'an access token the Account API returned');
  const callsTo = simulator.calls().length;
  const calls = xiaomiCallsSince(simulator, callsBefore);
  if (refreshed.access_token === expiredAccessToken) {
    throw new Error('the Account API returned the expired access token instead of a refreshed one');
  }
  if (!calls.includes('POST /oauth2/token')) {
    throw new Error(`no refresh call reached Xiaomi's token endpoint (calls: ${calls || 'none'})`);
  }
  await checkTokenAtSimulator(simulator, clientId, refreshed.access_token, account);
  return { accessToken: refreshed.access_token, calls, callsFrom: callsBefore, callsTo };
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
      value: second.accessToken,
    };
  });

/** How late Xiaomi answers during the pair: long enough that both reads wait on one refresh. */
const slowXiaomiMs = 500;

/**
 * Two reads at once after expiry: core refreshes on each (routes/account/third-party-tokens.ts), so
 * both send the same single-use refresh token; the connector shares one call to Xiaomi between them.
 */
export const parallelTokenReads = async (
  world: World,
  account: SimulatorAccount,
  signedIn: SignedIn,
  expiredAccessToken: string,
) =>
  world.report.step(stepNames.tokenParallel, async () => {
    const { app, simulator, xiaomiClientId } = world;
    await expireStoredSet(world, signedIn.userId);
    const callsBefore = simulator.calls().length;
    simulator.setFaults({ delayMs: slowXiaomiMs }, xiaomiClientId);
    const reads = await Promise.allSettled([
      readStoredToken(app.endpoint, signedIn.accessToken, target),
      readStoredToken(app.endpoint, signedIn.accessToken, target),
    ]).finally(() => {
      simulator.setFaults({}, xiaomiClientId);
    });
    const refused = reads.flatMap((read) =>
      read.status === 'rejected'
        ? [String(read.reason instanceof Error ? read.reason.message : read.reason)]
        : [],
    );
    if (refused.length > 0) {
      throw new Error(`${refused.length} of the 2 reads failed: ${refused.join('; ')}`);
    }
    const tokens = [
      ...new Set(
        reads.flatMap((read) => (read.status === 'fulfilled' ? [read.value.access_token] : [])),
      ),
    ];
    for (const token of tokens) {
      world.secrets.set(token, 'an access token the Account API returned');
    }
    const tokenCalls = simulator
      .calls()
      .slice(callsBefore)
      .filter(({ path }) => path === '/oauth2/token');
    if (tokenCalls.length !== 1 || tokenCalls[0]?.grantType !== 'refresh_token') {
      throw new Error(
        `expected one refresh at Xiaomi's token endpoint for the pair, Xiaomi saw ${xiaomiCallsSince(simulator, callsBefore) || 'nothing'}`,
      );
    }
    const [token] = tokens;
    if (tokens.length !== 1 || !token || token === expiredAccessToken) {
      throw new Error(
        `the two reads got ${tokens.length} different access tokens, expected the one new token`,
      );
    }
    await checkTokenAtSimulator(simulator, xiaomiClientId, token, account);
    // What Logto stored after the pair still refreshes: both reads stored the same new set.
    const after = await refreshOnce(world, account, signedIn, token);
    return {
      detail: `two reads at once after expiry (Xiaomi answering after ${slowXiaomiMs} ms, so both wait on the same refresh): both succeeded with the same new access token, which Xiaomi accepts; Xiaomi's token endpoint was called once for the pair (grant_type refresh_token); the set Logto stored then refreshes again (Xiaomi saw ${after.calls})`,
      value: true,
    };
  });
