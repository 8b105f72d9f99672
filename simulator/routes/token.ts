/**
 * /oauth2/token, GET or POST (a form body's fields win over the query's): code exchange and
 * refresh. Xiaomi answers successes and errors alike with HTTP 200, as text/plain: `&&&START&&&`
 * followed by JSON. A refresh must send a redirect URI registered for the app; the old refresh
 * token dies, the old access token lives on until it expires.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';

import { noteCall } from '../call-log.js';
import { errorCodes, type ErrorCode } from '../data.js';
import { isRegisteredRedirectUri } from '../redirect-uri.js';
import type { SimulatorStore } from '../store.js';
import { firstValues, formOf, guard } from '../web/guard.js';

import { passApiFaults } from './api-faults.js';

const tokenPrefix = '&&&START&&&';

const tokenParams = z.object({
  grant_type: z.string().optional(),
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
  code: z.string().optional(),
  redirect_uri: z.string().optional(),
  refresh_token: z.string().optional(),
});

const safeEqual = (a: string, b: string): boolean =>
  timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());

const sendToken = (ctx: Context, body: Record<string, unknown>) => {
  ctx.type = 'text/plain; charset=utf-8';
  ctx.body = `${tokenPrefix}${JSON.stringify(body)}`;
};

const tokenError = (ctx: Context, code: ErrorCode, description: string) => {
  sendToken(ctx, { error: code, error_description: description });
};

export const tokenRoutes = (router: Router, store: SimulatorStore): void => {
  const exchange = async (ctx: Context) => {
    const params = new URLSearchParams(ctx.querystring);
    for (const [key, value] of formOf(ctx)) {
      params.set(key, value);
    }
    const input = guard(tokenParams, firstValues(params), 'token request');
    noteCall(ctx, {
      redirectUri: input.redirect_uri,
      grantType: input.grant_type,
      clientId: input.client_id,
    });
    const faults = store.faults.get(input.client_id);
    if (!(await passApiFaults(ctx, store, faults))) {
      return;
    }
    const { grant_type: grantType, client_id: clientId, client_secret: clientSecret } = input;
    if (!grantType || !clientId || !clientSecret) {
      tokenError(
        ctx,
        errorCodes.invalidRequest,
        'grant_type, client_id and client_secret are required',
      );
      return;
    }
    const app = store.findApp(clientId);
    if (!app) {
      tokenError(ctx, errorCodes.clientNotExists, 'client not exists');
      return;
    }
    if (faults.wrongSecret || !safeEqual(clientSecret, app.clientSecret)) {
      tokenError(
        ctx,
        errorCodes.invalidClient,
        'invalid client: App ID and App Secret do not match',
      );
      return;
    }

    if (grantType === 'authorization_code') {
      const { code, redirect_uri: redirectUri } = input;
      if (!code || !redirectUri) {
        tokenError(ctx, errorCodes.invalidRequest, 'code and redirect_uri are required');
        return;
      }
      if (faults.redirectUriNotRegistered) {
        tokenError(ctx, errorCodes.invalidRedirectUri, 'invalid redirect uri');
        return;
      }
      if (faults.codeAlreadyUsed) {
        tokenError(ctx, errorCodes.invalidCode, 'invalid code: already used');
        return;
      }
      const record = store.code(code);
      if (!record || record.clientId !== clientId) {
        tokenError(ctx, errorCodes.invalidCode, 'invalid code');
        return;
      }
      if (record.used) {
        tokenError(ctx, errorCodes.invalidCode, 'invalid code: already used');
        return;
      }
      if (record.expiresAt < Date.now()) {
        store.dropCode(code);
        tokenError(ctx, errorCodes.invalidCode, 'invalid code: expired');
        return;
      }
      if (record.redirectUri !== redirectUri) {
        tokenError(
          ctx,
          errorCodes.invalidRedirectUri,
          'redirect_uri differs from the one authorized',
        );
        return;
      }
      const account = store.findAccount(record.userId);
      if (!account) {
        tokenError(ctx, errorCodes.invalidCode, 'invalid code: account gone');
        return;
      }
      record.used = true;
      sendToken(ctx, store.issueTokens(app, account, record.scopes));
      return;
    }

    if (grantType === 'refresh_token') {
      const { refresh_token: refreshToken, redirect_uri: redirectUri } = input;
      if (!refreshToken || !redirectUri) {
        tokenError(ctx, errorCodes.invalidRequest, 'refresh_token and redirect_uri are required');
        return;
      }
      if (
        faults.redirectUriNotRegistered ||
        !isRegisteredRedirectUri(redirectUri, app.redirectUris)
      ) {
        tokenError(ctx, errorCodes.invalidRedirectUri, 'invalid redirect uri');
        return;
      }
      const grant = store.refreshGrant(refreshToken);
      const account = store.findAccount(grant?.userId);
      if (!grant || grant.clientId !== clientId || !account) {
        tokenError(ctx, errorCodes.invalidRefreshToken, 'invalid refresh token');
        return;
      }
      store.dropRefreshToken(refreshToken);
      sendToken(ctx, store.issueTokens(app, account, grant.scopes));
      return;
    }

    tokenError(ctx, errorCodes.unsupportedGrantType, `unsupported grant_type: ${grantType}`);
  };

  router.get('/oauth2/token', exchange);
  router.post('/oauth2/token', exchange);
};
