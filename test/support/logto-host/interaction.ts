/**
 * The OIDC interaction's connector session, as the Experience API (Logto's sign-in page) keeps it:
 * packages/core/src/libraries/verification-helpers/social-verification.ts in v1.41.0
 * (packages/core/src/routes/interaction/utils/social-verification.ts in v1.37.1, the same code),
 * called by packages/core/src/routes/experience/verification-routes/social-verification.ts.
 */
import { connectorSessionGuard, type ConnectorSession } from '@logto/connector-kit';

import { generateStandardId } from './ids.js';
import { assertThat } from './request-error.js';
import { getUserInfoWithOptionalTokenResponse, type LogtoConnector } from './social-library.js';

/** One OIDC interaction: its jti and the connector session kept in its result. */
export type Interaction = {
  jti: string;
  /** `assignConnectorSessionResult`: the session is stored in the interaction's result. */
  setSession: (connectorSession: ConnectorSession) => Promise<void>;
  /**
   * `getConnectorSessionResult`: throws when the result holds none (checked with the kit's
   * connectorSessionGuard), and removes it once read: one verify per authorization.
   */
  getSession: () => Promise<ConnectorSession>;
};

export const createInteraction = (jti = generateStandardId()): Interaction => {
  let result: Record<string, unknown> | undefined;
  return {
    jti,
    setSession: async (connectorSession) => {
      result = { ...result, connectorSession };
    },
    getSession: async () => {
      const parsed = connectorSessionGuard.safeParse(result?.connectorSession);
      assertThat(result && parsed.success, 'session.connector_validation_session_not_found');
      result = Object.fromEntries(
        Object.entries(result).filter(([key]) => key !== 'connectorSession'),
      );
      return parsed.data;
    },
  };
};

/**
 * `createSocialAuthorizationUrl` behind `POST /api/experience/verification/social/:connectorId/
 * authorization-uri` (no scope on this route): the interaction's jti, the request's user agent.
 */
export const createSocialAuthorizationUrl = async (
  { id, connector }: LogtoConnector,
  interaction: Interaction,
  { state, redirectUri }: { state: string; redirectUri: string },
  userAgent: string | undefined,
): Promise<string> => {
  assertThat(state && redirectUri, 'session.insufficient_info');
  return connector.getAuthorizationUri(
    {
      state,
      redirectUri,
      scope: undefined,
      connectorId: id,
      connectorFactoryId: connector.metadata.id,
      jti: interaction.jti,
      headers: { userAgent },
    },
    interaction.setSession,
  );
};

/**
 * `POST /api/experience/verification/social/:connectorId/verify`: SocialVerification.verify with
 * 'interactionSession' (routes/experience/classes/verifications/social-verification.ts), the
 * session taken from the interaction.
 */
export const verifyExperienceSocial = async (
  logtoConnector: LogtoConnector,
  interaction: Interaction,
  connectorData: Record<string, unknown>,
) => getUserInfoWithOptionalTokenResponse(logtoConnector, connectorData, interaction.getSession);
