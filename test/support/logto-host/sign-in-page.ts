/**
 * Logto's sign-in page (packages/experience, v1.41.0) around a social sign-in, with what it keeps in
 * the browser as plain maps:
 * - containers/SocialSignInList/use-social.ts: `generateState()` and `storeState(state,
 *   connectorId)`, the authorization URL asked for with `${origin}/callback/${connectorId}`, then
 *   `storeRedirectContext` (utils/social-redirect-fallback-context.ts, v1.39+).
 * - utils/social-connectors.ts `validateState`: the stored state is read and removed, then
 *   compared ('missing' or 'mismatch'); hooks/use-redirect-callback-validation.ts: no state is
 *   refused, 'missing' falls back to the redirect context of that state (read once), 'mismatch'
 *   is refused. v1.37.1 has no fallback: a missing stored state is refused.
 * - pages/Callback/use-social-callback-handler.ts: `/callback/:connectorId` hands its query to
 *   `/callback/social/:connectorId` through hooks/use-navigate-with-preserved-search-params.ts
 *   (v1.34+), which sets the `app_id` the page keeps in sessionStorage (shared/utils/
 *   search-parameters.ts `handleSearchParametersData`: the `app_id` of the URL core's OIDC
 *   interaction opened the page with, packages/core/src/oidc/init.ts).
 * - utils/index.ts `parseQueryParameters`: every value, already decoded by URLSearchParams, goes
 *   through decodeURIComponent once more (a repeated key keeps the last).
 * - pages/SocialSignInWebCallback/use-social-sign-in-listener.ts: `const { state, ...rest } =
 *   parseQueryParameters(searchParameters)`, then connectorData
 *   `{ redirectUri: `${origin}/callback/${connectorId}`, ...rest }` (`app_id` included).
 * 1.43.0 (#9464, branch wangsijie-unify-social-callback-uri) prefixes the state with `se_`; the
 * rest is unchanged. The verification id the page also keeps is not modelled.
 */
import { randomBytes } from 'node:crypto';

import { experienceSocialStatePrefix } from './social-state.js';

/** '1.41': as v1.41.0 (1.39 to 1.42); '1.43': the state prefixed `se_`. */
export type SignInPageRelease = '1.41' | '1.43';

/**
 * sessionStorage `social_auth_state:<connectorId>` and `app_id`; localStorage's redirect contexts
 * by state.
 */
export type SignInPageStorage = {
  states: Map<string, string>;
  appId?: string;
  redirectContexts: Map<string, { flow: 'social'; connectorId: string }>;
};

/** `appId`: the page was opened with `?app_id=`, as core's OIDC interaction URL does. */
export const createSignInPageStorage = (appId?: string): SignInPageStorage => ({
  states: new Map(),
  appId,
  redirectContexts: new Map(),
});

/** `generateState()`: utils/index.ts `generateRandomString()`, 8 random bytes in base64url. */
export const generateState = (release: SignInPageRelease = '1.41'): string =>
  `${release === '1.43' ? experienceSocialStatePrefix : ''}${randomBytes(8).toString('base64url')}`;

export const signInCallbackUri = (origin: string, connectorId: string): string =>
  `${origin}/callback/${connectorId}`;

/** `invokeSocialSignInHandler`: a new state kept, the authorization URL from core. */
export const startSocialSignIn = async (
  storage: SignInPageStorage,
  {
    origin,
    connectorId,
    release,
  }: { origin: string; connectorId: string; release?: SignInPageRelease },
  getAuthorizationUrl: (payload: { state: string; redirectUri: string }) => Promise<string>,
): Promise<string> => {
  const state = generateState(release);
  storage.states.set(connectorId, state);
  const authorizationUri = await getAuthorizationUrl({
    state,
    redirectUri: signInCallbackUri(origin, connectorId),
  });
  storage.redirectContexts.set(state, { flow: 'social', connectorId });
  return authorizationUri;
};

/** Why the page refused a callback; each shows the toast `error.invalid_connector_auth`. */
export type StateRefusal = 'no state' | 'mismatch' | 'not started';

/** `validateAndRestore(state)`. */
const validateAndRestore = (
  storage: SignInPageStorage,
  state: string | undefined,
  connectorId: string,
): StateRefusal | undefined => {
  if (!state) {
    return 'no state';
  }
  const stored = storage.states.get(connectorId);
  storage.states.delete(connectorId);
  if (stored === state) {
    storage.redirectContexts.delete(state);
    return undefined;
  }
  if (stored !== undefined) {
    return 'mismatch';
  }
  const fallback = storage.redirectContexts.get(state);
  storage.redirectContexts.delete(state);
  return fallback?.connectorId === connectorId ? undefined : 'not started';
};

/** Throws URIError when a value does not decode: the page then stops and shows nothing. */
export const parseQueryParameters = (parameters: URLSearchParams): Record<string, string> =>
  Object.fromEntries(
    [...parameters.entries()].map(([key, value]) => [key, decodeURIComponent(value)]),
  );

/** The query `/callback/social/:connectorId` gets from `/callback/:connectorId`. */
const socialCallbackQuery = (query: URLSearchParams, appId: string | undefined) => {
  const handedOver = new URLSearchParams(query);
  if (appId) {
    handedOver.set('app_id', appId);
  }
  return handedOver;
};

export type SignInCallback =
  | { ok: true; connectorData: Record<string, string> }
  | { ok: false; refused: StateRefusal | 'undecodable' };

/**
 * The callback pages, given the query of `/callback/:connectorId`: state checked and stripped, the
 * rest handed to core's verify.
 */
export const signInPageCallback = (
  query: URLSearchParams,
  {
    origin,
    connectorId,
    storage,
  }: { origin: string; connectorId: string; storage: SignInPageStorage },
): SignInCallback => {
  let parsed: Record<string, string>;
  try {
    parsed = parseQueryParameters(socialCallbackQuery(query, storage.appId));
  } catch {
    return { ok: false, refused: 'undecodable' };
  }
  const { state, ...rest } = parsed;
  const refused = validateAndRestore(storage, state, connectorId);
  return refused
    ? { ok: false, refused }
    : { ok: true, connectorData: { redirectUri: signInCallbackUri(origin, connectorId), ...rest } };
};
