/**
 * The open APIs: /user/profile (scope 1), /user/openidV2 (scope 3), /user/phoneAndEmail (4 or 6).
 * An unknown or expired token gets HTTP 200 and 96008; a token lacking the API's scope HTTP 403
 * and 96005 (OA_UNAUTHORIZED_CLIENT); missing `clientId` or `token` HTTP 200 and 96002; an
 * unknown `clientId` HTTP 200 and 96001.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';

import { noteCall } from '../call-log.js';
import { errorCodes, type SimulatorAccount, type SimulatorApp } from '../data.js';
import type { SimulatorStore } from '../store.js';
import { firstValues, guard } from '../web/guard.js';

import { passApiFaults } from './api-faults.js';

const openApiQuery = z.object({ clientId: z.string().optional(), token: z.string().optional() });

type Granted = { app: SimulatorApp; account: SimulatorAccount; has: (scope: string) => boolean };

const openApiError = (ctx: Context, status: number, code: number | string, description: string) => {
  ctx.status = status;
  ctx.body = { result: 'error', code, description };
};

const ok = (ctx: Context, data: Record<string, string>) => {
  ctx.body = { result: 'ok', code: 0, description: 'success', data };
};

const lacksScope = (ctx: Context, needed: string) => {
  openApiError(
    ctx,
    403,
    errorCodes.unauthorizedClient,
    `the access token lacks scope ${needed} needed by this API`,
  );
};

const sizedIcon = (icon: string, size: string): string => {
  try {
    const url = new URL(icon);
    url.searchParams.set('size', size);
    return url.href;
  } catch {
    return icon;
  }
};

export const openApiRoutes = (router: Router, store: SimulatorStore): void => {
  /** Faults, then the client and token checks; undefined when the request was answered. */
  const authenticate = async (ctx: Context): Promise<Granted | undefined> => {
    const { clientId, token } = guard(
      openApiQuery,
      firstValues(new URLSearchParams(ctx.querystring)),
      'query',
    );
    noteCall(ctx, { clientId });
    const faults = store.faults.get(clientId);
    if (!(await passApiFaults(ctx, store, faults))) {
      return undefined;
    }
    if (!clientId || !token) {
      openApiError(ctx, 200, errorCodes.invalidRequest, 'clientId and token are required');
      return undefined;
    }
    if (faults.profileTokenRejected) {
      // Xiaomi sends this code as a string.
      openApiError(ctx, 200, String(errorCodes.invalidToken), 'invalid token');
      return undefined;
    }
    const app = store.findApp(clientId);
    if (!app) {
      openApiError(ctx, 200, errorCodes.clientNotExists, 'client not exists');
      return undefined;
    }
    const grant = store.accessGrant(token);
    const account = store.findAccount(grant?.userId);
    if (!grant || grant.clientId !== clientId || grant.expiresAt < Date.now() || !account) {
      openApiError(ctx, 200, errorCodes.invalidToken, 'invalid token');
      return undefined;
    }
    return { app, account, has: (scope) => grant.scopes.includes(scope) };
  };

  router.get('/user/profile', async (ctx) => {
    const granted = await authenticate(ctx);
    if (!granted) {
      return;
    }
    if (!granted.has('1')) {
      lacksScope(ctx, '1');
      return;
    }
    const { account } = granted;
    const sized: Record<string, string> = account.icon
      ? {
          miliaoIcon_75: sizedIcon(account.icon, '75'),
          miliaoIcon_90: sizedIcon(account.icon, '90'),
          miliaoIcon_120: sizedIcon(account.icon, '120'),
          miliaoIcon_320: sizedIcon(account.icon, '320'),
          miliaoIcon_orig: sizedIcon(account.icon, 'orig'),
        }
      : {};
    ok(ctx, {
      unionId: account.unionId,
      miliaoNick: account.nickname,
      miliaoIcon: account.icon,
      ...sized,
      userId: account.userId,
    });
  });

  router.get('/user/openidV2', async (ctx) => {
    const granted = await authenticate(ctx);
    if (!granted) {
      return;
    }
    if (!granted.has('3')) {
      lacksScope(ctx, '3');
      return;
    }
    ok(ctx, { openid: store.openIdFor(granted.app, granted.account) });
  });

  router.get('/user/phoneAndEmail', async (ctx) => {
    const granted = await authenticate(ctx);
    if (!granted) {
      return;
    }
    const { account, has } = granted;
    if (!has('4') && !has('6')) {
      lacksScope(ctx, '4 or 6');
      return;
    }
    ok(ctx, { phone: has('4') ? account.phone : '', email: has('6') ? account.email : '' });
  });
};
