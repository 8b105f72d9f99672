/**
 * The Account API's social verification, where the connector session lives in the verification
 * record instead of an OIDC interaction (Logto v1.41.0; the same in v1.37.1):
 * - packages/core/src/routes/verification/index.ts: `POST /api/verifications/social` and
 *   `POST /api/verifications/social/verify`; the record is inserted, read back by id and updated.
 * - packages/core/src/routes/experience/classes/verifications/social-verification.ts:
 *   `createSocialAuthorizationSession` (jti = the record's id, the request's user agent; the
 *   session starts as `{}` and setSession replaces it) and `verifySocialIdentity` with
 *   'verificationRecord' (getSession returns the record's session; nothing removes it).
 * The record makes a round trip through JSON, parsed by socialVerificationRecordDataGuard
 * (packages/schemas/src/types/verification-records/social-verification.ts) as core does.
 */
import {
  connectorSessionGuard,
  socialUserInfoGuard,
  tokenResponseGuard,
  type ConnectorSession,
  type SocialUserInfo,
  type TokenResponse,
} from '@logto/connector-kit';
import { z } from 'zod';

import { generateStandardId } from './ids.js';
import { assertThat } from './request-error.js';
import { getUserInfoWithOptionalTokenResponse } from './social-library.js';
import { getConnector, type LogtoTenant } from './tenant.js';

/** The record's JSON; the token set is kept as the response core would encrypt. */
const recordGuard = z.object({
  id: z.string(),
  connectorId: z.string(),
  type: z.literal('Social'),
  socialUserInfo: socialUserInfoGuard.optional(),
  tokenResponse: tokenResponseGuard.optional(),
  connectorSession: connectorSessionGuard.optional(),
});

export type SocialVerificationRecord = {
  id: string;
  connectorId: string;
  socialUserInfo?: SocialUserInfo;
  tokenResponse?: TokenResponse;
  connectorSession: ConnectorSession;
};

const save = (tenant: LogtoTenant, record: SocialVerificationRecord) => {
  tenant.verificationRecords.set(record.id, JSON.stringify({ ...record, type: 'Social' }));
};

/** `buildVerificationRecordByIdAndType` (packages/core/src/libraries/verification.ts). */
export const readVerificationRecord = (
  tenant: LogtoTenant,
  id: string,
): SocialVerificationRecord => {
  const stored = tenant.verificationRecords.get(id);
  assertThat(stored, 'verification_record.not_found');
  const {
    id: recordId,
    connectorId,
    socialUserInfo,
    tokenResponse,
    connectorSession,
  } = recordGuard.parse(JSON.parse(stored));
  // The class's constructor: `this.connectorSession = connectorSession ?? {}`.
  return {
    id: recordId,
    connectorId,
    socialUserInfo,
    tokenResponse,
    connectorSession: connectorSession ?? {},
  };
};

/** `POST /api/verifications/social` with `{ connectorId, state, redirectUri, scope? }`. */
export const createSocialVerification = async (
  tenant: LogtoTenant,
  {
    connectorId,
    state,
    redirectUri,
    scope,
  }: { connectorId: string; state: string; redirectUri: string; scope?: string },
  userAgent: string | undefined,
) => {
  const record: SocialVerificationRecord = {
    id: generateStandardId(),
    connectorId,
    connectorSession: {},
  };
  assertThat(state && redirectUri, 'session.insufficient_info');
  const { connector } = getConnector(tenant, connectorId);
  const authorizationUri = await connector.getAuthorizationUri(
    {
      state,
      redirectUri,
      connectorId,
      connectorFactoryId: connector.metadata.id,
      jti: record.id,
      headers: { userAgent },
      scope,
    },
    async (connectorSession) => {
      record.connectorSession = connectorSession;
    },
  );
  save(tenant, record);
  return { verificationRecordId: record.id, authorizationUri };
};

/**
 * `POST /api/verifications/social/verify` with `{ verificationRecordId, connectorData }`: the
 * record is updated only when the connector succeeded.
 */
export const verifySocialVerification = async (
  tenant: LogtoTenant,
  {
    verificationRecordId,
    connectorData,
  }: { verificationRecordId: string; connectorData: Record<string, unknown> },
) => {
  const record = readVerificationRecord(tenant, verificationRecordId);
  const { userInfo, tokenResponse } = await getUserInfoWithOptionalTokenResponse(
    getConnector(tenant, record.connectorId),
    connectorData,
    async () => record.connectorSession,
  );
  save(tenant, { ...record, socialUserInfo: userInfo, tokenResponse });
  return { verificationRecordId };
};
