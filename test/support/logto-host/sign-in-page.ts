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
 * - utils/index.ts `parseQueryParameters`: every value, already decoded by URLSearchParams, goes
 *   through decodeURIComponent once more (a repeated key keeps the last).
 * - pages/SocialSignInWebCallback/use-social-sign-in-listener.ts: `const { state, ...rest } =
 *   parseQueryParameters(searchParameters)`, then connectorData
 *   `{ redirectUri: `${origin}/callback/${connectorId}`, ...rest }`.
 * The verification id the page also keeps is not modelled.
 */
import { randomBytes } from 'node:crypto';

/** sessionStorage `social_auth_state:<connectorId>`; localStorage's redirect contexts by state. */
export type SignInPageStorage = {
  states: Map<string, string>;
  redirectContexts: Map<string, { flow: 'social'; connectorId: string }>;
};

export const createSignInPageStorage = (): SignInPageStorage => ({
  states: new Map(),
  redirectContexts: new Map(),
});

/** utils/index.ts `generateRandomString()`: 8 random bytes, URL-safe base64 without padding. */
export const generateState = (): string => randomBytes(8).toString('base64url');

export const signInCallbackUri = (origin: string, connectorId: string): string =>
  `${origin}/callback/${connectorId}`;

/** `invokeSocialSignInHandler`: a new state kept, the authorization URL from core. */
export const startSocialSignIn = async (
  storage: SignInPageStorage,
  { origin, connectorId }: { origin: string; connectorId: string },
  getAuthorizationUrl: (payload: { state: string; redirectUri: string }) => Promise<string>,
): Promise<string> => {
  const state = generateState();
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

export type SignInCallback =
  | { ok: true; connectorData: Record<string, string> }
  | { ok: false; refused: StateRefusal | 'undecodable' };

/** The callback page: state checked and stripped, the rest handed to core's verify. */
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
    parsed = parseQueryParameters(query);
  } catch {
    return { ok: false, refused: 'undecodable' };
  }
  const { state, ...rest } = parsed;
  const refused = validateAndRestore(storage, state, connectorId);
  return refused
    ? { ok: false, refused }
    : { ok: true, connectorData: { redirectUri: signInCallbackUri(origin, connectorId), ...rest } };
};
