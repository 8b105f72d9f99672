/**
 * The connector called the way each Logto path calls it, through the model of Logto's host in
 * test/support/logto-host/ (each of its functions names the Logto file and release it follows),
 * on the releases before 1.43 (1.43's single callback URI: host-replay-1.43.test.ts).
 * Each row names the Logto files it replays; the journeys are in test/support/host-journeys.ts.
 */
import { ConnectorErrorCodes } from '@logto/connector-kit';
import { describe, expect, it } from 'vitest';

import {
  captureTokenForm,
  makeConnector,
  mockConfig,
  mockRefreshToken,
  mockTokenSuccess,
  mockUnionId,
  tokenScope,
  useNock,
  xiaomiTokenBody,
} from '../src/mock.js';

import {
  accountCenterCallbackUrl,
  appCallback,
  approves,
  linkedBefore,
  linkThroughApi,
  logto138,
  logtoCallback,
  logtoConnector,
  queryOf,
  refuses,
  signInThroughLogtoPage,
  throughAccountCenter,
  throughInteraction,
  throughVerificationRecord,
  withoutSession,
  xiaomiCode,
} from './support/host-journeys.js';
import {
  accountCenterFiles,
  experienceFiles,
  expectedStoredTokenSet,
  expectedTokenResponse,
  replayRows,
  tokenStorageFiles,
  verificationRecordFiles,
  type Row,
} from './support/host-replay-table.js';
import { refreshTokenSetSecret } from './support/logto-host/social-library.js';
import {
  readVerificationRecord,
  verifySocialVerification,
} from './support/logto-host/verification-record.js';

useNock();

/** The page's state: a UUID without its dashes. */
const accountCenterState = expect.stringMatching(/^[\da-f]{32}$/);

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
      const { userInfo, tokenResponse } = await signInThroughLogtoPage(connector, approves, {
        enableTokenStorage: true,
      });
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
  {
    path: 'Account Center links Xiaomi, token storage off: the whole query and its own redirect URI',
    replays: accountCenterFiles,
    run: async (connector) => {
      const { page, tenant, linked } = await throughAccountCenter(connector);
      expect(page).toEqual({
        ok: true,
        connectorData: {
          code: xiaomiCode,
          state: accountCenterState,
          redirectUri: accountCenterCallbackUrl,
        },
      });
      expect(tenant.tokenSets.size).toBe(0);
      return linked;
    },
    expected: { userId: mockUnionId },
    tokenRedirectUri: accountCenterCallbackUrl,
  },
  {
    path: 'Account Center links Xiaomi, token storage on: the token set core stores',
    replays: [...accountCenterFiles, ...tokenStorageFiles],
    run: async (connector) => {
      const { tenant, linked } = await throughAccountCenter(connector, {
        enableTokenStorage: true,
      });
      const [recordId = ''] = tenant.verificationRecords.keys();
      expect(readVerificationRecord(tenant, recordId).tokenResponse).toEqual(expectedTokenResponse);
      expect(tenant.tokenSets.get('xiaomi')).toEqual(expectedStoredTokenSet);
      return linked;
    },
    expected: { userId: mockUnionId },
    tokenRedirectUri: accountCenterCallbackUrl,
  },
  {
    path: 'Account Center replaces Xiaomi (1.40+, PUT), token storage on: the new set replaces the old',
    replays: [...accountCenterFiles, ...tokenStorageFiles],
    run: async (connector) => {
      const { tenant, linked } = await throughAccountCenter(connector, {
        enableTokenStorage: true,
        mode: 'change',
        before: linkedBefore,
      });
      expect(tenant.tokenSets.get('xiaomi')).toEqual(expectedStoredTokenSet);
      return linked;
    },
    expected: { userId: mockUnionId },
    tokenRedirectUri: accountCenterCallbackUrl,
  },
  {
    path: 'Account Center replaces Xiaomi, token storage off: the old account’s token set is deleted',
    replays: accountCenterFiles,
    run: async (connector) => {
      const { tenant, linked } = await throughAccountCenter(connector, {
        mode: 'change',
        before: linkedBefore,
      });
      expect(tenant.tokenSets.has('xiaomi')).toBe(false);
      return linked;
    },
    expected: { userId: mockUnionId },
    tokenRedirectUri: accountCenterCallbackUrl,
  },
  {
    path: 'Account Center on 1.38 and 1.39: the query alone, the redirect URI from the session',
    replays: accountCenterFiles,
    run: async (connector) => {
      const { page, linked } = await throughAccountCenter(connector, { build: logto138 });
      expect(page).toEqual({
        ok: true,
        connectorData: { code: xiaomiCode, state: accountCenterState },
      });
      return linked;
    },
    expected: { userId: mockUnionId },
    tokenRedirectUri: accountCenterCallbackUrl,
  },
  {
    path: 'Account Center refuses a callback whose state is not the stored flow’s, before Logto',
    replays: ['packages/account/src/pages/SocialCallback/index.tsx'],
    run: async (connector) =>
      (
        await throughAccountCenter(connector, {
          tamperCallback: (url) => url.searchParams.set('state', 'another-flow'),
        })
      ).page,
    expected: { refusedByPage: 'invalid_connector_auth' },
    tokenRedirectUri: undefined,
  },
  {
    path: 'Account Center’s callback verified twice on one record: the session stays, Xiaomi refuses the used code',
    replays: verificationRecordFiles,
    run: async (connector) => {
      const { tenant, page } = await throughAccountCenter(connector);
      const [verificationRecordId = ''] = tenant.verificationRecords.keys();
      // Read back from its JSON after the first verify, the record still holds the session.
      expect(readVerificationRecord(tenant, verificationRecordId).connectorSession).toMatchObject({
        state: page.ok ? page.connectorData.state : 'no page',
        redirectUri: accountCenterCallbackUrl,
      });
      tokenScope()
        .post('/oauth2/token')
        .reply(200, xiaomiTokenBody({ error: 96013, error_description: 'code used' }));
      return verifySocialVerification(tenant, {
        verificationRecordId,
        connectorData: page.ok ? page.connectorData : {},
      });
    },
    expected: { code: ConnectorErrorCodes.SocialAuthCodeInvalid, message: '96013 OA_INVALID_CODE' },
    tokenRedirectUri: accountCenterCallbackUrl,
  },
];

describe('the connector as each Logto path calls it', () => {
  replayRows(rows);
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
