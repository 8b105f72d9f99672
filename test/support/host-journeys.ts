/**
 * The journeys the host-replay table (test/host-replay.test.ts) runs through the model of
 * Logto's host: Logto's sign-in page, an app's own flow through Logto's APIs, the Account Center.
 * Xiaomi is played by nock, and its redirect echoes the authorization URL's state.
 */
import type { SocialConnector, SocialUserInfo } from '@logto/connector-kit';

import {
  mockProfileData,
  mockTokenSuccess,
  openApiOk,
  openApiScope,
  tokenScope,
  xiaomiTokenBody,
} from '../../src/mock.js';

import {
  accountCenterCallback,
  accountCenterCallbackUri,
  startAccountCenterFlow,
  type AccountCenterRelease,
  type AccountCenterStorage,
} from './logto-host/account-center.js';
import {
  createInteraction,
  createSocialAuthorizationUrl,
  verifyExperienceSocial,
} from './logto-host/interaction.js';
import {
  authorizationUriWithoutSession,
  userInfoWithoutSession,
} from './logto-host/management-api.js';
import {
  createSignInPageStorage,
  signInPageCallback,
  startSocialSignIn,
} from './logto-host/sign-in-page.js';
import { storedTokenSet, type LogtoConnector } from './logto-host/social-library.js';
import { createLogtoTenant, type LogtoTenant } from './logto-host/tenant.js';
import {
  createSocialVerification,
  readVerificationRecord,
  verifySocialVerification,
} from './logto-host/verification-record.js';

export const connectorId = 'xmconn123';
export const logtoOrigin = 'https://auth.example.com';
export const logtoCallback = `${logtoOrigin}/callback/${connectorId}`;
export const accountCenterCallbackUrl = accountCenterCallbackUri(logtoOrigin, connectorId);
/** Where an app's own callback lives when it links an identity through Logto's APIs. */
export const appCallback = 'https://app.example.com/link/xiaomi/callback';
export const xiaomiCode = 'fake-code-from-xiaomi';
export const userAgent = 'Mozilla/5.0 (replayed)';

export const logtoConnector = (
  connector: SocialConnector,
  enableTokenStorage = false,
): LogtoConnector => ({
  id: connectorId,
  connector,
  enableTokenStorage,
});

/** Xiaomi's answer to the browser: back to redirect_uri with the code (or error) and the state. */
export const xiaomiRedirect = (authorizationUri: string, outcome: Record<string, string>) => {
  const sent = new URL(authorizationUri).searchParams;
  const back = new URL(sent.get('redirect_uri') ?? '');
  for (const [key, value] of Object.entries({ ...outcome, state: sent.get('state') ?? '' })) {
    back.searchParams.set(key, value);
  }
  return back.toString();
};
export const approves = { code: xiaomiCode };
export const refuses = { error: '96012', error_description: 'user denied the authorization' };

/** Xiaomi's token and profile endpoints; returns what the token call was sent. */
export const xiaomiAnswers = (tokens: object = mockTokenSuccess) => {
  const sent: { form?: Record<string, unknown> } = {};
  tokenScope()
    .post('/oauth2/token', (body: Record<string, unknown>) => {
      sent.form = body;
      return true;
    })
    .reply(200, xiaomiTokenBody(tokens));
  openApiScope().get('/user/profile').query(true).reply(200, openApiOk(mockProfileData));
  return sent;
};

/** Logto's sign-in page and the Experience API, with the interaction's connector session. */
export const signInThroughLogtoPage = async (
  connector: SocialConnector,
  outcome: Record<string, string>,
  enableTokenStorage = false,
) => {
  const logto = logtoConnector(connector, enableTokenStorage);
  const storage = createSignInPageStorage();
  const interaction = createInteraction();
  const authorizationUri = await startSocialSignIn(
    storage,
    { origin: logtoOrigin, connectorId },
    async (payload) => createSocialAuthorizationUrl(logto, interaction, payload, userAgent),
  );
  const callback = new URL(xiaomiRedirect(authorizationUri, outcome));
  const page = signInPageCallback(callback.searchParams, {
    origin: logtoOrigin,
    connectorId,
    storage,
  });
  if (!page.ok) {
    throw new Error(page.refused);
  }
  const verify = async () => verifyExperienceSocial(logto, interaction, page.connectorData);
  return { connectorData: page.connectorData, verify, ...(await verify()) };
};

/** How an app's own flow gets its authorization URL from Logto, and verifies the callback. */
export type AppFlow = (logto: LogtoConnector) => {
  authorize: (payload: { state: string; redirectUri: string }) => Promise<string>;
  verify: (connectorData: Record<string, unknown>) => Promise<SocialUserInfo | undefined>;
};

/** Management API or /me: no session at all. */
export const withoutSession: AppFlow = (logto) => ({
  authorize: async (payload) => authorizationUriWithoutSession(logto, payload, userAgent),
  verify: async (connectorData) => userInfoWithoutSession(logto, connectorData),
});

/** Account API: the session kept in the verification record. */
export const throughVerificationRecord: AppFlow = (logto) => {
  const tenant = createLogtoTenant(logto);
  let verificationRecordId = '';
  return {
    authorize: async (payload) => {
      const created = await createSocialVerification(
        tenant,
        { connectorId, ...payload },
        userAgent,
      );
      verificationRecordId = created.verificationRecordId;
      return created.authorizationUri;
    },
    verify: async (connectorData) => {
      await verifySocialVerification(tenant, { verificationRecordId, connectorData });
      return readVerificationRecord(tenant, verificationRecordId).socialUserInfo;
    },
  };
};

/** Experience API called directly: the session kept in the OIDC interaction. */
export const throughInteraction: AppFlow = (logto) => {
  const interaction = createInteraction();
  return {
    authorize: async (payload) =>
      createSocialAuthorizationUrl(logto, interaction, payload, userAgent),
    verify: async (connectorData) =>
      (await verifyExperienceSocial(logto, interaction, connectorData)).userInfo,
  };
};

/** An app's own flow: authorization URL from a Logto API, callback data as the app passes it. */
export const linkThroughApi = async (
  connector: SocialConnector,
  flow: AppFlow,
  callbackData: (callbackUrl: URL) => Record<string, unknown>,
) => {
  const { authorize, verify } = flow(logtoConnector(connector));
  const authorizationUri = await authorize({ state: 'appstate-1', redirectUri: appCallback });
  const callback = new URL(xiaomiRedirect(authorizationUri, approves));
  return verify(callbackData(callback));
};

export const queryOf = (url: URL) => Object.fromEntries(url.searchParams.entries());

/** The user's identities before the Account Center replaces Xiaomi: another Xiaomi account. */
export const linkedBefore = (tenant: LogtoTenant) => {
  tenant.identities = {
    xiaomi: { userId: 'fake-union-id-old', details: { id: 'fake-union-id-old' } },
  };
  const oldSet = storedTokenSet({
    access_token: 'fake-old-access-token',
    refresh_token: 'fake-old-refresh-token',
  });
  if (oldSet) {
    tenant.tokenSets.set('xiaomi', oldSet);
  }
};

/** A signed-in user in Logto's Account Center: SocialFlow, Xiaomi, then SocialCallback. */
export const throughAccountCenter = async (
  connector: SocialConnector,
  {
    enableTokenStorage = false,
    mode = 'add',
    state,
    release,
    before,
    tamperCallback,
  }: {
    enableTokenStorage?: boolean;
    mode?: 'add' | 'change';
    state?: string;
    release?: AccountCenterRelease;
    before?: (tenant: LogtoTenant) => void;
    tamperCallback?: (url: URL) => void;
  } = {},
) => {
  const tenant = createLogtoTenant(logtoConnector(connector, enableTokenStorage));
  before?.(tenant);
  const storage: AccountCenterStorage = new Map();
  const authorizationUri = await startAccountCenterFlow(tenant, storage, {
    origin: logtoOrigin,
    connectorId,
    mode,
    userAgent,
    state,
  });
  const callback = new URL(xiaomiRedirect(authorizationUri, approves));
  tamperCallback?.(callback);
  const page = await accountCenterCallback(tenant, storage, callback.href, {
    connectorId,
    release,
  });
  return { tenant, page, linked: tenant.identities.xiaomi?.details };
};
