import type {
  CreateConnector,
  GetSession,
  SocialConnector,
  TokenResponse,
} from '@logto/connector-kit';
import { ConnectorError, ConnectorErrorCodes, ConnectorType } from '@logto/connector-kit';

import { buildAuthorizationUri, requestedScope } from './authorization.js';
import { readCallback, readSession } from './callback.js';
import { loadConfig } from './config.js';
import {
  defaultAccountBaseUrl,
  defaultMetadata,
  defaultOpenApiBaseUrl,
  defaultTimeoutMs,
  emailScope,
  openIdScope,
  phoneScope,
  warmUpAfterIdleMs,
  warmUpWaitMs,
  xiaomiEndpoints,
} from './constant.js';
import { fail } from './errors.js';
import { awaitWarmUp, createOpenApiWarmUp } from './open-api-warm-up.js';
import { grantedScopes } from './scope.js';
import { shareRefresh } from './shared-refresh.js';
import { startSignInLifetime } from './sign-in-lifetime.js';
import { xiaomiConfigGuard, type XiaomiTokenSet } from './types.js';
import { toUserInfo } from './user-info.js';
import { createXiaomiApi, type XiaomiCall } from './xiaomi-api.js';

export type { XiaomiCall } from './xiaomi-api.js';
export type { XiaomiConfig } from './types.js';
export { defaultMetadata } from './constant.js';

export type XiaomiConnectorOptions = {
  /** Where `oauth2/authorize` and `oauth2/token` live; Xiaomi's by default. */
  accountBaseUrl?: string;
  /** Where the `user/…` open APIs live; Xiaomi's by default. */
  openApiBaseUrl?: string;
  /** Deadline of each call to Xiaomi, its retry and reading the answer included. */
  timeoutMs?: number;
  /** Told of every HTTP attempt to Xiaomi, with no secret in it. */
  onCall?: (call: XiaomiCall) => void;
  /**
   * The open-API warm-up runs when that host has had no call for this long (1 s by default);
   * 0 warms up on every code exchange. The config key `warmUpOpenApi: false` turns it off.
   */
  warmUpAfterIdleMs?: number;
};

/** The token set Logto stores: only what it documents, no mac key. */
const toTokenResponse = (tokens: XiaomiTokenSet): TokenResponse => ({
  access_token: tokens.access_token,
  ...(tokens.refresh_token !== undefined && { refresh_token: tokens.refresh_token }),
  ...(tokens.expires_in !== undefined && { expires_in: tokens.expires_in }),
  ...(tokens.scope !== undefined && { scope: tokens.scope }),
  ...(tokens.token_type !== undefined && { token_type: tokens.token_type }),
});

/** Whatever slips past the named failures still reaches Logto as a ConnectorError. */
const onlyConnectorErrors =
  <Args extends unknown[], Result>(method: (...args: Args) => Promise<Result>) =>
  async (...args: Args): Promise<Result> => {
    try {
      return await method(...args);
    } catch (error: unknown) {
      if (error instanceof ConnectorError) {
        throw error;
      }
      // Only the name: an unexpected error's message could quote a secret.
      throw new ConnectorError(ConnectorErrorCodes.General, {
        errorDescription: `The Xiaomi connector failed unexpectedly (${error instanceof Error ? error.name : typeof error}).`,
      });
    }
  };

/** Builds the connector factory; the options point it elsewhere than Xiaomi (a simulator). */
export const createXiaomiConnector =
  (options: XiaomiConnectorOptions = {}): CreateConnector<SocialConnector> =>
  async ({ getConfig }) => {
    const endpoints = xiaomiEndpoints(
      options.accountBaseUrl ?? defaultAccountBaseUrl,
      options.openApiBaseUrl ?? defaultOpenApiBaseUrl,
    );
    const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
    const api = createXiaomiApi({ endpoints, timeoutMs, onCall: options.onCall });
    const openApiWarmUp = createOpenApiWarmUp({
      openApiBaseUrl: options.openApiBaseUrl ?? defaultOpenApiBaseUrl,
      idleMs: options.warmUpAfterIdleMs ?? warmUpAfterIdleMs,
      timeoutMs,
      onCall: options.onCall,
    });

    /**
     * A whole sign-in: callback → code exchange (the open-API connection warmed up beside it) →
     * profile, with the extras beside it. Nothing of it runs on once it has ended.
     */
    const signIn = async (data: unknown, getSession: GetSession) => {
      const config = await loadConfig(getConfig);
      const session = await readSession(getSession);
      const { code, redirectUri } = readCallback(data, session, config.redirectUri);

      const lifetime = startSignInLifetime();
      try {
        const warmUp =
          config.warmUpOpenApi === false ? undefined : openApiWarmUp.start(lifetime.signal);
        if (warmUp) {
          lifetime.beside(warmUp);
        }
        const tokens = await api.exchangeCode(config, { code, redirectUri }, lifetime.signal);

        const granted = grantedScopes(tokens.scope, requestedScope(config));
        const access = {
          clientId: config.clientId,
          accessToken: tokens.access_token,
          secrets: [config.clientSecret, code, tokens.refresh_token, tokens.mac_key],
          lifetime: lifetime.signal,
        };
        await awaitWarmUp(warmUp, warmUpWaitMs);
        // Extras are best-effort and run beside the profile: two round trips whatever the scopes.
        const [profile, openId, phoneAndEmail] = await Promise.all([
          api.readProfile(access),
          granted.has(openIdScope)
            ? lifetime.beside(api.readOpenId(access).catch(() => undefined))
            : undefined,
          granted.has(phoneScope) || granted.has(emailScope)
            ? lifetime.beside(api.readPhoneAndEmail(access).catch(() => undefined))
            : undefined,
        ]).finally(openApiWarmUp.used);

        const userInfo = toUserInfo(profile, {
          openId: tokens.openId,
          openid: openId?.openid,
          phoneAndEmail,
        });
        return { tokens, userInfo };
      } finally {
        // Whatever still runs (an extra beside a failed profile, a slow warm-up) is cut short
        // and has told onCall before Logto gets the result.
        await lifetime.end();
      }
    };

    return {
      metadata: defaultMetadata,
      type: ConnectorType.Social,
      configGuard: xiaomiConfigGuard,

      getAuthorizationUri: onlyConnectorErrors(async (payload, setSession) =>
        buildAuthorizationUri(
          endpoints.authorize,
          await loadConfig(getConfig),
          payload,
          setSession,
        ),
      ),

      getUserInfo: onlyConnectorErrors(async (data, getSession) => {
        const { userInfo } = await signIn(data, getSession);
        return userInfo;
      }),

      getTokenResponseAndUserInfo: onlyConnectorErrors(async (data, getSession) => {
        const { tokens, userInfo } = await signIn(data, getSession);
        return { tokenResponse: toTokenResponse(tokens), userInfo };
      }),

      getAccessTokenByRefreshToken: onlyConnectorErrors(async (refreshToken) => {
        const config = await loadConfig(getConfig);
        if (!config.redirectUri) {
          return fail({ kind: 'refresh-needs-redirect-uri' });
        }
        if (!refreshToken.trim()) {
          return fail({ kind: 'missing-refresh-token' });
        }
        const { redirectUri } = config;
        const tokens = await shareRefresh(
          [endpoints.token, config.clientId, refreshToken],
          async () => api.refresh(config, { refreshToken, redirectUri }),
        );
        return toTokenResponse(tokens);
      }),
    };
  };

/** What Logto loads: the connector talking to Xiaomi itself. */
const createConnector: CreateConnector<SocialConnector> = createXiaomiConnector();

export default createConnector;
