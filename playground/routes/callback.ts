/**
 * GET /callback/{connectorId}: Xiaomi sends the browser back here. The playground runs the model of
 * Logto's host (test/support/logto-host): the sign-in page's callback (state checked, removed,
 * stripped), then core's verify with the connector session of the sign-in's OIDC interaction
 * (handed over once) and its token storage branch. With the "API client" switch the query is
 * passed through, state included, as a client calling the Experience API itself would.
 */
import type Router from '@koa/router';
import type { SocialUserInfo, TokenResponse } from '@logto/connector-kit';

import type { XiaomiCall } from '../../src/index.js';
import {
  createInteraction,
  verifyExperienceSocial,
} from '../../test/support/logto-host/interaction.js';
import {
  signInCallbackUri,
  signInPageCallback,
  type SignInCallback,
  type StateRefusal,
} from '../../test/support/logto-host/sign-in-page.js';
import {
  userInfoMethod,
  type LogtoConnector,
} from '../../test/support/logto-host/social-library.js';
import { buildConnector, type PlaygroundDeps } from '../deps.js';
import { elapsedSince, signInLeaks, toShownError, withMaskedCode } from '../outcome.js';
import type { ShownError } from '../pages/types.js';
import type { PlaygroundState } from '../session.js';

/** The sign-in page's toast when it refuses (phrases-experience `error.invalid_connector_auth`). */
const invalidConnectorAuth = 'The authorization is invalid';

/** What the result page says about `state`, for each way the callback went. */
const stateChecks: Record<'passed' | 'matched' | StateRefusal | 'undecodable', string> = {
  passed: 'API client: the query is passed through, state included, for the connector to check.',
  matched:
    'Checked by the sign-in page: it matched, was removed from storage and stripped from the object.',
  'no state': 'Checked by the sign-in page: the callback carries no state.',
  mismatch:
    'Checked by the sign-in page: it differs from the state this browser session started with.',
  'not started':
    'Checked by the sign-in page: no sign-in of this browser session waits for it (its state was removed once checked, or none was started).',
  undecodable: 'not reached',
};

export const callbackRoutes = (router: Router<PlaygroundState>, deps: PlaygroundDeps): void => {
  router.get('/callback/:connectorId', async (ctx, next) => {
    if (ctx.params.connectorId !== deps.connectorId) {
      return next();
    }
    const { session } = ctx.state;
    const { settings } = session;
    const query = new URLSearchParams(ctx.querystring);
    const origin = deps.origin();
    const calls: XiaomiCall[] = [];
    const started = performance.now();
    const at = Date.now();
    const page: SignInCallback = settings.apiClient
      ? {
          ok: true,
          connectorData: {
            redirectUri: signInCallbackUri(origin, deps.connectorId),
            ...Object.fromEntries(query),
          },
        }
      : signInPageCallback(query, {
          origin,
          connectorId: deps.connectorId,
          storage: session.signInPage,
        });

    let logtoConnector: LogtoConnector | undefined;
    let userInfo: SocialUserInfo | undefined;
    let tokenResponse: TokenResponse | undefined;
    let shownError: ShownError | undefined;
    try {
      logtoConnector = await buildConnector(deps, settings, calls);
      if (page.ok) {
        ({ userInfo, tokenResponse } = await verifyExperienceSocial(
          logtoConnector,
          session.interaction ?? createInteraction(),
          page.connectorData,
        ));
      }
    } catch (error: unknown) {
      shownError = toShownError(error);
    }
    if (page.ok) {
      session.refreshToken = tokenResponse?.refresh_token;
    } else {
      shownError = {
        code: page.refused === 'undecodable' ? 'URIError' : 'invalid_connector_auth',
        by: 'sign-in page',
        description:
          page.refused === 'undecodable'
            ? 'Logto’s sign-in page cannot read this callback: a query value does not survive its second decodeURIComponent.'
            : invalidConnectorAuth,
        data: null,
      };
    }

    const code = query.get('code') ?? undefined;
    session.outcome = {
      action: 'sign-in',
      method: logtoConnector ? userInfoMethod(logtoConnector) : 'getUserInfo',
      at,
      durationMs: elapsedSince(started),
      calls,
      callbackQuery: withMaskedCode(Object.fromEntries(query)),
      stateCheck: stateChecks[page.ok ? (settings.apiClient ? 'passed' : 'matched') : page.refused],
      connectorData: page.ok ? withMaskedCode(page.connectorData) : undefined,
      userInfo,
      tokenResponse,
      error: shownError,
      leaks: signInLeaks({ userInfo, error: shownError, calls, tokenResponse }, settings, code),
    };
    ctx.status = 303;
    ctx.redirect('/result');
  });
};
