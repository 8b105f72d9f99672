/**
 * A simulated Xiaomi account service on loopback. One base URL serves the account host paths
 * (`/oauth2/authorize`, `/oauth2/token`) and the open-API host paths (`/user/profile`,
 * `/user/openidV2`, `/user/phoneAndEmail`).
 *
 * Choices where Xiaomi's documents leave room:
 * - The token endpoint answers HTTP 200 for successes and errors alike, as text/plain:
 *   `&&&START&&&` followed by JSON.
 * - Open APIs answer an unknown/expired token with HTTP 200 and code 96008; a token lacking the
 *   scope an API needs with HTTP 403 and code 96005 (OA_UNAUTHORIZED_CLIENT); missing `clientId` or
 *   `token` with HTTP 200 and 96002; an unknown `clientId` with HTTP 200 and 96001.
 * - An authorize request without `scope` (or with an empty one) asks for all the app's scopes.
 * - Errors before the redirect URI is known to be good (unknown client, bad redirect URI) are shown
 *   as an error page (HTTP 400); later ones redirect to the redirect URI with `error`.
 * - A refresh must send a `redirect_uri` that matches one registered for the app; the old refresh
 *   token dies, the old access token lives on until it expires.
 * - Calls to `/__simulator/*` and `/avatars/*` are not recorded in `calls()`.
 * - Nothing is logged; recorded calls keep the path only, never the query.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

import {
  accessTokenLifetimeSeconds,
  createSampleAccounts,
  defaultSimulatorApp,
  errorCodes,
  faultFlags,
  scopeDescriptions,
  type ErrorCode,
  type SimulatorAccount,
  type SimulatorApp,
  type SimulatorCall,
  type SimulatorFaults,
} from './data.js';
import { avatarSvg, badGatewayPage, consentPage, errorPage, indexPage } from './html.js';
import { isRegisteredRedirectUri } from './redirect-uri.js';
import { BodyTooLarge, readBody } from './read-body.js';

export type XiaomiSimulator = {
  baseUrl: string;
  port: number;
  /** Replaces the active faults. */
  setFaults(faults: SimulatorFaults): void;
  faults(): SimulatorFaults;
  calls(): SimulatorCall[];
  /** Clears faults, calls, codes, tokens and pending consent requests. */
  reset(): void;
  close(): Promise<void>;
  /** The registered apps; may be changed while the simulator runs. */
  apps: SimulatorApp[];
  /** The sample accounts shown on the consent page; may be changed while the simulator runs. */
  accounts: SimulatorAccount[];
};

export type StartXiaomiSimulatorOptions = {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default: `[defaultSimulatorApp]`. */
  apps?: SimulatorApp[];
  /** Default: the sample accounts of `createSampleAccounts`. */
  accounts?: SimulatorAccount[];
  faults?: SimulatorFaults;
  /** How long an authorization code lives; default 5 minutes. */
  codeTtlMs?: number;
  /** Called after each recorded call has been answered (or abandoned). */
  onCall?: (call: SimulatorCall) => void;
};

type AuthorizationCode = {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  userId: string;
  expiresAt: number;
  used: boolean;
};

type AccessGrant = { clientId: string; userId: string; scopes: string[]; expiresAt: number };
type RefreshGrant = { clientId: string; userId: string; scopes: string[] };
type PendingConsent = {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state: string | null;
  expiresAt: number;
};

const accountCookie = 'xiaomi_sim_account';
const pendingConsentTtlMs = 30 * 60 * 1000;
const tokenPrefix = '&&&START&&&';

class BadRequest extends Error {}

/** Validates a faults object from an untrusted source (the HTTP switch). */
export const parseFaults = (input: unknown): SimulatorFaults => {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new BadRequest('faults must be a JSON object');
  }
  const faults: SimulatorFaults = {};
  for (const [key, value] of Object.entries(input)) {
    if (key === 'delayMs') {
      if (value === undefined || value === null) {
        continue;
      }
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw new BadRequest('delayMs must be a non-negative number');
      }
      faults.delayMs = value;
      continue;
    }
    const flag = faultFlags.find((name) => name === key);
    if (!flag) {
      throw new BadRequest(`unknown fault: ${key}`);
    }
    if (typeof value !== 'boolean') {
      throw new BadRequest(`${key} must be a boolean`);
    }
    faults[flag] = value;
  }
  return faults;
};

const isFormBody = (request: IncomingMessage): boolean =>
  (request.headers['content-type'] ?? '')
    .toLowerCase()
    .startsWith('application/x-www-form-urlencoded');

const parseCookies = (header: string | undefined): Map<string, string> => {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index > 0) {
      const name = part.slice(0, index).trim();
      const raw = part.slice(index + 1).trim();
      try {
        cookies.set(name, decodeURIComponent(raw));
      } catch {
        cookies.set(name, raw);
      }
    }
  }
  return cookies;
};

const safeEqual = (a: string, b: string): boolean => {
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  return timingSafeEqual(left, right);
};

const randomToken = (bytes: number): string => randomBytes(bytes).toString('base64url');

const withParams = (base: string, params: Record<string, string | null | undefined>): string => {
  const url = new URL(base);
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null) {
      url.searchParams.set(key, value);
    }
  }
  return url.href;
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

const commonHeaders = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
} as const;

const sendHtml = (response: ServerResponse, status: number, html: string): void => {
  response.writeHead(status, {
    ...commonHeaders,
    'content-type': 'text/html; charset=utf-8',
    'x-frame-options': 'DENY',
    'content-security-policy':
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:",
    'referrer-policy': 'no-referrer',
  });
  response.end(html);
};

const sendJson = (response: ServerResponse, status: number, body: unknown): void => {
  response.writeHead(status, {
    ...commonHeaders,
    'content-type': 'application/json; charset=utf-8',
  });
  response.end(JSON.stringify(body));
};

const redirect = (response: ServerResponse, location: string, cookie?: string): void => {
  response.writeHead(302, {
    ...commonHeaders,
    location,
    'referrer-policy': 'no-referrer',
    ...(cookie ? { 'set-cookie': cookie } : {}),
  });
  response.end();
};

type ScopeResult = { ok: true; scopes: string[] } | { ok: false; description: string };

const parseScopes = (raw: string | null, app: SimulatorApp): ScopeResult => {
  const requested = (raw ?? '').split(/\s+/).filter(Boolean);
  if (requested.length === 0) {
    return { ok: true, scopes: [...app.allowedScopes] };
  }
  const scopes = [...new Set(requested)];
  for (const scope of scopes) {
    if (!/^\d+$/.test(scope) || !(scope in scopeDescriptions)) {
      return { ok: false, description: `unknown scope: ${scope}` };
    }
    if (!app.allowedScopes.includes(scope)) {
      return { ok: false, description: `scope ${scope} is not granted to this app` };
    }
  }
  return { ok: true, scopes };
};

export const startXiaomiSimulator = async (
  options: StartXiaomiSimulatorOptions = {},
): Promise<XiaomiSimulator> => {
  const host = options.host ?? '127.0.0.1';
  const codeTtlMs = options.codeTtlMs ?? 5 * 60 * 1000;
  let faults: SimulatorFaults = parseFaults(options.faults ?? {});
  let calls: SimulatorCall[] = [];
  const codes = new Map<string, AuthorizationCode>();
  const accessTokens = new Map<string, AccessGrant>();
  const refreshTokens = new Map<string, RefreshGrant>();
  const pending = new Map<string, PendingConsent>();
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;

  // Filled in once the server listens; the handler only runs after that.
  let baseUrl = '';
  const apps: SimulatorApp[] = options.apps ?? [
    { ...defaultSimulatorApp, redirectUris: [...defaultSimulatorApp.redirectUris] },
  ];
  const accounts: SimulatorAccount[] = [];

  const findApp = (clientId: string | null): SimulatorApp | undefined =>
    clientId ? apps.find((app) => app.clientId === clientId) : undefined;
  const findAccount = (userId: string | undefined | null): SimulatorAccount | undefined =>
    userId ? accounts.find((account) => account.userId === userId) : undefined;

  const openIdFor = (app: SimulatorApp, account: SimulatorAccount): string =>
    createHash('sha256')
      .update(`${app.clientId}\n${account.openIdSeed}`)
      .digest('base64url')
      .slice(0, 28);

  const wait = async (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  /** Applies hang, delay and bad gateway; false when the request must not be answered further. */
  const passApiFaults = async (response: ServerResponse): Promise<boolean> => {
    const active = faults;
    if (active.hang) {
      // Never answer; the socket is closed with the server.
      return false;
    }
    if (active.delayMs && active.delayMs > 0) {
      await wait(active.delayMs);
    }
    if (closed || response.destroyed) {
      return false;
    }
    if (faults.badGateway) {
      response.writeHead(502, { ...commonHeaders, 'content-type': 'text/html; charset=utf-8' });
      response.end(badGatewayPage());
      return false;
    }
    return true;
  };

  const sendToken = (response: ServerResponse, body: Record<string, unknown>): void => {
    response.writeHead(200, { ...commonHeaders, 'content-type': 'text/plain; charset=utf-8' });
    response.end(`${tokenPrefix}${JSON.stringify(body)}`);
  };

  const tokenError = (response: ServerResponse, code: ErrorCode, description: string): void => {
    sendToken(response, { error: code, error_description: description });
  };

  const issueTokens = (
    response: ServerResponse,
    app: SimulatorApp,
    account: SimulatorAccount,
    scopes: string[],
  ): void => {
    const accessToken = `V3_${randomToken(32)}`;
    const refreshToken = `R3_${randomToken(32)}`;
    accessTokens.set(accessToken, {
      clientId: app.clientId,
      userId: account.userId,
      scopes,
      expiresAt: Date.now() + accessTokenLifetimeSeconds * 1000,
    });
    refreshTokens.set(refreshToken, { clientId: app.clientId, userId: account.userId, scopes });
    sendToken(response, {
      access_token: accessToken,
      expires_in: accessTokenLifetimeSeconds,
      refresh_token: refreshToken,
      scope: scopes.join(' '),
      token_type: 'mac',
      mac_key: randomToken(24),
      mac_algorithm: 'HmacSha1',
      openId: openIdFor(app, account),
    });
  };

  const issueCode = (
    consent: Omit<PendingConsent, 'expiresAt'>,
    account: SimulatorAccount,
  ): string => {
    const code = randomBytes(16).toString('hex').toUpperCase();
    codes.set(code, {
      clientId: consent.clientId,
      redirectUri: consent.redirectUri,
      scopes: consent.scopes,
      userId: account.userId,
      expiresAt: Date.now() + codeTtlMs,
      used: false,
    });
    return withParams(consent.redirectUri, { code, state: consent.state });
  };

  const rememberAccountCookie = (account: SimulatorAccount): string =>
    `${accountCookie}=${encodeURIComponent(account.userId)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000`;

  const redirectError = (
    response: ServerResponse,
    redirectUri: string,
    code: ErrorCode,
    description: string,
    state: string | null,
  ): void => {
    redirect(
      response,
      withParams(redirectUri, { error: String(code), error_description: description, state }),
    );
  };

  const handleAuthorize = (request: IncomingMessage, response: ServerResponse, url: URL): void => {
    const params = url.searchParams;
    const clientId = params.get('client_id');
    const redirectUri = params.get('redirect_uri');
    if (!clientId) {
      sendHtml(response, 400, errorPage(errorCodes.invalidRequest, 'client_id is missing.'));
      return;
    }
    const app = findApp(clientId);
    if (!app) {
      sendHtml(
        response,
        400,
        errorPage(
          errorCodes.clientNotExists,
          'No app with this App ID uses Xiaomi account sign-in.',
        ),
      );
      return;
    }
    if (!redirectUri) {
      sendHtml(response, 400, errorPage(errorCodes.invalidRequest, 'redirect_uri is missing.'));
      return;
    }
    if (
      faults.redirectUriNotRegistered ||
      !isRegisteredRedirectUri(redirectUri, app.redirectUris)
    ) {
      sendHtml(
        response,
        400,
        errorPage(
          errorCodes.invalidRedirectUri,
          'The redirect_uri does not match a callback URL registered for this app.',
        ),
      );
      return;
    }
    const state = params.get('state');
    if (params.get('response_type') !== 'code') {
      redirectError(
        response,
        redirectUri,
        errorCodes.unsupportedResponseType,
        'response_type must be code',
        state,
      );
      return;
    }
    const scopeResult = parseScopes(params.get('scope'), app);
    if (!scopeResult.ok) {
      redirectError(response, redirectUri, errorCodes.invalidScope, scopeResult.description, state);
      return;
    }
    const consent = { clientId, redirectUri, scopes: scopeResult.scopes, state };
    const remembered = findAccount(parseCookies(request.headers.cookie).get(accountCookie));
    if (params.get('skip_confirm') === 'true' && remembered) {
      redirect(response, issueCode(consent, remembered));
      return;
    }
    const now = Date.now();
    for (const [id, entry] of pending) {
      if (entry.expiresAt < now) {
        pending.delete(id);
      }
    }
    const requestId = randomToken(18);
    pending.set(requestId, { ...consent, expiresAt: Date.now() + pendingConsentTtlMs });
    sendHtml(
      response,
      200,
      consentPage({
        requestId,
        appName: app.name,
        clientId: app.clientId,
        redirectUri,
        scopes: scopeResult.scopes,
        accounts,
        selectedUserId: remembered?.userId,
      }),
    );
  };

  const handleDecision = async (
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> => {
    const form = new URLSearchParams(await readBody(request));
    const requestId = form.get('request') ?? '';
    const consent = pending.get(requestId);
    pending.delete(requestId);
    if (!consent || consent.expiresAt < Date.now()) {
      sendHtml(
        response,
        400,
        errorPage(
          errorCodes.invalidRequest,
          'This sign-in request is unknown or has expired. Start the sign-in again.',
        ),
      );
      return;
    }
    const decision = form.get('decision');
    if (decision === 'deny') {
      redirectError(
        response,
        consent.redirectUri,
        errorCodes.accessDenied,
        'The user denied the authorization request.',
        consent.state,
      );
      return;
    }
    const account = findAccount(form.get('account'));
    if (decision !== 'allow' || !account) {
      sendHtml(
        response,
        400,
        errorPage(errorCodes.invalidRequest, 'Choose an account and press Allow or Deny.'),
      );
      return;
    }
    redirect(response, issueCode(consent, account), rememberAccountCookie(account));
  };

  const handleToken = async (request: IncomingMessage, response: ServerResponse, url: URL) => {
    const params = new URLSearchParams(url.searchParams);
    if (request.method === 'POST' && isFormBody(request)) {
      for (const [key, value] of new URLSearchParams(await readBody(request))) {
        params.set(key, value);
      }
    }
    if (!(await passApiFaults(response))) {
      return;
    }
    const grantType = params.get('grant_type');
    const clientId = params.get('client_id');
    const clientSecret = params.get('client_secret');
    if (!grantType || !clientId || !clientSecret) {
      tokenError(
        response,
        errorCodes.invalidRequest,
        'grant_type, client_id and client_secret are required',
      );
      return;
    }
    const app = findApp(clientId);
    if (!app) {
      tokenError(response, errorCodes.clientNotExists, 'client not exists');
      return;
    }
    if (faults.wrongSecret || !safeEqual(clientSecret, app.clientSecret)) {
      tokenError(
        response,
        errorCodes.invalidClient,
        'invalid client: App ID and App Secret do not match',
      );
      return;
    }
    if (grantType === 'authorization_code') {
      const code = params.get('code');
      const redirectUri = params.get('redirect_uri');
      if (!code || !redirectUri) {
        tokenError(response, errorCodes.invalidRequest, 'code and redirect_uri are required');
        return;
      }
      if (faults.redirectUriNotRegistered) {
        tokenError(response, errorCodes.invalidRedirectUri, 'invalid redirect uri');
        return;
      }
      if (faults.codeAlreadyUsed) {
        tokenError(response, errorCodes.invalidCode, 'invalid code: already used');
        return;
      }
      const record = codes.get(code);
      if (!record || record.clientId !== clientId) {
        tokenError(response, errorCodes.invalidCode, 'invalid code');
        return;
      }
      if (record.used) {
        tokenError(response, errorCodes.invalidCode, 'invalid code: already used');
        return;
      }
      if (record.expiresAt < Date.now()) {
        codes.delete(code);
        tokenError(response, errorCodes.invalidCode, 'invalid code: expired');
        return;
      }
      if (record.redirectUri !== redirectUri) {
        tokenError(
          response,
          errorCodes.invalidRedirectUri,
          'redirect_uri differs from the one authorized',
        );
        return;
      }
      const account = findAccount(record.userId);
      if (!account) {
        tokenError(response, errorCodes.invalidCode, 'invalid code: account gone');
        return;
      }
      record.used = true;
      issueTokens(response, app, account, record.scopes);
      return;
    }
    if (grantType === 'refresh_token') {
      const refreshToken = params.get('refresh_token');
      const redirectUri = params.get('redirect_uri');
      if (!refreshToken || !redirectUri) {
        tokenError(
          response,
          errorCodes.invalidRequest,
          'refresh_token and redirect_uri are required',
        );
        return;
      }
      if (
        faults.redirectUriNotRegistered ||
        !isRegisteredRedirectUri(redirectUri, app.redirectUris)
      ) {
        tokenError(response, errorCodes.invalidRedirectUri, 'invalid redirect uri');
        return;
      }
      const grant = refreshTokens.get(refreshToken);
      const account = findAccount(grant?.userId);
      if (!grant || grant.clientId !== clientId || !account) {
        tokenError(response, errorCodes.invalidRefreshToken, 'invalid refresh token');
        return;
      }
      refreshTokens.delete(refreshToken);
      issueTokens(response, app, account, grant.scopes);
      return;
    }
    tokenError(response, errorCodes.unsupportedGrantType, `unsupported grant_type: ${grantType}`);
  };

  const openApiError = (
    response: ServerResponse,
    status: number,
    code: ErrorCode | string,
    description: string,
  ): void => {
    sendJson(response, status, { result: 'error', code, description });
  };

  type OpenApi = 'profile' | 'openidV2' | 'phoneAndEmail';

  const handleOpenApi = async (api: OpenApi, response: ServerResponse, url: URL): Promise<void> => {
    if (!(await passApiFaults(response))) {
      return;
    }
    const clientId = url.searchParams.get('clientId');
    const token = url.searchParams.get('token');
    if (!clientId || !token) {
      openApiError(response, 200, errorCodes.invalidRequest, 'clientId and token are required');
      return;
    }
    if (faults.profileTokenRejected) {
      openApiError(response, 200, String(errorCodes.invalidToken), 'invalid token');
      return;
    }
    const app = findApp(clientId);
    if (!app) {
      openApiError(response, 200, errorCodes.clientNotExists, 'client not exists');
      return;
    }
    const grant = accessTokens.get(token);
    const account = findAccount(grant?.userId);
    if (!grant || grant.clientId !== clientId || grant.expiresAt < Date.now() || !account) {
      openApiError(response, 200, errorCodes.invalidToken, 'invalid token');
      return;
    }
    const has = (scope: string) => grant.scopes.includes(scope);
    const ok = (data: Record<string, string>) =>
      sendJson(response, 200, { result: 'ok', code: 0, description: 'success', data });
    const lacksScope = (needed: string) =>
      openApiError(
        response,
        403,
        errorCodes.unauthorizedClient,
        `the access token lacks scope ${needed} needed by this API`,
      );
    if (api === 'profile') {
      if (!has('1')) {
        lacksScope('1');
        return;
      }
      const sized: Record<string, string> = account.icon
        ? {
            miliaoIcon_75: sizedIcon(account.icon, '75'),
            miliaoIcon_90: sizedIcon(account.icon, '90'),
            miliaoIcon_120: sizedIcon(account.icon, '120'),
            miliaoIcon_320: sizedIcon(account.icon, '320'),
            miliaoIcon_orig: sizedIcon(account.icon, 'orig'),
          }
        : {};
      ok({
        unionId: account.unionId,
        miliaoNick: account.nickname,
        miliaoIcon: account.icon,
        ...sized,
        userId: account.userId,
      });
      return;
    }
    if (api === 'openidV2') {
      if (!has('3')) {
        lacksScope('3');
        return;
      }
      ok({ openid: openIdFor(app, account) });
      return;
    }
    if (!has('4') && !has('6')) {
      lacksScope('4 or 6');
      return;
    }
    ok({ phone: has('4') ? account.phone : '', email: has('6') ? account.email : '' });
  };

  const handleAvatar = (response: ServerResponse, url: URL, userId: string): void => {
    const account = findAccount(userId);
    if (!account || !account.icon) {
      response.writeHead(404, { ...commonHeaders, 'content-type': 'text/plain; charset=utf-8' });
      response.end('no such avatar');
      return;
    }
    const sizeParam = url.searchParams.get('size');
    const parsed = sizeParam === 'orig' ? 512 : Number(sizeParam ?? '320');
    const size = Number.isFinite(parsed) ? Math.min(Math.max(Math.round(parsed), 16), 1024) : 320;
    response.writeHead(200, {
      'content-type': 'image/svg+xml',
      'cache-control': 'public, max-age=3600',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    });
    response.end(avatarSvg(account, size));
  };

  const handleFaults = async (request: IncomingMessage, response: ServerResponse) => {
    if (request.method === 'POST') {
      const text = await readBody(request);
      let parsed: unknown;
      try {
        parsed = text.trim() ? JSON.parse(text) : {};
      } catch {
        throw new BadRequest('body must be JSON');
      }
      faults = parseFaults(parsed);
    } else if (request.method !== 'GET') {
      sendJson(response, 405, { error: 'method not allowed' });
      return;
    }
    sendJson(response, 200, faults);
  };

  const route = async (request: IncomingMessage, response: ServerResponse, url: URL) => {
    const method = request.method ?? 'GET';
    const path = url.pathname;
    if (path === '/oauth2/authorize' && method === 'GET') {
      handleAuthorize(request, response, url);
      return;
    }
    if (path === '/oauth2/authorize/decision' && method === 'POST') {
      await handleDecision(request, response);
      return;
    }
    if (path === '/oauth2/token' && (method === 'GET' || method === 'POST')) {
      await handleToken(request, response, url);
      return;
    }
    const openApi = (['profile', 'openidV2', 'phoneAndEmail'] as const).find(
      (api) => path === `/user/${api}`,
    );
    if (openApi && method === 'GET') {
      await handleOpenApi(openApi, response, url);
      return;
    }
    const avatar = /^\/avatars\/([\w-]+)\.svg$/.exec(path);
    if (avatar?.[1] && method === 'GET') {
      handleAvatar(response, url, avatar[1]);
      return;
    }
    if (path === '/__simulator/faults') {
      await handleFaults(request, response);
      return;
    }
    if (path === '/' && method === 'GET') {
      sendHtml(response, 200, indexPage({ baseUrl, apps, accounts }));
      return;
    }
    sendJson(response, 404, { result: 'error', code: 404, description: 'not found' });
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', baseUrl);
    const at = Date.now();
    const started = performance.now();
    const recorded =
      !url.pathname.startsWith('/__simulator/') && !url.pathname.startsWith('/avatars/');
    if (recorded) {
      response.once('close', () => {
        const call: SimulatorCall = {
          at,
          method: request.method ?? 'GET',
          path: url.pathname,
          status: response.headersSent && response.writableFinished ? response.statusCode : 0,
          durationMs: Math.round((performance.now() - started) * 10) / 10,
        };
        calls.push(call);
        options.onCall?.(call);
      });
    }
    route(request, response, url).catch((error: unknown) => {
      if (response.headersSent || response.destroyed) {
        response.destroy();
        return;
      }
      if (error instanceof BadRequest || error instanceof BodyTooLarge) {
        sendJson(response, 400, { error: error.message });
        return;
      }
      sendJson(response, 500, { error: 'simulator failure' });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') {
    throw new Error('The simulator did not get a TCP address.');
  }
  const { port }: AddressInfo = address;
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  accounts.push(...(options.accounts ?? createSampleAccounts(baseUrl)));

  return {
    baseUrl,
    port,
    apps,
    accounts,
    setFaults(next) {
      faults = parseFaults(next);
    },
    faults: () => ({ ...faults }),
    calls: () => [...calls],
    reset() {
      faults = {};
      calls = [];
      codes.clear();
      accessTokens.clear();
      refreshTokens.clear();
      pending.clear();
    },
    async close() {
      if (closed) {
        return;
      }
      closed = true;
      for (const timer of timers) {
        clearTimeout(timer);
      }
      timers.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
};
