/**
 * POST /refresh: Logto's refresh of a stored token, `getAccessTokenByRefreshToken(refreshToken)`
 * with no session (packages/core/src/libraries/social.ts). Xiaomi's refresh tokens are single-use:
 * the new one is kept.
 */
import type Router from '@koa/router';
import type { TokenResponse } from '@logto/connector-kit';

import type { XiaomiCall } from '../../src/index.js';
import { buildConnector, type PlaygroundDeps } from '../deps.js';
import { elapsedSince, findLeaks, toShownError } from '../outcome.js';
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
      const rawConnector = await buildConnector(deps, settings, calls);
      if (!rawConnector.getAccessTokenByRefreshToken) {
        throw new Error('The connector has no getAccessTokenByRefreshToken.');
      }
      tokenResponse = await rawConnector.getAccessTokenByRefreshToken(refreshToken);
      session.refreshToken = tokenResponse.refresh_token ?? refreshToken;
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
      error: shownError,
      leaks: findLeaks(
        { 'error data': shownError?.data, 'call log': calls },
        {
          refresh_token: refreshToken,
          'new refresh_token': tokenResponse?.refresh_token,
          'App Secret': settings.clientSecret,
        },
      ),
    };
    ctx.redirect('/result');
  });
};
