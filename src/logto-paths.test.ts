/**
 * The connector called the way each Logto path calls it, with the arguments read from Logto's
 * source (see src/test-host.ts for the replayed host code). Each row names the Logto files it
 * replays; nock plays Xiaomi, and Xiaomi's redirect echoes the authorization URL's state.
 */
import {
  ConnectorErrorCodes,
  type GetSession,
  type SetSession,
  type SocialConnector,
} from '@logto/connector-kit';
import { notImplemented } from '@logto/cli/lib/connector/consts.js';
import { describe, expect, it } from 'vitest';

import {
  mockAccessToken,
  mockConfig,
  mockProfileData,
  mockRefreshToken,
  mockTokenSuccess,
  mockUnionId,
  openApiOk,
  xiaomiTokenBody,
  captureTokenForm,
  connectorErrorOf,
  makeConnector,
  openApiScope,
  tokenScope,
  useNock,
} from './mock.js';
import {
  authorizationPayload,
  experienceCallbackPage,
  getUserInfoWithOptionalTokenResponse,
  interactionSessionStore,
  refreshTokenSetSecret,
  verificationRecordSessionStore,
} from './test-host.js';

useNock();

const connectorId = 'xmconn123';
const logtoOrigin = 'https://auth.example.com';
const logtoCallback = `${logtoOrigin}/callback/${connectorId}`;
/** Where an app's own callback lives when it links an identity through Logto's APIs. */
const appCallback = 'https://app.example.com/link/xiaomi/callback';
const pageState = 'pagestate8Xr2';
const xiaomiCode = 'fake-code-from-xiaomi';

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

/** The Experience API through Logto's sign-in page, with its interaction-scoped session. */
const signInThroughLogtoPage = async (
  connector: SocialConnector,
  outcome: Record<string, string>,
  enableTokenStorage = false,
) => {
  const session = interactionSessionStore();
  const authorizationUri = await connector.getAuthorizationUri(
    authorizationPayload(connectorId, { state: pageState, redirectUri: logtoCallback }),
    session.setSession,
  );
  const page = experienceCallbackPage(xiaomiRedirect(authorizationUri, outcome), {
    connectorId,
    storedState: pageState,
  });
  if ('refused' in page) {
    throw new Error(page.refused);
  }
  return {
    connectorData: page.connectorData,
    ...(await getUserInfoWithOptionalTokenResponse(
      connector,
      page.connectorData,
      session.getSession,
      enableTokenStorage,
    )),
  };
};

/** An app's own flow: authorization URL from a Logto API, callback data as the app passes it. */
const linkThroughApi = async (
  connector: SocialConnector,
  store: { setSession: SetSession; getSession: GetSession },
  callbackData: (callbackUrl: URL) => Record<string, unknown>,
) => {
  const authorizationUri = await connector.getAuthorizationUri(
    authorizationPayload(connectorId, { state: 'appstate-1', redirectUri: appCallback, jti: '' }),
    store.setSession,
  );
  const callback = new URL(xiaomiRedirect(authorizationUri, approves));
  return connector.getUserInfo(callbackData(callback), store.getSession);
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
  'packages/experience/src/pages/SocialSignInWebCallback/use-social-sign-in-listener.ts',
  'packages/core/src/routes/experience/verification-routes/social-verification.ts',
  'packages/core/src/routes/interaction/utils/social-verification.ts',
  'packages/core/src/libraries/social.ts',
];
/** What Logto passes where it has no connector session: both throw NotImplemented at once. */
const notImplementedSession = { setSession: notImplemented, getSession: notImplemented };

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
      expect(tokenResponse).toEqual({
        access_token: mockAccessToken,
        refresh_token: mockRefreshToken,
        expires_in: mockTokenSuccess.expires_in,
        scope: mockTokenSuccess.scope,
        token_type: mockTokenSuccess.token_type,
      });
      return userInfo;
    },
    expected: { userId: mockUnionId },
    tokenRedirectUri: logtoCallback,
  },
  {
    path: 'Experience: the same callback posted twice (the session was used up)',
    replays: experienceFiles,
    run: async (connector) => {
      const session = interactionSessionStore();
      const uri = await connector.getAuthorizationUri(
        authorizationPayload(connectorId, { state: pageState, redirectUri: logtoCallback }),
        session.setSession,
      );
      const page = experienceCallbackPage(xiaomiRedirect(uri, approves), {
        connectorId,
        storedState: pageState,
      });
      const data = 'connectorData' in page ? page.connectorData : {};
      await connector.getUserInfo(data, session.getSession);
      tokenScope()
        .post('/oauth2/token')
        .reply(200, xiaomiTokenBody({ error: 96013, error_description: 'code used' }));
      return connector.getUserInfo(data, session.getSession);
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
      linkThroughApi(connector, notImplementedSession, (callback) => ({
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
      linkThroughApi(connector, notImplementedSession, (callback) => ({
        code: callback.searchParams.get('code'),
        redirectUri: appCallback,
      })),
    expected: { userId: mockUnionId },
    tokenRedirectUri: appCallback,
  },
  {
    path: 'Account API social verification, the app passing state through (matching)',
    replays: [
      'packages/core/src/routes/verification/index.ts',
      'packages/core/src/routes/experience/classes/verifications/social-verification.ts',
      'packages/core/src/routes/account/identities.ts',
    ],
    run: async (connector) =>
      linkThroughApi(connector, verificationRecordSessionStore(), (callback) => ({
        ...queryOf(callback),
        redirectUri: appCallback,
      })),
    expected: { userId: mockUnionId },
    tokenRedirectUri: appCallback,
  },
  {
    path: 'Account API social verification, the app passing a different state',
    replays: [
      'packages/core/src/routes/verification/index.ts',
      'packages/core/src/routes/experience/classes/verifications/social-verification.ts',
    ],
    run: async (connector) =>
      linkThroughApi(connector, verificationRecordSessionStore(), (callback) => ({
        ...queryOf(callback),
        state: 'forged-state',
        redirectUri: appCallback,
      })),
    expected: { code: ConnectorErrorCodes.AuthorizationFailed, message: 'state does not match' },
    tokenRedirectUri: undefined,
  },
  {
    path: 'Account API social verification, the app leaving state out',
    replays: ['packages/core/src/routes/verification/index.ts'],
    run: async (connector) =>
      linkThroughApi(connector, verificationRecordSessionStore(), (callback) => ({
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
      'packages/core/src/routes/interaction/utils/social-verification.ts',
    ],
    run: async (connector) =>
      linkThroughApi(connector, interactionSessionStore(), (callback) => ({
        ...queryOf(callback),
        redirectUri: appCallback,
      })),
    expected: { userId: mockUnionId },
    tokenRedirectUri: appCallback,
  },
  {
    path: 'Experience API called directly by an API client passing a different state',
    replays: ['packages/core/src/routes/interaction/utils/social-verification.ts'],
    run: async (connector) =>
      linkThroughApi(connector, interactionSessionStore(), (callback) => ({
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
    const stored = await refreshTokenSetSecret(connector, mockRefreshToken);
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
