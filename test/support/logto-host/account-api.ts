/**
 * The Account API's identity routes, packages/core/src/routes/account/identities.ts (v1.41.0):
 * `POST /api/my-account/identities` links the identity a verified social record holds,
 * `PUT /api/my-account/identities` (v1.40+) replaces it; both store the record's token set.
 * Identity collisions with other users and the identity-verification header are not modelled.
 */
import { readVerificationRecord } from './verification-record.js';
import { assertThat } from './request-error.js';
import { storedTokenSet } from './social-library.js';
import { getConnector, type LogtoTenant } from './tenant.js';

/** `linkSocialIdentityCore`, shared by the two routes. */
const linkSocialIdentityCore = (
  tenant: LogtoTenant,
  newIdentifierVerificationRecordId: string,
  allowReplace: boolean,
) => {
  const record = readVerificationRecord(tenant, newIdentifierVerificationRecordId);
  const { socialUserInfo: userInfo } = record;
  assertThat(userInfo, 'verification_record.not_found');
  const { target } = getConnector(tenant, record.connectorId).connector.metadata;
  const existingIdentity = tenant.identities[target];
  if (!allowReplace) {
    assertThat(!existingIdentity, 'user.identity_already_in_use');
  }
  tenant.identities = {
    ...tenant.identities,
    [target]: { userId: userInfo.id, details: userInfo },
  };

  // `getTokenSetSecret`: a token set only when the record holds one.
  const tokenSet = record.tokenResponse && storedTokenSet(record.tokenResponse);
  if (tokenSet) {
    tenant.tokenSets.set(target, tokenSet);
  } else if (allowReplace && existingIdentity && existingIdentity.userId !== userInfo.id) {
    tenant.tokenSets.delete(target);
  }
};

export const linkSocialIdentity = (
  tenant: LogtoTenant,
  newIdentifierVerificationRecordId: string,
) => linkSocialIdentityCore(tenant, newIdentifierVerificationRecordId, false);

export const replaceSocialIdentity = (
  tenant: LogtoTenant,
  newIdentifierVerificationRecordId: string,
) => linkSocialIdentityCore(tenant, newIdentifierVerificationRecordId, true);
