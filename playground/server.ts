/**
 * The connector playground: a small Node server that plays Logto's part in a Xiaomi sign-in.
 *
 *   npm start                       # against a simulated Xiaomi, no network needed
 *   XIAOMI_CLIENT_ID=… XIAOMI_CLIENT_SECRET=… PLAYGROUND_REDIRECT_URI=https://…/callback/xiaomi \
 *     npm start                     # against the real Xiaomi
 *
 * PORT (default 3000) and HOST (default 127.0.0.1) choose where it listens. Nothing is opened and
 * nothing secret is printed.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { networkInterfaces } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';

import {
  ConnectorError,
  type ConnectorSession,
  type SocialConnector,
  type SocialUserInfo,
  type TokenResponse,
} from '@logto/connector-kit';
import { isKeyInObject } from '@logto/cli/lib/connector/utils.js';

import {
  createSampleAccounts,
  defaultSimulatorApp,
  faultFlags,
  startXiaomiSimulator,
  type SimulatorFaults,
  type XiaomiSimulator,
} from '../simulator/index.js';
import type { XiaomiCall } from '../src/index.js';

import { loadXiaomiConnector, type LoadedConnector } from './connector.js';
import {
  indexPage,
  notFoundPage,
  resultPage,
  type HeaderInput,
  type Outcome,
  type PlaygroundMode,
  type PlaygroundSettings,
  type ShownError,
} from './pages.js';
import { readBody } from '../simulator/read-body.js';

export type RealXiaomiOptions = { clientId: string; clientSecret: string; redirectUri: string };

export type StartPlaygroundOptions = {
  /** Default 3000; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** When the port is busy, take a free one instead (simulator mode only). Default false. */
  portFallback?: boolean;
  /** Talk to the real Xiaomi with these credentials; otherwise a simulator is started. */
  real?: RealXiaomiOptions;
  /** Port of the simulator the playground starts; default 0 (a free one). */
  simulatorPort?: number;
  /** The connector package folder; default this repository. */
  packageDir?: string;
  /** Default connector timeout shown in the form; default 5000. */
  timeoutMs?: number;
};

export type Playground = {
  url: string;
  port: number;
  mode: PlaygroundMode;
  /** The callback URL on the listening address (simulator mode) or the real one. */
  callbackUrl: string;
  /** The simulated Xiaomi, in simulator mode. */
  simulator?: XiaomiSimulator;
  connectorId: string;
  close(): Promise<void>;
};

type BrowserSession = {
  settings: PlaygroundSettings;
  connectorSession?: ConnectorSession;
  outcome?: Outcome;
  refreshToken?: string;
  lastSeen: number;
};

const sessionCookie = 'xiaomi_playground_sid';
const maxSessions = 500;
const playgroundConnectorId = 'xiaomi-playground';
const simulatorCallbackPath = `/callback/${playgroundConnectorId}`;

const isLoopback = (host: string) => ['127.0.0.1', 'localhost', '::1'].includes(host);
const isWildcard = (host: string) => host === '0.0.0.0' || host === '::';

const lanAddresses = (): string[] =>
  Object.values(networkInterfaces())
    .flatMap((entries) => entries ?? [])
    .filter((entry) => entry.family === 'IPv4' && !entry.internal)
    .map((entry) => entry.address);

const formatHost = (host: string) => (host.includes(':') ? `[${host}]` : host);

const cookieValue = (header: string | undefined, name: string): string | undefined => {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) {
      return rest.join('=');
    }
  }
  return undefined;
};

const securityHeaders = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  // No script at all; images may come from Xiaomi's CDN or the simulator.
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src data: http: https:",
} as const;

const sendHtml = (response: ServerResponse, status: number, html: string, cookie?: string) => {
  response.writeHead(status, {
    ...securityHeaders,
    'content-type': 'text/html; charset=utf-8',
    ...(cookie ? { 'set-cookie': cookie } : {}),
  });
  response.end(html);
};

const seeOther = (response: ServerResponse, location: string, cookie?: string) => {
  response.writeHead(303, {
    ...securityHeaders,
    location,
    ...(cookie ? { 'set-cookie': cookie } : {}),
  });
  response.end();
};

const stringField = (data: unknown, key: string): string | undefined => {
  if (!isKeyInObject(data, key)) {
    return undefined;
  }
  const value = data[key];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
};

const toShownError = (error: unknown): ShownError => {
  if (error instanceof ConnectorError) {
    const { data } = error;
    return {
      code: error.code,
      isConnectorError: true,
      description:
        stringField(data, 'errorDescription') ??
        (typeof data === 'string' ? data : error.message || error.code),
      xiaomiCode: stringField(data, 'xiaomiCode'),
      data: data ?? null,
    };
  }
  if (error instanceof Error) {
    return { code: error.name, isConnectorError: false, description: error.message, data: null };
  }
  return { code: 'unknown', isConnectorError: false, description: String(error), data: null };
};

/** Secrets that must never appear in what Logto stores (user info) or logs (error data). */
const findLeaks = (
  places: Record<string, unknown>,
  secrets: Record<string, string | undefined>,
): string[] => {
  const leaks: string[] = [];
  for (const [place, value] of Object.entries(places)) {
    if (value === undefined) {
      continue;
    }
    const text = JSON.stringify(value) ?? '';
    for (const [name, secret] of Object.entries(secrets)) {
      if (secret && secret.length >= 4 && text.includes(secret)) {
        leaks.push(`${name} in ${place}`);
      }
    }
  }
  return leaks;
};

const clampTimeout = (value: number, fallback: number) =>
  Number.isFinite(value) && value > 0
    ? Math.min(Math.max(Math.round(value), 100), 120_000)
    : fallback;

const readFaults = (form: URLSearchParams): SimulatorFaults => {
  const faults: SimulatorFaults = {};
  for (const flag of faultFlags) {
    if (form.get(`fault.${flag}`) === 'true') {
      faults[flag] = true;
    }
  }
  const delay = Number(form.get('fault.delayMs') ?? '0');
  if (Number.isFinite(delay) && delay > 0) {
    faults.delayMs = Math.min(Math.round(delay), 120_000);
  }
  return faults;
};

const listen = async (server: Server, port: number, host: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });

const isAddressInUse = (error: unknown) =>
  isKeyInObject(error, 'code') && error.code === 'EADDRINUSE';

export const startPlayground = async (
  options: StartPlaygroundOptions = {},
): Promise<Playground> => {
  const host = options.host ?? '127.0.0.1';
  const mode: PlaygroundMode = options.real ? 'real' : 'simulator';
  const packageDir = options.packageDir ?? fileURLToPath(new URL('..', import.meta.url));
  const defaultTimeoutMs = options.timeoutMs ?? 5000;
  const connector: LoadedConnector = await loadXiaomiConnector(packageDir);

  const sessions = new Map<string, BrowserSession>();
  let simulator: XiaomiSimulator | undefined;
  let listeningOrigin = '';
  let defaultSettings: PlaygroundSettings;

  const realCallback = options.real ? new URL(options.real.redirectUri) : undefined;
  const callbackPath = realCallback?.pathname ?? simulatorCallbackPath;

  const header: HeaderInput = {
    mode,
    connectorName:
      connector.metadata.name.en ?? Object.values(connector.metadata.name)[0] ?? 'Xiaomi',
    logo: connector.metadata.logo,
  };

  /** The origin the browser used, when it is a sane host header; else the listening one. */
  const originOf = (request: IncomingMessage): string => {
    const hostHeader = request.headers.host ?? '';
    return /^[\w.-]+(:\d+)?$|^\[[\da-f:.]+\](:\d+)?$/i.test(hostHeader)
      ? `http://${hostHeader}`
      : listeningOrigin;
  };

  const callbackUrlFor = (request: IncomingMessage): string =>
    options.real ? options.real.redirectUri : `${originOf(request)}${simulatorCallbackPath}`;

  /** Where the browser and the connector reach the simulator. */
  const simulatorBaseFor = (request: IncomingMessage): string | undefined => {
    if (!simulator) {
      return undefined;
    }
    if (!isWildcard(host)) {
      return simulator.baseUrl;
    }
    const { hostname } = new URL(originOf(request));
    return `http://${hostname}:${simulator.port}`;
  };

  const sessionFor = (
    request: IncomingMessage,
  ): { id: string; session: BrowserSession; cookie?: string } => {
    const existingId = cookieValue(request.headers.cookie, sessionCookie);
    const existing = existingId ? sessions.get(existingId) : undefined;
    if (existingId && existing) {
      existing.lastSeen = Date.now();
      return { id: existingId, session: existing };
    }
    if (sessions.size >= maxSessions) {
      const oldest = [...sessions.entries()].sort((a, b) => a[1].lastSeen - b[1].lastSeen)[0];
      if (oldest) {
        sessions.delete(oldest[0]);
      }
    }
    const id = randomBytes(18).toString('base64url');
    const session: BrowserSession = { settings: { ...defaultSettings }, lastSeen: Date.now() };
    sessions.set(id, session);
    return {
      id,
      session,
      cookie: `${sessionCookie}=${id}; Path=/; HttpOnly; SameSite=Lax`,
    };
  };

  const buildConnector = async (
    request: IncomingMessage,
    settings: PlaygroundSettings,
    calls: XiaomiCall[],
  ): Promise<SocialConnector> => {
    const base = simulatorBaseFor(request);
    return connector.build(
      {
        ...(base ? { accountBaseUrl: base, openApiBaseUrl: base } : {}),
        timeoutMs: settings.timeoutMs,
        onCall: (call) => {
          calls.push(call);
        },
      },
      // What Logto's Console would store for this connector.
      async () => ({
        clientId: settings.clientId,
        clientSecret: settings.clientSecret,
        scope: settings.scope,
        skipConfirm: settings.skipConfirm,
        redirectUri: settings.redirectUri,
      }),
    );
  };

  const sendFaults = async (faults: SimulatorFaults): Promise<string | undefined> => {
    if (!simulator) {
      return undefined;
    }
    try {
      const response = await fetch(`${simulator.baseUrl}/__simulator/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(faults),
      });
      return response.ok
        ? undefined
        : `The simulator refused the faults (HTTP ${response.status}).`;
    } catch {
      return 'The simulator could not be reached to set the faults.';
    }
  };

  const handleSignIn = async (request: IncomingMessage, response: ServerResponse) => {
    const { session, cookie } = sessionFor(request);
    const form = new URLSearchParams(await readBody(request));
    const previous = session.settings;
    session.settings = {
      clientId: (form.get('clientId') ?? '').trim(),
      clientSecret: form.get('clientSecret') || previous.clientSecret,
      scope: form.get('scope') ?? '',
      skipConfirm: form.get('skipConfirm') === 'true',
      redirectUri: (form.get('redirectUri') ?? '').trim(),
      tokenStorage: form.get('tokenStorage') === 'true',
      timeoutMs: clampTimeout(Number(form.get('timeoutMs')), defaultTimeoutMs),
    };
    const faultProblem = await sendFaults(readFaults(form));

    const calls: XiaomiCall[] = [];
    const started = performance.now();
    const at = Date.now();
    try {
      if (faultProblem) {
        throw new Error(faultProblem);
      }
      const rawConnector = await buildConnector(request, session.settings, calls);
      session.connectorSession = undefined;
      const authorizationUri = await rawConnector.getAuthorizationUri(
        {
          state: randomBytes(12).toString('base64url'),
          redirectUri: callbackUrlFor(request),
          connectorId: playgroundConnectorId,
          connectorFactoryId: connector.metadata.id,
          jti: randomBytes(12).toString('base64url'),
          headers: { userAgent: request.headers['user-agent'] },
        },
        async (connectorSession) => {
          session.connectorSession = connectorSession;
        },
      );
      seeOther(response, authorizationUri, cookie);
    } catch (error: unknown) {
      session.outcome = {
        action: 'authorize',
        method: 'getAuthorizationUri',
        at,
        durationMs: Math.round(performance.now() - started),
        calls,
        error: toShownError(error),
      };
      seeOther(response, '/result', cookie);
    }
  };

  const handleCallback = async (request: IncomingMessage, response: ServerResponse, url: URL) => {
    const { session, cookie } = sessionFor(request);
    const query = Object.fromEntries(url.searchParams);
    const connectorSession = session.connectorSession;
    // Like Logto: the redirect URI this sign-in started with, next to the callback's query.
    const data = {
      ...query,
      redirectUri: connectorSession?.redirectUri ?? callbackUrlFor(request),
    };
    const getSession = async (): Promise<ConnectorSession> => {
      if (!connectorSession) {
        // What Logto core does when the interaction has no connector session.
        throw new Error('session.connector_session_not_found');
      }
      return connectorSession;
    };

    const { settings } = session;
    const calls: XiaomiCall[] = [];
    const started = performance.now();
    const at = Date.now();
    const method = settings.tokenStorage ? 'getTokenResponseAndUserInfo' : 'getUserInfo';
    let userInfo: SocialUserInfo | undefined;
    let tokenResponse: TokenResponse | undefined;
    let shownError: ShownError | undefined;
    try {
      const rawConnector = await buildConnector(request, settings, calls);
      if (settings.tokenStorage && rawConnector.getTokenResponseAndUserInfo) {
        const result = await rawConnector.getTokenResponseAndUserInfo(data, getSession);
        userInfo = result.userInfo;
        tokenResponse = result.tokenResponse;
      } else {
        userInfo = await rawConnector.getUserInfo(data, getSession);
      }
    } catch (error: unknown) {
      shownError = toShownError(error);
    }
    session.connectorSession = undefined;
    session.refreshToken = tokenResponse?.refresh_token;

    const shownQuery = { ...query, ...(query.code ? { code: `${query.code.slice(0, 4)}…` } : {}) };
    session.outcome = {
      action: 'sign-in',
      method,
      at,
      durationMs: Math.round(performance.now() - started),
      calls,
      callbackQuery: shownQuery,
      userInfo,
      tokenResponse,
      error: shownError,
      leaks: findLeaks(
        { 'user info': userInfo, 'error data': shownError?.data, 'call log': calls },
        {
          access_token: tokenResponse?.access_token,
          refresh_token: tokenResponse?.refresh_token,
          'App Secret': settings.clientSecret,
          'authorization code': query.code,
        },
      ),
    };
    seeOther(response, '/result', cookie);
  };

  const handleRefresh = async (request: IncomingMessage, response: ServerResponse) => {
    const { session, cookie } = sessionFor(request);
    const { settings, refreshToken } = session;
    if (!refreshToken) {
      seeOther(response, '/result', cookie);
      return;
    }
    const calls: XiaomiCall[] = [];
    const started = performance.now();
    const at = Date.now();
    let tokenResponse: TokenResponse | undefined;
    let shownError: ShownError | undefined;
    try {
      const rawConnector = await buildConnector(request, settings, calls);
      if (!rawConnector.getAccessTokenByRefreshToken) {
        throw new Error('The connector has no getAccessTokenByRefreshToken.');
      }
      tokenResponse = await rawConnector.getAccessTokenByRefreshToken(refreshToken);
      // Xiaomi's refresh tokens are single-use: keep the new one.
      session.refreshToken = tokenResponse.refresh_token ?? refreshToken;
    } catch (error: unknown) {
      shownError = toShownError(error);
    }
    session.outcome = {
      action: 'refresh',
      method: 'getAccessTokenByRefreshToken',
      at,
      durationMs: Math.round(performance.now() - started),
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
    seeOther(response, '/result', cookie);
  };

  const route = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', listeningOrigin);
    const method = request.method ?? 'GET';

    if (method === 'GET' && url.pathname === callbackPath) {
      await handleCallback(request, response, url);
      return;
    }
    if (method === 'GET' && url.pathname === '/') {
      const { session, cookie } = sessionFor(request);
      sendHtml(
        response,
        200,
        indexPage({
          header,
          connector: {
            id: connector.metadata.id,
            target: connector.metadata.target,
            packageName: connector.packageName,
            packageVersion: connector.packageVersion,
          },
          settings: session.settings,
          secretIsSet: session.settings.clientSecret !== '',
          faults: simulator?.faults(),
          simulatorUrl: simulatorBaseFor(request),
          callbackUrl: callbackUrlFor(request),
          hasResult: session.outcome !== undefined,
        }),
        cookie,
      );
      return;
    }
    if (method === 'POST' && url.pathname === '/sign-in') {
      await handleSignIn(request, response);
      return;
    }
    if (method === 'POST' && url.pathname === '/refresh') {
      await handleRefresh(request, response);
      return;
    }
    if (method === 'GET' && url.pathname === '/result') {
      const { session, cookie } = sessionFor(request);
      if (!session.outcome) {
        seeOther(response, '/', cookie);
        return;
      }
      sendHtml(
        response,
        200,
        resultPage({
          header,
          outcome: session.outcome,
          canRefresh: session.refreshToken !== undefined,
        }),
        cookie,
      );
      return;
    }
    if (url.pathname === '/favicon.ico') {
      response.writeHead(204);
      response.end();
      return;
    }
    sendHtml(response, 404, notFoundPage(header));
  };

  const server = createServer((request, response) => {
    route(request, response).catch(() => {
      if (!response.headersSent) {
        response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      }
      response.end('The playground failed on this request.');
    });
  });

  const wantedPort = options.port ?? 3000;
  try {
    await listen(server, wantedPort, host);
  } catch (error: unknown) {
    if (!(isAddressInUse(error) && options.portFallback && mode === 'simulator')) {
      throw error;
    }
    await listen(server, 0, host);
  }
  const address = server.address();
  if (address === null || typeof address === 'string') {
    throw new Error('The playground did not get a TCP address.');
  }
  const { port } = address;
  const shownHost = isWildcard(host) ? '127.0.0.1' : host;
  listeningOrigin = `http://${formatHost(shownHost)}:${port}`;

  if (options.real) {
    defaultSettings = {
      clientId: options.real.clientId,
      clientSecret: options.real.clientSecret,
      scope: '1 3',
      skipConfirm: false,
      redirectUri: options.real.redirectUri,
      tokenStorage: true,
      timeoutMs: defaultTimeoutMs,
    };
  } else {
    // The simulated app accepts this playground's callback on each address it can be reached at.
    const hosts = isWildcard(host)
      ? ['127.0.0.1', 'localhost', ...lanAddresses()]
      : isLoopback(host)
        ? ['127.0.0.1', 'localhost']
        : [host];
    const app = {
      ...defaultSimulatorApp,
      redirectUris: hosts.map((name) => `http://${formatHost(name)}:${port}/callback`),
    };
    try {
      simulator = await startXiaomiSimulator({
        port: options.simulatorPort ?? 0,
        host,
        apps: [app],
      });
    } catch (error: unknown) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
      });
      throw error;
    }
    if (isWildcard(host)) {
      const reachable = lanAddresses()[0] ?? '127.0.0.1';
      simulator.accounts.splice(
        0,
        simulator.accounts.length,
        ...createSampleAccounts(`http://${reachable}:${simulator.port}`),
      );
    }
    defaultSettings = {
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      scope: '1 3 4 6',
      skipConfirm: false,
      redirectUri: `${listeningOrigin}${simulatorCallbackPath}`,
      tokenStorage: true,
      timeoutMs: defaultTimeoutMs,
    };
  }

  return {
    url: listeningOrigin,
    port,
    mode,
    callbackUrl: options.real
      ? options.real.redirectUri
      : `${listeningOrigin}${simulatorCallbackPath}`,
    simulator,
    connectorId: playgroundConnectorId,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await simulator?.close();
    },
  };
};

const realOptionsFromEnv = (): RealXiaomiOptions | undefined => {
  const clientId = process.env.XIAOMI_CLIENT_ID ?? '';
  const clientSecret = process.env.XIAOMI_CLIENT_SECRET ?? '';
  const redirectUri = process.env.PLAYGROUND_REDIRECT_URI ?? '';
  const given = [clientId, clientSecret, redirectUri].filter(Boolean).length;
  if (given === 0) {
    return undefined;
  }
  if (given < 3) {
    throw new Error(
      'Real mode needs all of XIAOMI_CLIENT_ID, XIAOMI_CLIENT_SECRET and PLAYGROUND_REDIRECT_URI.',
    );
  }
  try {
    new URL(redirectUri);
  } catch {
    throw new Error('PLAYGROUND_REDIRECT_URI must be an absolute URL.');
  }
  return { clientId, clientSecret, redirectUri };
};

const main = async () => {
  const real = realOptionsFromEnv();
  const port = process.env.PORT ? Number(process.env.PORT) : 3000;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`PORT must be a port number, not ${process.env.PORT ?? ''}.`);
  }
  const playground = await startPlayground({
    port,
    host: process.env.HOST ?? '127.0.0.1',
    portFallback: true,
    real,
    simulatorPort: process.env.SIMULATOR_PORT ? Number(process.env.SIMULATOR_PORT) : 0,
  });
  if (playground.port !== port) {
    console.log(`Port ${port} is busy; using ${playground.port} instead.`);
  }
  console.log(`Xiaomi connector playground: ${playground.url}`);
  if (playground.simulator) {
    console.log(`Simulated Xiaomi:            ${playground.simulator.baseUrl}`);
  } else {
    console.log(`Real Xiaomi, callback URL:   ${playground.callbackUrl}`);
  }
  console.log('Press Ctrl+C to stop.');
  const stop = () => {
    void playground.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
};

const runAsMain =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;

if (runAsMain) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
