import type { CreateConnector, GetSession, SocialConnector } from '@logto/connector-kit';
import { ConnectorError, ConnectorErrorCodes, ConnectorType } from '@logto/connector-kit';

import { buildAuthorizationUri, requestedScope } from './authorization.js';
import { readCallback, readSession } from './callback.js';
import { loadConfig } from './config.js';
import {
  defaultAccountBaseUrl,
  defaultMetadata,
  defaultOpenApiBaseUrl,
  defaultTimeoutMs,
  warmUpAfterIdleMs,
  warmUpWaitMs,
  xiaomiEndpoints,
} from './constant.js';
import { configuredSecrets } from './mobile-apps.js';
import { awaitWarmUp, createOpenApiWarmUp } from './open-api-warm-up.js';
import { refreshTokens } from './refresh.js';
import { grantedScopes, openApiCallsOf, scopesIn } from './scope.js';
import { startSignInLifetime } from './sign-in-lifetime.js';
import { toTokenResponse } from './token-response.js';
import { xiaomiConfigGuard } from './types.js';
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
   * 0 warms up on every code exchange. The config key `skipWarmUp: true` turns it off.
   */
  warmUpAfterIdleMs?: number;
};

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
      // The app the code was issued to: the web app, or a mobile app's SDK.
      const { code, redirectUri, app } = readCallback(data, session, config);
      const secrets = configuredSecrets(config);

      const lifetime = startSignInLifetime();
      try {
        const requested = requestedScope(config);
        // A connection per open-API call the requested scope makes: which are granted is known
        // only from the token, and a connection warmed for nothing idles out.
        const warmUp =
          config.skipWarmUp === true
            ? undefined
            : openApiWarmUp.start(lifetime.signal, openApiCallsOf(scopesIn(requested)).count);
        if (warmUp) {
          lifetime.beside(warmUp);
        }
        const tokens = await api.exchangeCode(app, { code, redirectUri }, secrets, lifetime.signal);

        const granted = openApiCallsOf(grantedScopes(tokens.scope, requested));
        const access = {
          app,
          accessToken: tokens.access_token,
          secrets: [...secrets, code, tokens.refresh_token, tokens.mac_key],
          lifetime: lifetime.signal,
        };
        await awaitWarmUp(warmUp, warmUpWaitMs);
        // Extras are best-effort and run beside the profile: two round trips whatever the scopes.
        const [profile, openId, phoneAndEmail] = await Promise.all([
          api.readProfile(access),
          granted.openId
            ? lifetime.beside(api.readOpenId(access).catch(() => undefined))
            : undefined,
          granted.phoneAndEmail
            ? lifetime.beside(api.readPhoneAndEmail(access).catch(() => undefined))
            : undefined,
        ]).finally(openApiWarmUp.used);

        const userInfo = toUserInfo(profile, {
          openId: tokens.openId,
          openid: openId?.openid,
          phoneAndEmail,
        });
        return { tokens, userInfo, issuedTo: { app, redirectUri } };
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
        const { tokens, userInfo, issuedTo } = await signIn(data, getSession);
        return { tokenResponse: toTokenResponse(tokens, issuedTo), userInfo };
      }),

      getAccessTokenByRefreshToken: onlyConnectorErrors(async (refreshToken) =>
        refreshTokens(api, endpoints.token, await loadConfig(getConfig), refreshToken),
      ),
    };
  };

/** What Logto loads: the connector talking to Xiaomi itself. */
const createConnector: CreateConnector<SocialConnector> = createXiaomiConnector();

export default createConnector;
