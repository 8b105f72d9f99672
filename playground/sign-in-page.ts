/**
 * What Logto's sign-in page (the Experience app, v1.37.1) does around a social sign-in, replayed
 * on the server: the playground has no browser script, so it keeps per browser session what the
 * page keeps per tab in sessionStorage.
 * - packages/experience/src/containers/SocialSignInList/use-social.ts: `generateState()`,
 *   `storeState(state, connectorId)`, redirect URI `${origin}/callback/${connectorId}`.
 * - packages/experience/src/utils/social-connectors.ts: `validateState` (missing state: invalid;
 *   else the stored one is read, removed, compared).
 * - packages/experience/src/utils/index.ts: `parseQueryParameters` (each value, already decoded by
 *   URLSearchParams, goes through decodeURIComponent once more; a repeated key keeps the last).
 * - packages/experience/src/pages/SocialSignInWebCallback/use-social-sign-in-listener.ts:
 *   `const { state, ...rest } = parseQueryParameters(searchParameters)`, then
 *   `connectorData: { redirectUri: `${origin}/callback/${connectorId}`, ...rest }`.
 */
import { randomBytes } from 'node:crypto';

/** The page's toast when the state check fails (phrases-experience `error.invalid_connector_auth`). */
export const invalidConnectorAuth = {
  code: 'invalid_connector_auth',
  message: 'The authorization is invalid',
} as const;

/** `generateRandomString()`: 8 random bytes, URL-safe base64 without padding. */
export const generateState = (): string => randomBytes(8).toString('base64url');

export const callbackUri = (origin: string, connectorId: string): string =>
  `${origin}/callback/${connectorId}`;

/** The page's sessionStorage entries `social_auth_state:<connectorId>`, per browser session here. */
export type StateStorage = Map<string, string>;

export const storeState = (storage: StateStorage, state: string, connectorId: string): void => {
  storage.set(connectorId, state);
};

/** Missing state: invalid, and the stored one stays. Else it is removed, then compared. */
export const validateState = (
  storage: StateStorage,
  state: string | undefined,
  connectorId: string,
): boolean => {
  if (!state) {
    return false;
  }
  const stored = storage.get(connectorId);
  storage.delete(connectorId);
  return stored === state;
};

/** Throws URIError when a value does not decode, as the page does (it then shows nothing). */
export const parseQueryParameters = (parameters: URLSearchParams): Record<string, string> =>
  Object.fromEntries(
    [...parameters.entries()].map(([key, value]) => [key, decodeURIComponent(value)]),
  );

export type CallbackReplay =
  | { ok: true; connectorData: Record<string, string>; stateCheck: string }
  | { ok: false; code: string; message: string; stateCheck: string };

/**
 * The callback as the sign-in page hands it to Logto (state checked, then stripped), or as an
 * API client that passes the query through (state kept: the connector checks it on the server).
 */
export const replayCallback = (
  query: URLSearchParams,
  {
    origin,
    connectorId,
    storage,
    apiClient,
  }: {
    origin: string;
    connectorId: string;
    storage: StateStorage;
    apiClient: boolean;
  },
): CallbackReplay => {
  const redirectUri = callbackUri(origin, connectorId);
  if (apiClient) {
    return {
      ok: true,
      connectorData: { redirectUri, ...Object.fromEntries(query) },
      stateCheck:
        'API client: the query is passed through, state included, for the connector to check.',
    };
  }
  let parsed: Record<string, string>;
  try {
    parsed = parseQueryParameters(query);
  } catch (error: unknown) {
    return {
      ok: false,
      code: error instanceof Error ? error.name : 'Error',
      message:
        'Logto’s sign-in page cannot read this callback: a query value does not survive its second decodeURIComponent.',
      stateCheck: 'not reached',
    };
  }
  const { state, ...rest } = parsed;
  if (!validateState(storage, state, connectorId)) {
    return {
      ok: false,
      code: invalidConnectorAuth.code,
      message: invalidConnectorAuth.message,
      stateCheck: state
        ? 'Checked by the sign-in page: it differs from the state this browser session started with (or none was started).'
        : 'Checked by the sign-in page: the callback carries no state.',
    };
  }
  return {
    ok: true,
    connectorData: { redirectUri, ...rest },
    stateCheck:
      'Checked by the sign-in page: it matched, was removed from storage and stripped from the object.',
  };
};
