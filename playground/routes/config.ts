/**
 * GET / (the start page), POST /reset-config (the connector config as the session started), and
 * POST /sign-in: keeps the settings and this browser's fault switches,
 * then starts a sign-in as Logto's sign-in page and core do (the model in test/support/logto-host:
 * a fresh state kept per connector id, the authorization URL from the connector, the connector
 * session kept in a new OIDC interaction) and sends the browser to Xiaomi. POST /settings keeps
 * them and opens the Android app's page instead.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';

import { faultFlags, type SimulatorFaults } from '../../simulator/index.js';
import { formOf, guard } from '../../simulator/web/guard.js';
import type { XiaomiCall } from '../../src/index.js';
import {
  createInteraction,
  createSocialAuthorizationUrl,
} from '../../test/support/logto-host/interaction.js';
import { startSocialSignIn } from '../../test/support/logto-host/sign-in-page.js';
import { buildConnector, type PlaygroundDeps } from '../deps.js';
import { elapsedSince, toShownError } from '../outcome.js';
import { configPage } from '../pages/config-page.js';
import type { PlaygroundSettings } from '../pages/types.js';
import type { PlaygroundState } from '../session.js';

const on = z
  .string()
  .optional()
  .transform((value) => value === 'true');
const text = z.string().default('');

const signInForm = z.object({
  clientId: text.transform((value) => value.trim()),
  clientSecret: text,
  scope: text,
  skipConfirm: on,
  skipWarmUp: on,
  redirectUri: text.transform((value) => value.trim()),
  mobileClientIds: text.transform((value) => value.trim()),
  mobileClientSecrets: text,
  tokenStorage: on,
  apiClient: on,
  timeoutMs: z.coerce.number().catch(Number.NaN),
  'fault.delayMs': z.coerce.number().catch(0),
});

const clampTimeout = (value: number, fallback: number) =>
  Number.isFinite(value) && value > 0
    ? Math.min(Math.max(Math.round(value), 100), 120_000)
    : fallback;

const readFaults = (form: URLSearchParams, delayMs: number): SimulatorFaults => {
  const faults: SimulatorFaults = {};
  for (const flag of faultFlags) {
    if (form.get(`fault.${flag}`) === 'true') {
      faults[flag] = true;
    }
  }
  if (Number.isFinite(delayMs) && delayMs > 0) {
    faults.delayMs = Math.min(Math.round(delayMs), 120_000);
  }
  return faults;
};

/** Keeps the form's settings and this browser's fault switches in its session. */
const keepSettings = (ctx: Context & { state: PlaygroundState }, deps: PlaygroundDeps) => {
  const { session } = ctx.state;
  const raw = formOf(ctx);
  const form = guard(signInForm, Object.fromEntries(raw), 'form');
  const settings: PlaygroundSettings = {
    clientId: form.clientId,
    // An empty field keeps the stored secret, as the page says.
    clientSecret: form.clientSecret || session.settings.clientSecret,
    scope: form.scope,
    skipConfirm: form.skipConfirm,
    skipWarmUp: form.skipWarmUp,
    redirectUri: form.redirectUri,
    mobileClientIds: form.mobileClientIds,
    // The same for the mobile apps' secrets, while there are mobile App IDs to go with them.
    mobileClientSecrets: form.mobileClientIds
      ? form.mobileClientSecrets || session.settings.mobileClientSecrets
      : form.mobileClientSecrets,
    tokenStorage: form.tokenStorage,
    apiClient: form.apiClient,
    timeoutMs: clampTimeout(form.timeoutMs, deps.defaultTimeoutMs),
  };
  session.settings = settings;
  const simulator = deps.simulator();
  if (simulator && session.appClientId) {
    session.faults = readFaults(raw, form['fault.delayMs']);
    // This browser's switches reach its own apps, web and mobile, and no other browser's.
    for (const clientId of [session.appClientId, session.mobileAppClientId]) {
      if (clientId) {
        simulator.setFaults(session.faults, clientId);
      }
    }
  }
  return settings;
};

export const configRoutes = (router: Router<PlaygroundState>, deps: PlaygroundDeps): void => {
  const { connector } = deps;

  router.get('/', (ctx) => {
    const { session } = ctx.state;
    const simulator = deps.simulator();
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = configPage({
      header: deps.header,
      connector: {
        id: connector.metadata.id,
        target: connector.metadata.target,
        packageName: connector.packageName,
        packageVersion: connector.packageVersion,
        formItems: connector.metadata.formItems ?? [],
      },
      settings: session.settings,
      secretIsSet: session.settings.clientSecret !== '',
      mobileSecretsAreSet: session.settings.mobileClientSecrets.trim() !== '',
      faults: simulator && session.faults,
      appClientId: session.appClientId,
      simulatorUrl: simulator?.baseUrl,
      callbackUrl: deps.callbackUrl(),
      hasResult: session.outcome !== undefined,
    });
  });

  // The connector config back to what this browser's session started with: a mistyped App Secret
  // cannot be seen to be fixed, the field stays empty.
  router.post('/reset-config', (ctx) => {
    const { session } = ctx.state;
    // The playground's own switches, outside the connector config, stay as they are.
    const { tokenStorage, apiClient, timeoutMs } = session.settings;
    session.settings = { ...deps.startSettings(session), tokenStorage, apiClient, timeoutMs };
    ctx.status = 303;
    ctx.redirect('/');
  });

  router.post('/settings', (ctx) => {
    keepSettings(ctx, deps);
    ctx.status = 303;
    ctx.redirect('/android');
  });

  router.post('/sign-in', async (ctx) => {
    const { session } = ctx.state;
    const settings = keepSettings(ctx, deps);

    const calls: XiaomiCall[] = [];
    const started = performance.now();
    const at = Date.now();
    try {
      const logtoConnector = await buildConnector(deps, settings, calls);
      const interaction = createInteraction();
      session.interaction = interaction;
      const authorizationUri = await startSocialSignIn(
        session.signInPage,
        { origin: deps.origin(), connectorId: deps.connectorId },
        async (payload) =>
          createSocialAuthorizationUrl(logtoConnector, interaction, payload, ctx.get('user-agent')),
      );
      ctx.status = 303;
      ctx.redirect(authorizationUri);
    } catch (error: unknown) {
      session.outcome = {
        action: 'authorize',
        method: 'getAuthorizationUri',
        at,
        durationMs: elapsedSince(started),
        calls,
        error: toShownError(error),
      };
      ctx.status = 303;
      ctx.redirect('/result');
    }
  });
};
