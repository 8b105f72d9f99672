/**
 * The journeys the host-replay tables (test/host-replay*.test.ts) run through the model of
 * Logto's host: Logto's sign-in page, an app's own flow through Logto's APIs, the Account Center.
 * Xiaomi is played by nock, and its redirect echoes the authorization URL's state; the browser
 * comes back through core's callback routes to the page that serves the URL.
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
import { browserLanding, type CallbackRoutesRelease } from './logto-host/callback-routes.js';
import {
  createInteraction,
  createSocialAuthorizationUrl,
  verifyExperienceSocial,
  type Interaction,
} from './logto-host/interaction.js';
import {
  authorizationUriWithoutSession,
  userInfoWithoutSession,
} from './logto-host/management-api.js';
import {
  createSignInPageStorage,
  signInPageCallback,
  startSocialSignIn,
  type SignInPageRelease,
  type SignInPageStorage,
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

/** Xiaomi's token and profile endpoints; returns the token call's form and every request made. */
export const xiaomiAnswers = (tokens: object = mockTokenSuccess) => {
  const sent: { form?: Record<string, unknown>; requests: string[] } = { requests: [] };
  const record = (request: { path: string }, _interceptor: unknown, body: string) => {
    sent.requests.push(`${request.path} ${body}`);
  };
  tokenScope()
    .post('/oauth2/token', (body: Record<string, unknown>) => {
      sent.form = body;
      return true;
    })
    .reply(200, xiaomiTokenBody(tokens))
    .on('request', record);
  openApiScope()
    .get('/user/profile')
    .query(true)
    .reply(200, openApiOk(mockProfileData))
    .on('request', record);
  return sent;
};

/** One Logto build as the model plays it: the release each of its parts follows. */
export type LogtoBuild = {
  core: CallbackRoutesRelease;
  signInPage: SignInPageRelease;
  accountCenter: AccountCenterRelease;
};
export const logto141: LogtoBuild = { core: '1.38', signInPage: '1.41', accountCenter: '1.40' };
/** 1.38's and 1.39's Account Center; the rest as 1.41's in the model. */
export const logto138: LogtoBuild = { ...logto141, accountCenter: '1.38' };
export const logto143: LogtoBuild = { core: '1.43', signInPage: '1.43', accountCenter: '1.43' };

/** A browser on Logto's origin, what each of Logto's pages keeps in it, and the tenant behind. */
export type LogtoBrowser = {
  build: LogtoBuild;
  tenant: LogtoTenant;
  /** Core's OIDC interaction of the sign-in (found by its cookie). */
  interaction: Interaction;
  signInPage: SignInPageStorage;
  accountCenter: AccountCenterStorage;
};

export type BrowserOptions = {
  enableTokenStorage?: boolean;
  build?: LogtoBuild;
  /** The `app_id` the sign-in page was opened with (an OIDC sign-in from that app). */
  appId?: string;
};

export const logtoBrowser = (
  connector: SocialConnector,
  { enableTokenStorage = false, build = logto141, appId }: BrowserOptions = {},
): LogtoBrowser => ({
  build,
  tenant: createLogtoTenant(logtoConnector(connector, enableTokenStorage)),
  interaction: createInteraction(),
  signInPage: createSignInPageStorage(appId),
  accountCenter: new Map(),
});

/** The sign-in page's "Sign in with Xiaomi": returns where the browser is sent. */
export const startSignIn = async ({ build, tenant, interaction, signInPage }: LogtoBrowser) =>
  startSocialSignIn(
    signInPage,
    { origin: logtoOrigin, connectorId, release: build.signInPage },
    async (payload) =>
      createSocialAuthorizationUrl(tenant.connector, interaction, payload, userAgent),
  );

/**
 * Xiaomi's redirect: core's callback routes, then the page the browser lands on. The sign-in
 * page checks and strips (its verify is the caller's); the Account Center verifies and links.
 */
export const backFromXiaomi = async (browser: LogtoBrowser, callbackUrl: string) => {
  const { build, tenant } = browser;
  const landing = browserLanding({ method: 'GET', url: callbackUrl }, build.core);
  const page =
    landing.page === 'sign-in page'
      ? signInPageCallback(new URL(landing.url).searchParams, {
          origin: logtoOrigin,
          connectorId,
          storage: browser.signInPage,
        })
      : await accountCenterCallback(tenant, browser.accountCenter, landing.url, {
          connectorId,
          release: build.accountCenter,
        });
  return { landing, page };
};

/** Logto's sign-in page and the Experience API, with the interaction's connector session. */
export const signInThroughLogtoPage = async (
  connector: SocialConnector,
  outcome: Record<string, string>,
  options: BrowserOptions = {},
) => {
  const browser = logtoBrowser(connector, options);
  const authorizationUri = await startSignIn(browser);
  const { landing, page } = await backFromXiaomi(
    browser,
    xiaomiRedirect(authorizationUri, outcome),
  );
  if (landing.page !== 'sign-in page' || !page.ok) {
    throw new Error(`The ${landing.page} ${page.ok ? 'took' : `refused (${page.refused})`} it.`);
  }
  const verify = async () =>
    verifyExperienceSocial(browser.tenant.connector, browser.interaction, page.connectorData);
  return {
    authorizationUri,
    landing,
    connectorData: page.connectorData,
    verify,
    ...(await verify()),
  };
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
    mode = 'add',
    before,
    tamperCallback,
    finishOn,
    ...options
  }: BrowserOptions & {
    mode?: 'add' | 'change';
    before?: (tenant: LogtoTenant) => void;
    tamperCallback?: (url: URL) => void;
    /** Logto upgraded while the user was at Xiaomi: the callback meets this build. */
    finishOn?: LogtoBuild;
  } = {},
) => {
  const browser = logtoBrowser(connector, options);
  const { tenant } = browser;
  before?.(tenant);
  const authorizationUri = await startAccountCenterFlow(tenant, browser.accountCenter, {
    origin: logtoOrigin,
    connectorId,
    mode,
    userAgent,
    release: browser.build.accountCenter,
  });
  const callback = new URL(xiaomiRedirect(authorizationUri, approves));
  tamperCallback?.(callback);
  const { landing, page } = await backFromXiaomi(
    finishOn ? { ...browser, build: finishOn } : browser,
    callback.href,
  );
  return { tenant, authorizationUri, landing, page, linked: tenant.identities.xiaomi?.details };
};
