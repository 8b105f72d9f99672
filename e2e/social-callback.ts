/**
 * How Xiaomi's answer comes back to Logto, as this build does it, checked from what Xiaomi was
 * given and the page loads the browser made. Logto 1.38–1.42: the Account Center authorizes with
 * its own /account/callback/social/:id. PR #9464 (released in 1.43.0; logto-io/logto branch
 * wangsijie-unify-social-callback-uri): it authorizes with /callback/:id and a state prefixed
 * `ac_` (packages/account/src/pages/SocialFlow/index.tsx); core answers that callback with a 303
 * to /account/callback/social/:id, same query (packages/core/src/routes/callback.ts); the sign-in
 * page's state is prefixed `se_` (packages/experience/src/utils/social-connectors.ts).
 */
import type { Navigation } from './browser.js';
import type { SocialCallback } from './logto-build.js';
import type { World } from './world.js';

/** packages/schemas/src/consts/social-state.ts (#9464). */
export const statePrefixes = { accountCenter: 'ac_', signIn: 'se_' } as const;

const xiaomiAuthorize = (url: URL) =>
  url.hostname === 'account.xiaomi.com' && url.pathname === '/oauth2/authorize';

/** The state the browser carried to Xiaomi's authorize page last; only ever compared, never shown. */
const stateSentToXiaomi = (navigations: Navigation[]): string | undefined =>
  navigations.findLast(({ url }) => xiaomiAuthorize(url))?.url.searchParams.get('state') ??
  undefined;

/** How a state looks in a report: its prefix only. */
const shownState = (state: string | undefined): string =>
  state === undefined
    ? 'no state'
    : Object.values(statePrefixes).find((prefix) => state.startsWith(prefix))
      ? `state ${state.slice(0, 3)}…`
      : 'a state with no prefix';

/** The sign-in page's state at Xiaomi: prefixed `se_` from #9464, any state before. */
export const expectSignInState = (navigations: Navigation[], callback: SocialCallback): string => {
  const state = stateSentToXiaomi(navigations);
  if (!state || (callback.shared && !state.startsWith(statePrefixes.signIn))) {
    throw new Error(
      `Xiaomi's authorize page got ${shownState(state)} from the sign-in page, expected state ${statePrefixes.signIn}… (PR #9464)`,
    );
  }
  return `the sign-in page sent Xiaomi ${shownState(state)}`;
};

const accountCenterPage = ({ app, connectorId }: World) =>
  `${app.endpoint}/account/callback/social/${connectorId}`;

/** The redirect URI the Account Center gives Xiaomi (and posts to verify) on this build. */
export const accountCenterRedirectUri = (world: World): string =>
  world.accountCenter.socialCallback.shared
    ? `${world.app.endpoint}/callback/${world.connectorId}`
    : accountCenterPage(world);

/** Whether the posted state is the shape this build gives (`ac_…` from #9464). */
export const isAccountCenterState = (world: World, state: unknown): state is string =>
  typeof state === 'string' &&
  (!world.accountCenter.socialCallback.shared || state.startsWith(statePrefixes.accountCenter));

const sameQuery = (a: URLSearchParams, b: URLSearchParams) =>
  JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

/** The browser's way back from Xiaomi (its last visit) to the Account Center's callback page. */
const describeWayBack = (world: World, navigations: Navigation[]): string => {
  const page = new URL(accountCenterPage(world)).pathname;
  const shared = `/callback/${world.connectorId}`;
  const back = navigations.slice(navigations.findLastIndex(({ url }) => xiaomiAuthorize(url)));
  const hop = back.find(({ url }) => url.pathname === shared);
  const landed = back.find(({ url }) => url.pathname === page);
  if (!landed) {
    throw new Error(`the browser never loaded ${page} after Xiaomi`);
  }
  if (!world.accountCenter.socialCallback.shared) {
    if (hop) {
      throw new Error(`the browser went through ${shared}, which this build does not use`);
    }
    return `the browser came back straight to ${page}`;
  }
  if (!hop) {
    throw new Error(`the browser never loaded ${shared} after Xiaomi`);
  }
  const location = hop.location === undefined ? undefined : new URL(hop.location, hop.url);
  const kept = location !== undefined && sameQuery(location.searchParams, hop.url.searchParams);
  if (
    hop.status !== 303 ||
    location?.pathname !== page ||
    !kept ||
    !sameQuery(landed.url.searchParams, hop.url.searchParams)
  ) {
    throw new Error(
      `GET ${shared} answered ${hop.status} to ${location?.pathname ?? 'nowhere'} (query ${kept ? 'kept' : 'changed'}), expected a 303 to ${page} with the same query`,
    );
  }
  return `the browser came back to GET ${shared} → 303 → ${page} (same query: ${[...hop.url.searchParams.keys()].join(', ')})`;
};

/**
 * Xiaomi's authorize and token endpoints got this build's redirect URI, the browser carried this
 * build's state, and came back the way this build routes it. Returns the step's detail.
 */
export const expectAccountCenterCallback = (
  world: World,
  { callsFrom, navigations }: { callsFrom: number; navigations: Navigation[] },
): string => {
  const expected = accountCenterRedirectUri(world);
  const calls = world.simulator.calls().slice(callsFrom);
  const of = (path: string, grantType?: string) =>
    calls.find((call) => call.path === path && (!grantType || call.grantType === grantType))
      ?.redirectUri;
  const authorize = of('/oauth2/authorize');
  const token = of('/oauth2/token', 'authorization_code');
  if (token !== expected || authorize !== expected) {
    throw new Error(
      `Xiaomi got redirect_uri ${authorize ?? 'none'} (authorize) and ${token ?? 'none'} (token), expected ${expected}`,
    );
  }
  const state = stateSentToXiaomi(navigations);
  if (!isAccountCenterState(world, state)) {
    throw new Error(
      `Xiaomi's authorize page got ${shownState(state)} from the Account Center, expected state ${statePrefixes.accountCenter}… (PR #9464)`,
    );
  }
  return `Xiaomi's authorize and token endpoints got redirect_uri ${expected} and ${shownState(state)}; ${describeWayBack(world, navigations)}`;
};
