/**
 * POST /refresh: Logto's refresh of a stored token, core's `refreshTokenSetSecret` in the model of
 * Logto's host (test/support/logto-host/social-library.ts): no session, an answer without
 * access_token refused, the old refresh token kept unless a new one comes. Xiaomi's refresh
 * tokens are single-use: the playground keeps the set core would store, with the new one.
 */
import type Router from '@koa/router';
import type { TokenResponse } from '@logto/connector-kit';

import type { XiaomiCall } from '../../src/index.js';
import { refreshTokenSetSecret } from '../../test/support/logto-host/social-library.js';
import { buildConnector, type PlaygroundDeps } from '../deps.js';
import { configuredSecretsOf, elapsedSince, findLeaks, toShownError } from '../outcome.js';
import type { ShownError } from '../pages/types.js';
import type { PlaygroundState } from '../session.js';

export const refreshRoutes = (router: Router<PlaygroundState>, deps: PlaygroundDeps): void => {
  router.post('/refresh', async (ctx) => {
    const { session } = ctx.state;
    const { settings, refreshToken } = session;
    ctx.status = 303;
    if (!refreshToken) {
      ctx.redirect('/result');
      return;
    }
    const calls: XiaomiCall[] = [];
    const started = performance.now();
    const at = Date.now();
    let tokenResponse: TokenResponse | undefined;
    let shownError: ShownError | undefined;
    try {
      tokenResponse = await refreshTokenSetSecret(
        await buildConnector(deps, settings, calls),
        refreshToken,
      );
      session.refreshToken = tokenResponse.refresh_token;
    } catch (error: unknown) {
      shownError = toShownError(error);
    }
    session.outcome = {
      action: 'refresh',
      method: 'getAccessTokenByRefreshToken',
      at,
      durationMs: elapsedSince(started),
      calls,
      tokenResponse,
      refreshTokenRotated: tokenResponse && tokenResponse.refresh_token !== refreshToken,
      error: shownError,
      leaks: findLeaks(
        { 'error data': shownError?.data, 'call log': calls },
        {
          refresh_token: refreshToken,
          'new refresh_token': tokenResponse?.refresh_token,
          // A refresh after an Android sign-in runs on that mobile app's secret.
          ...configuredSecretsOf(settings),
        },
      ),
    };
    ctx.redirect('/result');
  });
};
