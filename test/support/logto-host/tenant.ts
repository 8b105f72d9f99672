/** What one Logto tenant holds for these flows: its connector and the rows core writes. */
import type { SocialUserInfo } from '@logto/connector-kit';

import { assertThat } from './request-error.js';
import type { LogtoConnector, StoredTokenSet } from './social-library.js';

export type LogtoTenant = {
  connector: LogtoConnector;
  /** verification_records: each record as the JSON core stores (packages/core/src/queries). */
  verificationRecords: Map<string, string>;
  /** The signed-in user's `identities` column, by connector target. */
  identities: Record<string, { userId: string; details: SocialUserInfo }>;
  /** secrets: the user's social token sets, by connector target. */
  tokenSets: Map<string, StoredTokenSet>;
};

export const createLogtoTenant = (connector: LogtoConnector): LogtoTenant => ({
  connector,
  verificationRecords: new Map(),
  identities: {},
  tokenSets: new Map(),
});

/** `socials.getConnector` (packages/core/src/libraries/social.ts): an unknown id is a 422. */
export const getConnector = ({ connector }: LogtoTenant, connectorId: string): LogtoConnector => {
  assertThat(connector.id === connectorId, 'session.invalid_connector_id', 422);
  return connector;
};
