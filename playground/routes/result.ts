/** GET /result: the last outcome of this browser's session, or back to the start page. */
import type Router from '@koa/router';

import type { PlaygroundDeps } from '../deps.js';
import type { Advice } from '../pages/advice.js';
import { resultPage } from '../pages/result-page.js';
import type { PlaygroundSession, PlaygroundState } from '../session.js';

/** Xiaomi's "App ID and App Secret do not match". */
const wrongSecretCode = '96003';

const adviceFor = (session: PlaygroundSession, deps: PlaygroundDeps): Advice | undefined => {
  if (session.outcome?.error?.xiaomiCode !== wrongSecretCode) {
    return undefined;
  }
  if (session.faults.wrongSecret) {
    return 'wrong-secret-switch';
  }
  const started = deps.startSettings(session);
  const { clientSecret, mobileClientSecrets } = session.settings;
  return clientSecret === started.clientSecret &&
    mobileClientSecrets === started.mobileClientSecrets
    ? undefined
    : 'stored-secret';
};

export const resultRoutes = (router: Router<PlaygroundState>, deps: PlaygroundDeps): void => {
  router.get('/result', (ctx) => {
    const { session } = ctx.state;
    const { outcome, refreshToken } = session;
    if (!outcome) {
      ctx.status = 303;
      ctx.redirect('/');
      return;
    }
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = resultPage({
      header: deps.header,
      outcome,
      // Only where the page shows the token set whose refresh token the session keeps.
      canRefresh:
        !outcome.error &&
        refreshToken !== undefined &&
        outcome.tokenResponse?.refresh_token === refreshToken,
      advice: adviceFor(session, deps),
    });
  });
};
