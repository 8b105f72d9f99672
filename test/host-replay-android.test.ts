/**
 * An Android app with Xiaomi's SDK, through the model of Logto's host (test/support/logto-host/):
 * it asks Logto for an authorization URL with its SDK's redirect URL (and never opens it), gets the
 * code on the phone from the SDK, then posts `{ code, state, clientId }` as connectorData. Sign-in
 * goes through the Experience API (the connector session in the OIDC interaction), linking through
 * the Account API (the session in the verification record); a stored token is refreshed as core
 * does it. The web paths are in host-replay.test.ts.
 */
import { ConnectorErrorCodes, type SocialConnector } from '@logto/connector-kit';
import { describe, expect, it } from 'vitest';

import {
  captureTokenForm,
  connectorErrorOf,
  makeConnector,
  mockAccessToken,
  mockClientId,
  mockMobileClientId,
  mockMobileClientSecret,
  mockMobileConfig,
  mockRefreshToken,
  mockTokenSuccess,
  mockUnionId,
  useNock,
} from '../src/mock.js';

import {
  connectorId,
  logtoCallback,
  logtoConnector,
  userAgent,
  xiaomiAnswers,
  xiaomiCode,
} from './support/host-journeys.js';
import { linkSocialIdentity } from './support/logto-host/account-api.js';
import {
  createInteraction,
  createSocialAuthorizationUrl,
  verifyExperienceSocial,
} from './support/logto-host/interaction.js';
import { refreshTokenSetSecret, storedTokenSet } from './support/logto-host/social-library.js';
import { createLogtoTenant } from './support/logto-host/tenant.js';
import {
  createSocialVerification,
  verifySocialVerification,
} from './support/logto-host/verification-record.js';

useNock();

/** The redirect URL registered for the mobile app at Xiaomi, given to the SDK and to Logto. */
const sdkRedirectUrl = 'https://app.example.com/xiaomi/oauth';
const appState = 'android-state-1';
/** The web app's refresh needs its redirect URI; the mobile app's tokens carry their own. */
const config = { ...mockMobileConfig, redirectUri: logtoCallback };

/** What the SDK gives the app on the phone, and what the app posts to Logto as connectorData. */
const sdkCallback = { code: xiaomiCode, state: appState, clientId: mockMobileClientId };

const wrappedRefreshToken = (refreshToken: string) =>
  `xiaomi-mobile:v1:${mockMobileClientId}:${encodeURIComponent(sdkRedirectUrl)}:${refreshToken}`;

const experienceFiles = [
  'packages/core/src/routes/experience/verification-routes/social-verification.ts',
  'packages/core/src/libraries/verification-helpers/social-verification.ts',
  'packages/core/src/libraries/social.ts',
];
const accountApiFiles = [
  'packages/core/src/routes/verification/index.ts',
  'packages/core/src/routes/experience/classes/verifications/social-verification.ts',
  'packages/core/src/routes/account/identities.ts',
  'packages/core/src/libraries/social.ts',
  'packages/core/src/utils/secret-encryption.ts',
];

/**
 * `POST /api/experience/verification/social/:connectorId/authorization-uri` with the SDK's
 * redirect URL (the URL it answers is not opened), then `…/verify` with the SDK's result.
 */
const signInThroughExperienceApi = async (
  connector: SocialConnector,
  connectorData: Record<string, unknown> = sdkCallback,
  enableTokenStorage = false,
) => {
  const logto = logtoConnector(connector, enableTokenStorage);
  const interaction = createInteraction();
  await createSocialAuthorizationUrl(
    logto,
    interaction,
    { state: appState, redirectUri: sdkRedirectUrl },
    userAgent,
  );
  const verify = async () => verifyExperienceSocial(logto, interaction, connectorData);
  return { verify, ...(await verify()) };
};

/**
 * A signed-in user links Xiaomi: `POST /api/verifications/social`, `POST
 * /api/verifications/social/verify` with the SDK's result, `POST /api/my-account/identities`.
 */
const linkThroughAccountApi = async (
  connector: SocialConnector,
  connectorData: Record<string, unknown> = sdkCallback,
) => {
  const tenant = createLogtoTenant(logtoConnector(connector, true));
  const { verificationRecordId } = await createSocialVerification(
    tenant,
    { connectorId, state: appState, redirectUri: sdkRedirectUrl },
    userAgent,
  );
  await verifySocialVerification(tenant, { verificationRecordId, connectorData });
  linkSocialIdentity(tenant, verificationRecordId);
  return { tenant, linked: tenant.identities.xiaomi?.details };
};

type Row = {
  path: string;
  replays: string[];
  run: (connector: SocialConnector) => Promise<unknown>;
  expected: { userId: string } | { code: ConnectorErrorCodes; message: string };
  /** What Xiaomi's token endpoint was sent; undefined when it must not be called. */
  token: { clientId: string; redirectUri: string } | undefined;
};

const mobileToken = { clientId: mockMobileClientId, redirectUri: sdkRedirectUrl };

const rows: Row[] = [
  {
    path: 'Experience API sign-in with an SDK code and clientId',
    replays: experienceFiles,
    run: async (connector) => (await signInThroughExperienceApi(connector)).userInfo,
    expected: { userId: mockUnionId },
    token: mobileToken,
  },
  {
    path: 'Experience API sign-in with token storage: the refresh token names the mobile app',
    replays: [...experienceFiles, 'packages/core/src/utils/secret-encryption.ts'],
    run: async (connector) => {
      const { userInfo, tokenResponse } = await signInThroughExperienceApi(
        connector,
        sdkCallback,
        true,
      );
      expect(tokenResponse?.refresh_token).toBe(wrappedRefreshToken(mockRefreshToken));
      expect(JSON.stringify(tokenResponse)).not.toContain(mockMobileClientSecret);
      return userInfo;
    },
    expected: { userId: mockUnionId },
    token: mobileToken,
  },
  {
    path: 'Experience API with an App ID the connector is not configured for',
    replays: experienceFiles,
    run: async (connector) =>
      signInThroughExperienceApi(connector, { ...sdkCallback, clientId: '2882303761517999999' }),
    expected: {
      code: ConnectorErrorCodes.InvalidRequestParameters,
      message:
        'issued to Xiaomi App ID 2882303761517999999, which this connector is not configured for',
    },
    token: undefined,
  },
  {
    path: 'Experience API with the state of another sign-in',
    replays: experienceFiles,
    run: async (connector) =>
      signInThroughExperienceApi(connector, { ...sdkCallback, state: 'another-sign-in' }),
    expected: { code: ConnectorErrorCodes.AuthorizationFailed, message: 'state does not match' },
    token: undefined,
  },
  {
    path: 'Experience API: the SDK result posted twice (the interaction’s session was used up)',
    replays: experienceFiles,
    run: async (connector) => {
      const { verify } = await signInThroughExperienceApi(connector);
      return verify();
    },
    expected: {
      code: ConnectorErrorCodes.InsufficientRequestParameters,
      message: 'No redirect URI is known',
    },
    token: mobileToken,
  },
  {
    path: 'Account API links Xiaomi from the app, token storage on: the token set core stores',
    replays: accountApiFiles,
    run: async (connector) => {
      const { tenant, linked } = await linkThroughAccountApi(connector);
      expect(tenant.tokenSets.get('xiaomi')).toMatchObject({
        tokens: {
          access_token: mockAccessToken,
          refresh_token: wrappedRefreshToken(mockRefreshToken),
        },
        metadata: { hasRefreshToken: true },
      });
      return linked;
    },
    expected: { userId: mockUnionId },
    token: mobileToken,
  },
  {
    path: 'Account API with clientId as a JSON number (a 19-digit App ID would lose digits)',
    replays: accountApiFiles,
    run: async (connector) =>
      linkThroughAccountApi(connector, { ...sdkCallback, clientId: Number(mockMobileClientId) }),
    expected: {
      code: ConnectorErrorCodes.InvalidRequestParameters,
      message: 'clientId must be the Xiaomi App ID as a string of digits, got number',
    },
    token: undefined,
  },
];

describe('an Android app’s SDK code through Logto’s APIs', () => {
  it.each(rows)('$path', async ({ run, expected, token }) => {
    const sent = xiaomiAnswers();
    const connector = await makeConnector(config);
    const result = run(connector);
    if ('userId' in expected) {
      await expect(result).resolves.toMatchObject({ id: expected.userId });
    } else {
      const error = await connectorErrorOf(result);
      expect(error.code).toBe(expected.code);
      expect(error.message).toContain(expected.message);
    }
    expect(
      sent.form && { clientId: sent.form.client_id, redirectUri: sent.form.redirect_uri },
    ).toEqual(token);
    if (token) {
      expect(sent.form?.client_secret).toBe(mockMobileClientSecret);
    }
  });
});

describe('a mobile app’s stored token refreshed as Logto runs it', () => {
  /** The refresh token core stored when the app linked Xiaomi. */
  const storedRefreshToken = async () => {
    xiaomiAnswers();
    const { tenant } = await linkThroughAccountApi(await makeConnector(config));
    return tenant.tokenSets.get('xiaomi')?.tokens.refresh_token ?? '';
  };

  it('refreshes with the mobile app and its redirect URL, and core stores the re-wrapped token', async () => {
    const stored = await storedRefreshToken();
    const sent = captureTokenForm({
      ...mockTokenSuccess,
      access_token: 'fake-access-token-2',
      refresh_token: 'fake-refresh-token-2',
    });
    const connector = await makeConnector(config);
    const response = await refreshTokenSetSecret(logtoConnector(connector, true), stored);
    expect(sent.form).toMatchObject({
      client_id: mockMobileClientId,
      client_secret: mockMobileClientSecret,
      grant_type: 'refresh_token',
      refresh_token: mockRefreshToken,
      redirect_uri: sdkRedirectUrl,
    });
    expect(storedTokenSet(response)?.tokens).toEqual({
      access_token: 'fake-access-token-2',
      refresh_token: wrappedRefreshToken('fake-refresh-token-2'),
    });
  });

  it('refuses, before Xiaomi, once the admin removed the mobile app from the config', async () => {
    const stored = await storedRefreshToken();
    const token = captureTokenForm();
    const connector = await makeConnector({
      clientId: mockClientId,
      clientSecret: config.clientSecret,
      redirectUri: logtoCallback,
    });
    const error = await connectorErrorOf(
      refreshTokenSetSecret(logtoConnector(connector, true), stored),
    );
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(error.message).toContain(`mobile app ${mockMobileClientId}`);
    expect(token.form).toBeUndefined();
  });
});
