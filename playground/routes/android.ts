/**
 * GET /android and POST /android/sign-in: an Android app with Xiaomi's SDK signing in through
 * Logto's Experience API, run through the model of Logto's host (test/support/logto-host) as the
 * web flow is: the authorization-uri call keeps the connector session in a new OIDC interaction
 * (with the app's own state and the SDK's redirect URL), the simulated Xiaomi mints the code the
 * SDK would get on the phone, and verify hands the connector `{ code, state, clientId }`.
 */
import type Router from '@koa/router';
import type { SocialUserInfo, TokenResponse } from '@logto/connector-kit';
import { z } from 'zod';

import { defaultSimulatorMobileApp, type XiaomiSimulator } from '../../simulator/index.js';
import { formOf, guard } from '../../simulator/web/guard.js';
import type { XiaomiCall } from '../../src/index.js';
import { generateStandardId } from '../../test/support/logto-host/ids.js';
import {
  createInteraction,
  createSocialAuthorizationUrl,
  verifyExperienceSocial,
} from '../../test/support/logto-host/interaction.js';
import { generateState } from '../../test/support/logto-host/sign-in-page.js';
import { userInfoMethod } from '../../test/support/logto-host/social-library.js';
import { buildConnector, type PlaygroundDeps } from '../deps.js';
import { elapsedSince, signInLeaks, toShownError } from '../outcome.js';
import { androidPage } from '../pages/android-page.js';
import { mask } from '../pages/layout.js';
import type { AppStep, ShownError } from '../pages/types.js';
import type { AndroidSettings, PlaygroundSession, PlaygroundState } from '../session.js';

const sdkEndpointPath = '/__simulator/sdk-code';

const androidForm = z.object({
  appId: z
    .string()
    .default('')
    .transform((value) => value.trim()),
  redirectUrl: z
    .string()
    .default('')
    .transform((value) => value.trim()),
  account: z.string().default(''),
});

const sdkAnswer = z.union([
  z.object({ code: z.string(), state: z.string().optional() }),
  z.object({ error: z.number(), error_description: z.string() }),
]);

const spaced = (text: string) => text.split(/\s+/).filter(Boolean);

/** The scope the app asks the SDK for: the connector's, scope 1 first, as the SDK's ints. */
const scopesOf = (scope: string) => [
  ...new Set(['1', ...spaced(scope).filter((id) => /^\d+$/.test(id))]),
];

/** The page's values: the last run's, else this browser's own mobile app and the first account. */
const androidSettingsOf = (
  session: PlaygroundSession,
  simulator: XiaomiSimulator | undefined,
): AndroidSettings => {
  if (session.android) {
    return session.android;
  }
  const appId = spaced(session.settings.mobileClientIds)[0] ?? session.mobileAppClientId ?? '';
  const registered = simulator?.apps.find((app) => app.clientId === appId)?.redirectUris[0];
  return {
    appId,
    redirectUrl: registered ?? defaultSimulatorMobileApp.redirectUris[0] ?? '',
    account: simulator?.accounts[0]?.userId ?? '',
  };
};

/** `POST /__simulator/sdk-code`: what Xiaomi's SDK gives the app on the phone. */
const askSdk = async (simulator: XiaomiSimulator, body: Record<string, unknown>) => {
  const response = await fetch(`${simulator.baseUrl}${sdkEndpointPath}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return sdkAnswer.parse(await response.json());
};

const maskCode = <T extends object>(value: T): T =>
  'code' in value && typeof value.code === 'string' ? { ...value, code: mask(value.code) } : value;

export const androidRoutes = (router: Router<PlaygroundState>, deps: PlaygroundDeps): void => {
  router.get('/android', (ctx) => {
    const { session } = ctx.state;
    const simulator = deps.simulator();
    const android = androidSettingsOf(session, simulator);
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = androidPage({
      header: deps.header,
      connectorId: deps.connectorId,
      ...android,
      scopes: scopesOf(session.settings.scope),
      configuredIds: spaced(session.settings.mobileClientIds),
      accounts: simulator?.accounts ?? [],
      sdkEndpoint: simulator && `${simulator.baseUrl}${sdkEndpointPath}`,
      hasResult: session.outcome !== undefined,
    });
  });

  router.post('/android/sign-in', async (ctx) => {
    const { session } = ctx.state;
    const simulator = deps.simulator();
    ctx.status = 303;
    if (!simulator) {
      ctx.redirect('/android');
      return;
    }
    const android = guard(androidForm, Object.fromEntries(formOf(ctx)), 'form');
    session.android = android;
    const { settings } = session;
    const calls: XiaomiCall[] = [];
    const steps: AppStep[] = [];
    const started = performance.now();
    const at = Date.now();
    const state = generateState();
    const verifyCall = `POST /api/experience/verification/social/${deps.connectorId}/verify`;
    let code: string | undefined;
    let method = 'getUserInfo';
    let userInfo: SocialUserInfo | undefined;
    let tokenResponse: TokenResponse | undefined;
    let shownError: ShownError | undefined;
    try {
      const logtoConnector = await buildConnector(deps, settings, calls);
      method = userInfoMethod(logtoConnector);
      const interaction = createInteraction();
      const verificationId = generateStandardId();
      const start = { state, redirectUri: android.redirectUrl };
      const authorizationUri = await createSocialAuthorizationUrl(
        logtoConnector,
        interaction,
        start,
        ctx.get('user-agent'),
      );
      steps.push({
        id: 'authorization-uri',
        to: 'Logto',
        call: `POST /api/experience/verification/social/${deps.connectorId}/authorization-uri`,
        body: start,
        answer: { authorizationUri, verificationId },
      });

      const sdkBody = {
        appId: android.appId,
        redirectUrl: android.redirectUrl,
        scope: scopesOf(settings.scope).map(Number),
        state,
        account: android.account,
      };
      const sdk = await askSdk(simulator, sdkBody);
      steps.push({
        id: 'sdk',
        to: 'Xiaomi SDK',
        call: `XiaomiOAuthorize()…startGetOAuthCode(activity), here POST ${sdkEndpointPath}`,
        body: sdkBody,
        answer: maskCode(sdk),
      });
      if ('error' in sdk) {
        shownError = {
          code: String(sdk.error),
          by: 'Xiaomi SDK',
          description: sdk.error_description,
          xiaomiCode: String(sdk.error),
          data: sdk,
        };
      } else {
        code = sdk.code;
        const connectorData = { code: sdk.code, state: sdk.state, clientId: android.appId };
        const step: AppStep = {
          id: 'verify',
          to: 'Logto',
          call: verifyCall,
          body: { verificationId, connectorData: maskCode(connectorData) },
        };
        steps.push(step);
        ({ userInfo, tokenResponse } = await verifyExperienceSocial(
          logtoConnector,
          interaction,
          connectorData,
        ));
        step.answer = { verificationId };
      }
    } catch (error: unknown) {
      shownError = toShownError(error);
    }
    session.refreshToken = tokenResponse?.refresh_token;
    session.outcome = {
      action: 'android',
      method,
      at,
      durationMs: elapsedSince(started),
      calls,
      appSteps: steps,
      userInfo,
      tokenResponse,
      error: shownError,
      leaks: signInLeaks({ userInfo, error: shownError, calls, tokenResponse }, settings, code),
    };
    ctx.redirect('/result');
  });
};
