/**
 * The host-replay tables' shape and runner (test/host-replay*.test.ts): each row runs the
 * connector through a journey of the Logto host model and names the Logto files it replays.
 */
import { type ConnectorErrorCodes, type SocialConnector } from '@logto/connector-kit';
import { expect, it, vi } from 'vitest';

import {
  connectorErrorOf,
  makeConnector,
  mockAccessToken,
  mockRefreshToken,
  mockTokenSuccess,
} from '../../src/mock.js';

import { xiaomiAnswers } from './host-journeys.js';

export type Row = {
  path: string;
  replays: string[];
  /** Gets what Xiaomi was sent, for rows that check more than the token's redirect_uri. */
  run: (connector: SocialConnector, sent: ReturnType<typeof xiaomiAnswers>) => Promise<unknown>;
  /**
   * The user's id; the ConnectorError's code and a part of its message; or what Logto's page
   * refused the callback with, the connector not called.
   */
  expected:
    { userId: string } | { code: ConnectorErrorCodes; message: string } | { refusedByPage: string };
  /** The redirect_uri sent to Xiaomi's token endpoint; undefined when it must not be called. */
  tokenRedirectUri: string | undefined;
};

/** One test per row, named in full (`$path` is cut at 40 characters); nock plays Xiaomi. */
export const replayRows = (rows: Row[]) => {
  it.each(rows.map((row) => [row.path, row] as const))('%s', async (_path, row) => {
    const { run, expected, tokenRedirectUri } = row;
    const sent = xiaomiAnswers();
    const connector = await makeConnector();
    const verified = vi.spyOn(connector, 'getUserInfo');
    const result = run(connector, sent);
    if ('userId' in expected) {
      await expect(result).resolves.toMatchObject({ id: expected.userId });
    } else if ('refusedByPage' in expected) {
      await expect(result).resolves.toEqual({ ok: false, refused: expected.refusedByPage });
      expect(verified).not.toHaveBeenCalled();
    } else {
      const error = await connectorErrorOf(result);
      expect(error.code).toBe(expected.code);
      expect(error.message).toContain(expected.message);
    }
    expect(sent.form?.redirect_uri).toBe(tokenRedirectUri);
  });
};

export const experienceFiles = [
  'packages/experience/src/containers/SocialSignInList/use-social.ts',
  'packages/experience/src/utils/social-connectors.ts',
  'packages/experience/src/hooks/use-redirect-callback-validation.ts',
  'packages/experience/src/utils/index.ts',
  'packages/experience/src/pages/Callback/use-social-callback-handler.ts',
  'packages/experience/src/pages/SocialSignInWebCallback/use-social-sign-in-listener.ts',
  'packages/core/src/routes/experience/verification-routes/social-verification.ts',
  'packages/core/src/libraries/verification-helpers/social-verification.ts',
  'packages/core/src/libraries/social.ts',
];
export const verificationRecordFiles = [
  'packages/core/src/routes/verification/index.ts',
  'packages/core/src/routes/experience/classes/verifications/social-verification.ts',
  'packages/core/src/libraries/social.ts',
];
export const accountCenterFiles = [
  'packages/account/src/pages/SocialFlow/index.tsx',
  'packages/account/src/pages/SocialCallback/index.tsx',
  'packages/account/src/apis/social.ts',
  'packages/account/src/constants/routes.ts',
  'packages/account/src/utils/account-center-internal-route.ts',
  ...verificationRecordFiles,
  'packages/core/src/routes/account/identities.ts',
];
export const tokenStorageFiles = ['packages/core/src/utils/secret-encryption.ts'];

/** What Xiaomi's token answer leaves in the token set (no mac key, no openId). */
export const expectedTokenResponse = {
  access_token: mockAccessToken,
  refresh_token: mockRefreshToken,
  expires_in: mockTokenSuccess.expires_in,
  scope: mockTokenSuccess.scope,
  token_type: mockTokenSuccess.token_type,
};
/** What core stores of it (utils/secret-encryption.ts `encryptTokenResponse`). */
export const expectedStoredTokenSet = {
  tokens: { access_token: mockAccessToken, refresh_token: mockRefreshToken },
  metadata: {
    hasRefreshToken: true,
    scope: mockTokenSuccess.scope,
    tokenType: mockTokenSuccess.token_type,
    expiresAt: expect.any(Number),
  },
};
