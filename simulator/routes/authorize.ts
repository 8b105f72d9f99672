/**
 * GET /oauth2/authorize (the consent page, or straight back with `skip_confirm` and a remembered
 * account) and POST /oauth2/authorize/decision (Allow or Deny). Errors before the redirect URI is
 * known to be good are shown as a page (HTTP 400); later ones go back to it with `error`.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';

import { backLinkFor, type BackLink } from '../back-link.js';
import { noteCall } from '../call-log.js';
import { errorCodes, type ErrorCode } from '../data.js';
import { consentPage, errorPage } from '../pages.js';
import { isRegisteredRedirectUri } from '../redirect-uri.js';
import { parseScopes } from '../scopes.js';
import type { Consent, SimulatorStore } from '../store.js';
import { firstValues, formOf, guard } from '../web/guard.js';

export const accountCookie = 'xiaomi_sim_account';

const authorizeQuery = z.object({
  client_id: z.string().optional(),
  redirect_uri: z.string().optional(),
  response_type: z.string().optional(),
  scope: z.string().optional(),
  state: z.string().optional(),
  skip_confirm: z.string().optional(),
});

const decisionForm = z.object({
  request: z.string().default(''),
  decision: z.string().optional(),
  account: z.string().optional(),
});

const withParams = (base: string, params: Record<string, string | null>): string => {
  const url = new URL(base);
  for (const [key, value] of Object.entries(params)) {
    if (value !== null) {
      url.searchParams.set(key, value);
    }
  }
  return url.href;
};

const showError = (ctx: Context, code: ErrorCode, description: string, back?: BackLink) => {
  ctx.status = 400;
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = errorPage(code, description, back);
};

const redirectError = (
  ctx: Context,
  consent: Pick<Consent, 'redirectUri' | 'state'>,
  code: ErrorCode,
  description: string,
) => {
  ctx.redirect(
    withParams(consent.redirectUri, {
      error: String(code),
      error_description: description,
      state: consent.state,
    }),
  );
};

export const authorizeRoutes = (
  router: Router,
  store: SimulatorStore,
  backLink?: BackLink,
): void => {
  const redirectWithCode = (ctx: Context, consent: Consent, userId: string) => {
    const account = store.findAccount(userId);
    if (!account) {
      return false;
    }
    const code = store.issueCode(consent, account);
    ctx.redirect(withParams(consent.redirectUri, { code, state: consent.state }));
    return true;
  };

  router.get('/oauth2/authorize', (ctx) => {
    const query = guard(authorizeQuery, firstValues(new URLSearchParams(ctx.querystring)), 'query');
    noteCall(ctx, { redirectUri: query.redirect_uri, clientId: query.client_id });
    const back = backLinkFor(backLink, query.redirect_uri);
    if (!query.client_id) {
      showError(ctx, errorCodes.invalidRequest, 'client_id is missing.', back);
      return;
    }
    const app = store.findApp(query.client_id);
    if (!app) {
      showError(
        ctx,
        errorCodes.clientNotExists,
        'No app with this App ID uses Xiaomi account sign-in.',
        back,
      );
      return;
    }
    const redirectUri = query.redirect_uri;
    if (!redirectUri) {
      showError(ctx, errorCodes.invalidRequest, 'redirect_uri is missing.');
      return;
    }
    if (
      store.faults.get(app.clientId).redirectUriNotRegistered ||
      !isRegisteredRedirectUri(redirectUri, app.redirectUris)
    ) {
      showError(
        ctx,
        errorCodes.invalidRedirectUri,
        'The redirect_uri does not match a callback URL registered for this app.',
        back,
      );
      return;
    }
    const state = query.state ?? null;
    if (query.response_type !== 'code') {
      redirectError(
        ctx,
        { redirectUri, state },
        errorCodes.unsupportedResponseType,
        'response_type must be code',
      );
      return;
    }
    const scopes = parseScopes(query.scope, app);
    if (!scopes.ok) {
      redirectError(ctx, { redirectUri, state }, errorCodes.invalidScope, scopes.description);
      return;
    }
    const consent: Consent = { clientId: app.clientId, redirectUri, scopes: scopes.scopes, state };
    const remembered = store.findAccount(ctx.cookies.get(accountCookie));
    if (query.skip_confirm === 'true' && remembered) {
      redirectWithCode(ctx, consent, remembered.userId);
      return;
    }
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = consentPage({
      requestId: store.startConsent(consent),
      appName: app.name,
      clientId: app.clientId,
      redirectUri,
      scopes: scopes.scopes,
      accounts: store.accounts,
      selectedUserId: remembered?.userId,
    });
  });

  router.post('/oauth2/authorize/decision', (ctx) => {
    const form = guard(decisionForm, firstValues(formOf(ctx)), 'form');
    const consent = store.takeConsent(form.request);
    if (!consent) {
      showError(
        ctx,
        errorCodes.invalidRequest,
        'This sign-in request is unknown or has expired. Start the sign-in again.',
      );
      return;
    }
    if (form.decision === 'deny') {
      redirectError(
        ctx,
        consent,
        errorCodes.accessDenied,
        'The user denied the authorization request.',
      );
      return;
    }
    if (
      form.decision !== 'allow' ||
      !form.account ||
      !redirectWithCode(ctx, consent, form.account)
    ) {
      showError(
        ctx,
        errorCodes.invalidRequest,
        'Choose an account and press Allow or Deny.',
        backLinkFor(backLink, consent.redirectUri),
      );
      return;
    }
    ctx.cookies.set(accountCookie, form.account, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      maxAge: 365 * 24 * 60 * 60 * 1000,
    });
  });
};
