/**
 * The connector called the way each Logto path calls it, through the model of Logto's host in
 * test/support/logto-host/ (each of its functions names the Logto file and release it follows).
 * Each row names the Logto files it replays; nock plays Xiaomi, and Xiaomi's redirect echoes the
 * authorization URL's state.
 */
import {
  ConnectorErrorCodes,
  type SocialConnector,
  type SocialUserInfo,
} from '@logto/connector-kit';
import { describe, expect, it } from 'vitest';

import {
  connectorErrorOf,
  captureTokenForm,
  makeConnector,
  mockAccessToken,
  mockConfig,
  mockProfileData,
  mockRefreshToken,
  mockTokenSuccess,
  mockUnionId,
  openApiOk,
  openApiScope,
  tokenScope,
  useNock,
  xiaomiTokenBody,
} from '../src/mock.js';

import {
  createInteraction,
  createSocialAuthorizationUrl,
  verifyExperienceSocial,
} from './support/logto-host/interaction.js';
import {
  authorizationUriWithoutSession,
  userInfoWithoutSession,
} from './support/logto-host/management-api.js';
import {
  createSignInPageStorage,
  signInPageCallback,
  startSocialSignIn,
} from './support/logto-host/sign-in-page.js';
import { refreshTokenSetSecret, type LogtoConnector } from './support/logto-host/social-library.js';
import { createLogtoTenant } from './support/logto-host/tenant.js';
import {
  createSocialVerification,
  readVerificationRecord,
  verifySocialVerification,
} from './support/logto-host/verification-record.js';

useNock();

const connectorId = 'xmconn123';
const logtoOrigin = 'https://auth.example.com';
const logtoCallback = `${logtoOrigin}/callback/${connectorId}`;
/** Where an app's own callback lives when it links an identity through Logto's APIs. */
const appCallback = 'https://app.example.com/link/xiaomi/callback';
const xiaomiCode = 'fake-code-from-xiaomi';
const userAgent = 'Mozilla/5.0 (replayed)';

const logtoConnector = (
  connector: SocialConnector,
  enableTokenStorage = false,
): LogtoConnector => ({
  id: connectorId,
  connector,
  enableTokenStorage,
});

/** Xiaomi's answer to the browser: back to redirect_uri with the code (or error) and the state. */
const xiaomiRedirect = (authorizationUri: string, outcome: Record<string, string>) => {
  const sent = new URL(authorizationUri).searchParams;
  const back = new URL(sent.get('redirect_uri') ?? '');
  for (const [key, value] of Object.entries({ ...outcome, state: sent.get('state') ?? '' })) {
    back.searchParams.set(key, value);
  }
  return back.toString();
};
const approves = { code: xiaomiCode };
const refuses = { error: '96012', error_description: 'user denied the authorization' };

/** Xiaomi's token and profile endpoints; returns what the token call was sent. */
const xiaomiAnswers = (tokens: object = mockTokenSuccess) => {
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
const signInThroughLogtoPage = async (
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
type AppFlow = (logto: LogtoConnector) => {
  authorize: (payload: { state: string; redirectUri: string }) => Promise<string>;
  verify: (connectorData: Record<string, unknown>) => Promise<SocialUserInfo | undefined>;
};

/** Management API or /me: no session at all. */
const withoutSession: AppFlow = (logto) => ({
  authorize: async (payload) => authorizationUriWithoutSession(logto, payload, userAgent),
  verify: async (connectorData) => userInfoWithoutSession(logto, connectorData),
});

/** Account API: the session kept in the verification record. */
const throughVerificationRecord: AppFlow = (logto) => {
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
const throughInteraction: AppFlow = (logto) => {
  const interaction = createInteraction();
  return {
    authorize: async (payload) =>
      createSocialAuthorizationUrl(logto, interaction, payload, userAgent),
    verify: async (connectorData) =>
      (await verifyExperienceSocial(logto, interaction, connectorData)).userInfo,
  };
};

/** An app's own flow: authorization URL from a Logto API, callback data as the app passes it. */
const linkThroughApi = async (
  connector: SocialConnector,
  flow: AppFlow,
  callbackData: (callbackUrl: URL) => Record<string, unknown>,
) => {
  const { authorize, verify } = flow(logtoConnector(connector));
  const authorizationUri = await authorize({ state: 'appstate-1', redirectUri: appCallback });
  const callback = new URL(xiaomiRedirect(authorizationUri, approves));
  return verify(callbackData(callback));
};

const queryOf = (url: URL) => Object.fromEntries(url.searchParams.entries());

type Row = {
  path: string;
  replays: string[];
  run: (connector: SocialConnector) => Promise<unknown>;
  /** The user's id, or the ConnectorError's code and a part of its message. */
  expected: { userId: string } | { code: ConnectorErrorCodes; message: string };
  /** The redirect_uri sent to Xiaomi's token endpoint; undefined when it must not be called. */
  tokenRedirectUri: string | undefined;
};

const experienceFiles = [
  'packages/experience/src/containers/SocialSignInList/use-social.ts',
  'packages/experience/src/utils/social-connectors.ts',
  'packages/experience/src/utils/index.ts',
  'packages/experience/src/pages/SocialSignInWebCallback/use-social-sign-in-listener.ts',
  'packages/core/src/routes/experience/verification-routes/social-verification.ts',
  'packages/core/src/libraries/verification-helpers/social-verification.ts',
  'packages/core/src/libraries/social.ts',
];
const verificationRecordFiles = [
  'packages/core/src/routes/verification/index.ts',
  'packages/core/src/routes/experience/classes/verifications/social-verification.ts',
  'packages/core/src/libraries/social.ts',
];
/** What Xiaomi's token answer leaves in the token set (no mac key, no openId). */
const expectedTokenResponse = {
  access_token: mockAccessToken,
  refresh_token: mockRefreshToken,
  expires_in: mockTokenSuccess.expires_in,
  scope: mockTokenSuccess.scope,
  token_type: mockTokenSuccess.token_type,
};
const rows: Row[] = [
  {
    path: 'Experience sign-in: Logto’s page strips state',
    replays: experienceFiles,
    run: async (connector) => {
      const { connectorData, userInfo } = await signInThroughLogtoPage(connector, approves);
      expect(connectorData).toEqual({ redirectUri: logtoCallback, code: xiaomiCode });
      return userInfo;
    },
    expected: { userId: mockUnionId },
    tokenRedirectUri: logtoCallback,
  },
  {
    path: 'Experience registration (same verify call; the account is created afterwards)',
    replays: [...experienceFiles, 'packages/experience/src/hooks/use-social-register.ts'],
    run: async (connector) => (await signInThroughLogtoPage(connector, approves)).userInfo,
    expected: { userId: mockUnionId },
    tokenRedirectUri: logtoCallback,
  },
  {
    path: 'Experience: the user refuses at Xiaomi (error and error_description)',
    replays: experienceFiles,
    run: async (connector) => signInThroughLogtoPage(connector, refuses),
    expected: {
      code: ConnectorErrorCodes.AuthorizationFailed,
      message: 'The user did not authorize the app on Xiaomi',
    },
    tokenRedirectUri: undefined,
  },
  {
    path: 'Experience: Xiaomi redirects with an error and no description',
    replays: experienceFiles,
    run: async (connector) => signInThroughLogtoPage(connector, { error: '96010' }),
    expected: { code: ConnectorErrorCodes.InvalidConfig, message: '96010 OA_INVALID_REDIRECT_URI' },
    tokenRedirectUri: undefined,
  },
  {
    path: 'Experience with token storage: getTokenResponseAndUserInfo',
    replays: experienceFiles,
    run: async (connector) => {
      const { userInfo, tokenResponse } = await signInThroughLogtoPage(connector, approves, true);
      expect(tokenResponse).toEqual(expectedTokenResponse);
      return userInfo;
    },
    expected: { userId: mockUnionId },
    tokenRedirectUri: logtoCallback,
  },
  {
    path: 'Experience: the same callback posted twice (the session was used up)',
    replays: experienceFiles,
    run: async (connector) => {
      const { verify } = await signInThroughLogtoPage(connector, approves);
      tokenScope()
        .post('/oauth2/token')
        .reply(200, xiaomiTokenBody({ error: 96013, error_description: 'code used' }));
      return verify();
    },
    expected: { code: ConnectorErrorCodes.SocialAuthCodeInvalid, message: '96013 OA_INVALID_CODE' },
    tokenRedirectUri: logtoCallback,
  },
  {
    path: 'Admin links an identity: Management API authorization-uri, then POST /users/:id/identities',
    replays: [
      'packages/core/src/routes/connector/authorization-uri.ts',
      'packages/core/src/routes/admin-user/social.ts',
      'packages/cli/src/connector/consts.ts',
    ],
    run: async (connector) =>
      linkThroughApi(connector, withoutSession, (callback) => ({
        ...queryOf(callback),
        redirectUri: appCallback,
      })),
    expected: { userId: mockUnionId },
    tokenRedirectUri: appCallback,
  },
  {
    path: 'A signed-in user links an identity: /me/social/authorization-uri, /me/social/link-identity',
    replays: ['packages/core/src/routes-me/social.ts', 'packages/cli/src/connector/consts.ts'],
    run: async (connector) =>
      linkThroughApi(connector, withoutSession, (callback) => ({
        code: callback.searchParams.get('code'),
        redirectUri: appCallback,
      })),
    expected: { userId: mockUnionId },
    tokenRedirectUri: appCallback,
  },
  {
    path: 'Account API social verification, the app passing state through (matching)',
    replays: [...verificationRecordFiles, 'packages/core/src/routes/account/identities.ts'],
    run: async (connector) =>
      linkThroughApi(connector, throughVerificationRecord, (callback) => ({
        ...queryOf(callback),
        redirectUri: appCallback,
      })),
    expected: { userId: mockUnionId },
    tokenRedirectUri: appCallback,
  },
  {
    path: 'Account API social verification, the app passing a different state',
    replays: verificationRecordFiles,
    run: async (connector) =>
      linkThroughApi(connector, throughVerificationRecord, (callback) => ({
        ...queryOf(callback),
        state: 'forged-state',
        redirectUri: appCallback,
      })),
    expected: { code: ConnectorErrorCodes.AuthorizationFailed, message: 'state does not match' },
    tokenRedirectUri: undefined,
  },
  {
    path: 'Account API social verification, the app leaving state out',
    replays: verificationRecordFiles,
    run: async (connector) =>
      linkThroughApi(connector, throughVerificationRecord, (callback) => ({
        code: callback.searchParams.get('code'),
        redirectUri: 'https://app.example.com/ignored',
      })),
    expected: { userId: mockUnionId },
    // The URI the authorization used (kept in the session), not the one the app passed.
    tokenRedirectUri: appCallback,
  },
  {
    path: 'Experience API called directly by an API client passing state through (matching)',
    replays: [
      'packages/core/src/routes/experience/verification-routes/social-verification.ts',
      'packages/core/src/libraries/verification-helpers/social-verification.ts',
    ],
    run: async (connector) =>
      linkThroughApi(connector, throughInteraction, (callback) => ({
        ...queryOf(callback),
        redirectUri: appCallback,
      })),
    expected: { userId: mockUnionId },
    tokenRedirectUri: appCallback,
  },
  {
    path: 'Experience API called directly by an API client passing a different state',
    replays: ['packages/core/src/libraries/verification-helpers/social-verification.ts'],
    run: async (connector) =>
      linkThroughApi(connector, throughInteraction, (callback) => ({
        ...queryOf(callback),
        state: 'another-sign-in',
      })),
    expected: { code: ConnectorErrorCodes.AuthorizationFailed, message: 'state does not match' },
    tokenRedirectUri: undefined,
  },
];

describe('the connector as each Logto path calls it', () => {
  it.each(rows)('$path', async ({ run, expected, tokenRedirectUri }) => {
    const sent = xiaomiAnswers();
    const connector = await makeConnector();
    const result = run(connector);
    if ('userId' in expected) {
      await expect(result).resolves.toMatchObject({ id: expected.userId });
    } else {
      const error = await connectorErrorOf(result);
      expect(error.code).toBe(expected.code);
      expect(error.message).toContain(expected.message);
    }
    expect(sent.form?.redirect_uri).toBe(tokenRedirectUri);
  });
});

describe('token refresh as Logto runs it when a stored token expired', () => {
  it('refreshes with no session, and the new refresh token replaces the old one', async () => {
    const connector = await makeConnector({ ...mockConfig, redirectUri: logtoCallback });
    const sent = captureTokenForm({
      ...mockTokenSuccess,
      access_token: 'fake-access-token-2',
      refresh_token: 'fake-refresh-token-2',
    });
    const stored = await refreshTokenSetSecret(logtoConnector(connector, true), mockRefreshToken);
    expect(stored).toMatchObject({
      access_token: 'fake-access-token-2',
      refresh_token: 'fake-refresh-token-2',
    });
    expect(sent.form).toMatchObject({
      grant_type: 'refresh_token',
      refresh_token: mockRefreshToken,
      redirect_uri: logtoCallback,
    });
  });
});
