/**
 * GET /callback/{connectorId}: Xiaomi sends the browser back here. The playground does what
 * Logto's sign-in page does (`sign-in-page.ts`: state checked, removed, stripped) and what Logto
 * core does next: `getUserInfo(connectorData, getSession)`, or `getTokenResponseAndUserInfo` with
 * token storage on, where getSession hands over what getAuthorizationUri stored and forgets it
 * (core's getConnectorSessionResult, packages/core/src/routes/interaction/utils/social-verification.ts).
 */
import type Router from '@koa/router';
import type { ConnectorSession, SocialUserInfo, TokenResponse } from '@logto/connector-kit';

import type { XiaomiCall } from '../../src/index.js';
import { buildConnector, type PlaygroundDeps } from '../deps.js';
import { elapsedSince, findLeaks, toShownError, withMaskedCode } from '../outcome.js';
import type { ShownError } from '../pages/types.js';
import type { PlaygroundSession, PlaygroundState } from '../session.js';
import { replayCallback } from '../sign-in-page.js';

/** Core's getConnectorSessionResult: the stored connector session, once. */
const takeConnectorSession =
  (session: PlaygroundSession) => async (): Promise<ConnectorSession> => {
    const stored = session.connectorSession;
    if (!stored) {
      throw new Error('session.connector_validation_session_not_found');
    }
    session.connectorSession = undefined;
    return stored;
  };

export const callbackRoutes = (router: Router<PlaygroundState>, deps: PlaygroundDeps): void => {
  router.get('/callback/:connectorId', async (ctx, next) => {
    if (ctx.params.connectorId !== deps.connectorId) {
      return next();
    }
    const { session } = ctx.state;
    const { settings } = session;
    const query = new URLSearchParams(ctx.querystring);
    const method = settings.tokenStorage ? 'getTokenResponseAndUserInfo' : 'getUserInfo';
    const calls: XiaomiCall[] = [];
    const started = performance.now();
    const at = Date.now();
    const replay = replayCallback(query, {
      origin: deps.origin(),
      connectorId: deps.connectorId,
      storage: session.states,
      apiClient: settings.apiClient,
    });

    let userInfo: SocialUserInfo | undefined;
    let tokenResponse: TokenResponse | undefined;
    let shownError: ShownError | undefined;
    if (replay.ok) {
      try {
        const rawConnector = await buildConnector(deps, settings, calls);
        const getSession = takeConnectorSession(session);
        if (settings.tokenStorage && rawConnector.getTokenResponseAndUserInfo) {
          ({ userInfo, tokenResponse } = await rawConnector.getTokenResponseAndUserInfo(
            replay.connectorData,
            getSession,
          ));
        } else {
          userInfo = await rawConnector.getUserInfo(replay.connectorData, getSession);
        }
      } catch (error: unknown) {
        shownError = toShownError(error);
      }
      session.refreshToken = tokenResponse?.refresh_token;
    } else {
      shownError = {
        code: replay.code,
        by: 'sign-in page',
        description: replay.message,
        data: null,
      };
    }

    const code = query.get('code') ?? undefined;
    session.outcome = {
      action: 'sign-in',
      method,
      at,
      durationMs: elapsedSince(started),
      calls,
      callbackQuery: withMaskedCode(Object.fromEntries(query)),
      stateCheck: replay.stateCheck,
      connectorData: replay.ok ? withMaskedCode(replay.connectorData) : undefined,
      userInfo,
      tokenResponse,
      error: shownError,
      leaks: findLeaks(
        { 'user info': userInfo, 'error data': shownError?.data, 'call log': calls },
        {
          access_token: tokenResponse?.access_token,
          refresh_token: tokenResponse?.refresh_token,
          'App Secret': settings.clientSecret,
          'authorization code': code,
        },
      ),
    };
    ctx.status = 303;
    ctx.redirect('/result');
  });
};
