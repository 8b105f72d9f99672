/**
 * Logto's Account Center linking or replacing a social identity (packages/account, v1.41.0; from
 * v1.38.0), with its sessionStorage as a map:
 * - pages/SocialFlow/index.tsx: `generateState()` (`crypto.randomUUID()` without dashes),
 *   `POST /api/verifications/social` (apis/social.ts) with the Account Center's own redirect URI,
 *   then the pending flow (record id, state, mode) kept per connector id
 *   (utils/session-storage.ts `accountStorage.socialFlow`).
 * - constants/routes.ts and utils/account-center-internal-route.ts: that URI is
 *   `${origin}/account/callback/social/${connectorId}`.
 * - pages/SocialCallback/index.tsx: a flow that is not pending, or a stored state other than
 *   `searchParameters.get('state') ?? undefined`, is refused before Logto is called; otherwise
 *   `POST /api/verifications/social/verify` with connectorData
 *   `{ ...Object.fromEntries(searchParameters.entries()), redirectUri }` (state included, no
 *   second decode, redirectUri last; v1.38.0 and v1.39.0 post the query alone), then
 *   `POST /api/my-account/identities` to link or, for a replace (v1.40+), the PUT.
 * 1.43.0 (#9464, branch wangsijie-unify-social-callback-uri): the state is prefixed `ac_`, and
 * SocialFlow and SocialCallback both use the sign-in page's `${origin}/callback/${connectorId}`,
 * from which core sends the browser on to the page (callback-routes.ts).
 */
import { linkSocialIdentity, replaceSocialIdentity } from './account-api.js';
import { signInCallbackUri } from './sign-in-page.js';
import { accountCenterSocialStatePrefix } from './social-state.js';
import type { LogtoTenant } from './tenant.js';
import { createSocialVerification, verifySocialVerification } from './verification-record.js';

export type AccountCenterFlow =
  | { status: 'pending'; verificationRecordId: string; state: string; mode: 'add' | 'change' }
  | { status: 'verified'; verificationRecordId: string; mode: 'add' | 'change' };

/** sessionStorage `logto:account-center:social-verification:<connectorId>`. */
export type AccountCenterStorage = Map<string, AccountCenterFlow>;

/** The page's releases that differ here: 1.38 and 1.39 post no redirectUri; 1.43, above. */
export type AccountCenterRelease = '1.38' | '1.40' | '1.43';

export const generateAccountCenterState = (release: AccountCenterRelease): string => {
  const prefix = release === '1.43' ? accountCenterSocialStatePrefix : '';
  return `${prefix}${crypto.randomUUID().replaceAll('-', '')}`;
};

/** The Account Center's callback page. */
export const accountCenterCallbackUri = (origin: string, connectorId: string): string =>
  `${origin}/account/callback/social/${connectorId}`;

/** The redirect URI the page authorizes and verifies with. */
export const accountCenterRedirectUri = (
  origin: string,
  connectorId: string,
  release: AccountCenterRelease,
): string =>
  release === '1.43'
    ? signInCallbackUri(origin, connectorId)
    : accountCenterCallbackUri(origin, connectorId);

/** SocialFlow's `startAddFlow` / `startChangeFlow`: returns where the browser is sent. */
export const startAccountCenterFlow = async (
  tenant: LogtoTenant,
  storage: AccountCenterStorage,
  {
    origin,
    connectorId,
    mode,
    userAgent,
    release = '1.40',
  }: {
    origin: string;
    connectorId: string;
    mode: 'add' | 'change';
    userAgent?: string;
    release?: AccountCenterRelease;
  },
): Promise<string> => {
  const state = generateAccountCenterState(release);
  const { verificationRecordId, authorizationUri } = await createSocialVerification(
    tenant,
    { connectorId, state, redirectUri: accountCenterRedirectUri(origin, connectorId, release) },
    userAgent,
  );
  storage.set(connectorId, { status: 'pending', verificationRecordId, state, mode });
  return authorizationUri;
};

export type AccountCenterCallback =
  | { ok: true; connectorData: Record<string, string> }
  | { ok: false; refused: 'invalid_session' | 'invalid_connector_auth' };

/**
 * SocialCallback's effect on `${origin}/account/callback/social/${connectorId}?…`, where the
 * browser lands. A failure of Logto's calls (the connector's included) clears the flow, as
 * `finalizeSocialFlowFailure` does (a failed link keeps it), and is thrown on.
 */
export const accountCenterCallback = async (
  tenant: LogtoTenant,
  storage: AccountCenterStorage,
  callbackUrl: string,
  { connectorId, release = '1.40' }: { connectorId: string; release?: AccountCenterRelease },
): Promise<AccountCenterCallback> => {
  const { origin, searchParams: searchParameters } = new URL(callbackUrl);
  const flow = storage.get(connectorId);
  if (flow?.status !== 'pending') {
    storage.delete(connectorId);
    return { ok: false, refused: 'invalid_session' };
  }
  if (flow.state !== (searchParameters.get('state') ?? undefined)) {
    storage.delete(connectorId);
    return { ok: false, refused: 'invalid_connector_auth' };
  }
  const redirectUri = accountCenterRedirectUri(origin, connectorId, release);
  const query = Object.fromEntries(searchParameters.entries());
  const connectorData = release === '1.38' ? query : { ...query, redirectUri };
  const { verificationRecordId, mode } = flow;
  try {
    await verifySocialVerification(tenant, { verificationRecordId, connectorData });
  } catch (error: unknown) {
    storage.delete(connectorId);
    throw error;
  }
  storage.set(connectorId, { status: 'verified', verificationRecordId, mode });
  try {
    if (mode === 'change') {
      replaceSocialIdentity(tenant, verificationRecordId);
    } else {
      linkSocialIdentity(tenant, verificationRecordId);
    }
  } catch (error: unknown) {
    if (mode === 'change') {
      storage.delete(connectorId);
    }
    throw error;
  }
  // `finalizeSocialFlowSuccess` (utils/social-flow.ts) clears the flow.
  storage.delete(connectorId);
  return { ok: true, connectorData };
};
