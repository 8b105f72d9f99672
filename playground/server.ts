/**
 * The connector playground: a small Koa server that plays Logto's part in a Xiaomi sign-in (its
 * sign-in page and its core), with the connector loaded the way Logto loads it.
 *
 *   npm start                       # against a simulated Xiaomi, no network needed
 *   XIAOMI_CLIENT_ID=… XIAOMI_CLIENT_SECRET=… PLAYGROUND_REDIRECT_URI=http://…:3000/callback/xiaomi \
 *     npm start                     # against the real Xiaomi (DEVELOPING.md, "Playground")
 *
 * PORT (default 3000) and HOST (default 127.0.0.1) choose where it listens; PUBLIC_HOST the name
 * links use (default HOST; for 0.0.0.0 the first LAN address). Nothing is opened and nothing
 * secret is printed.
 */
import { fileURLToPath } from 'node:url';

import { isKeyInObject } from '@logto/cli/lib/connector/utils.js';

import {
  defaultSimulatorApp,
  defaultSimulatorMobileApp,
  startXiaomiSimulator,
  type XiaomiSimulator,
} from '../simulator/index.js';
import { closeServer, listen } from '../simulator/web/listen.js';
import { allowedOrigins, linkHost, originOf } from '../simulator/web/origins.js';
import { signInCallbackUri } from '../test/support/logto-host/sign-in-page.js';

import { createPlaygroundApp } from './app.js';
import { loadXiaomiConnector } from './connector.js';
import type { PlaygroundDeps } from './deps.js';
import type { PlaygroundMode, PlaygroundSettings } from './pages/types.js';
import { createSessionStore, type SessionApps } from './session.js';

export type RealXiaomiOptions = { clientId: string; clientSecret: string; redirectUri: string };

export type StartPlaygroundOptions = {
  /** Default 3000; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The host put into links; default `host`, for 0.0.0.0 the first LAN address. */
  publicHost?: string;
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
  /** Where to open it: in real mode the callback URL's origin, where the session cookie must be. */
  url: string;
  /** Where it listens. */
  listenUrl: string;
  port: number;
  mode: PlaygroundMode;
  /** The callback URL on the listening address (simulator mode) or the real one. */
  callbackUrl: string;
  /** The simulated Xiaomi, in simulator mode. */
  simulator?: XiaomiSimulator;
  connectorId: string;
  close(): Promise<void>;
};

const simulatorConnectorId = 'xiaomi-playground';

/** Logto's callback URLs end in /callback/{connectorId}: the real one names the connector id. */
const connectorIdOf = (redirectUri: string): string => {
  const { origin, pathname } = new URL(redirectUri);
  const id = /^\/callback\/([^/]+)$/.exec(pathname)?.[1];
  if (!id) {
    throw new Error(
      `PLAYGROUND_REDIRECT_URI must end in /callback/{connector id}, as Logto’s callback URLs do, and be covered by a Callback URL registered for the app at Xiaomi (same scheme and port, that path or one above it). For example: register ${origin}/callback at Xiaomi and set PLAYGROUND_REDIRECT_URI=${origin}/callback/xiaomi. DEVELOPING.md, "Playground", says how that URL leads the browser back to this playground.`,
    );
  }
  return id;
};

const isAddressInUse = (error: unknown) =>
  isKeyInObject(error, 'code') && error.code === 'EADDRINUSE';

/** Each browser session's own simulated apps get the next of these App IDs. */
const appIds = (prefix: string) => {
  let next = 0;
  return () => `${prefix}${String(++next % 1_000_000).padStart(6, '0')}`;
};
const sessionAppIds = appIds('2882303761518');
const sessionMobileAppIds = appIds('2882303761519');

export const startPlayground = async (
  options: StartPlaygroundOptions = {},
): Promise<Playground> => {
  const host = options.host ?? '127.0.0.1';
  const { real } = options;
  const mode: PlaygroundMode = real ? 'real' : 'simulator';
  const packageDir = options.packageDir ?? fileURLToPath(new URL('..', import.meta.url));
  const defaultTimeoutMs = options.timeoutMs ?? 5000;
  const connector = await loadXiaomiConnector(packageDir);
  const connectorId = real ? connectorIdOf(real.redirectUri) : simulatorConnectorId;

  // Known once listening; requests only come after.
  let origin = '';
  let origins: string[] = [];
  let simulator: XiaomiSimulator | undefined;
  let defaultSettings: PlaygroundSettings | undefined;
  /** What a browser session starts with: the default settings with its own simulated apps. */
  const startSettings = ({
    appClientId,
    mobileAppClientId,
  }: SessionApps = {}): PlaygroundSettings => {
    if (!defaultSettings) {
      throw new Error('The playground is not ready yet.');
    }
    return {
      ...defaultSettings,
      ...(appClientId && { clientId: appClientId }),
      ...(mobileAppClientId && {
        mobileClientIds: mobileAppClientId,
        mobileClientSecrets: defaultSimulatorMobileApp.clientSecret,
      }),
    };
  };
  const deps: PlaygroundDeps = {
    connector,
    header: {
      mode,
      connectorName:
        connector.metadata.name.en ?? Object.values(connector.metadata.name)[0] ?? 'Xiaomi',
      logo: connector.metadata.logo,
    },
    connectorId,
    defaultTimeoutMs,
    origin: () => origin,
    callbackUrl: () => signInCallbackUri(origin, connectorId),
    simulator: () => simulator,
    startSettings,
  };

  const sessions = createSessionStore({
    create: () => {
      if (!simulator) {
        return { settings: startSettings() };
      }
      // This browser's own apps, web and mobile: its fault switches reach no other browser.
      const appClientId = sessionAppIds();
      const template = simulator.apps[0] ?? defaultSimulatorApp;
      simulator.addApp({ ...template, clientId: appClientId });
      const mobileAppClientId = sessionMobileAppIds();
      simulator.addApp({
        ...defaultSimulatorMobileApp,
        redirectUris: [...defaultSimulatorMobileApp.redirectUris],
        clientId: mobileAppClientId,
      });
      return {
        appClientId,
        mobileAppClientId,
        settings: startSettings({ appClientId, mobileAppClientId }),
      };
    },
    onDrop: (session) => {
      for (const clientId of [session.appClientId, session.mobileAppClientId]) {
        if (clientId) {
          simulator?.removeApp(clientId);
        }
      }
    },
  });
  const app = createPlaygroundApp({
    deps,
    sessions,
    ownOrigins: () => origins,
    canonicalHost: () => (simulator ? new URL(origin).host : undefined),
  });

  const wantedPort = options.port ?? 3000;
  const started = await listen(app, wantedPort, host).catch(async (error: unknown) => {
    if (!(isAddressInUse(error) && options.portFallback && mode === 'simulator')) {
      throw error;
    }
    return listen(app, 0, host);
  });
  const { server, port } = started;
  const publicHost = linkHost(host, options.publicHost);
  origins = allowedOrigins(host, publicHost, port);

  if (real) {
    // The browser comes back on the real callback URL: that is the sign-in page's origin.
    origin = new URL(real.redirectUri).origin;
    origins.push(origin);
    defaultSettings = {
      clientId: real.clientId,
      clientSecret: real.clientSecret,
      scope: '1 3',
      skipConfirm: false,
      skipWarmUp: false,
      redirectUri: real.redirectUri,
      mobileClientIds: '',
      mobileClientSecrets: '',
      tokenStorage: true,
      apiClient: false,
      timeoutMs: defaultTimeoutMs,
    };
  } else {
    origin = originOf(publicHost, port);
    const callbackBases = origins.map((allowed) => `${allowed}/callback`);
    try {
      simulator = await startXiaomiSimulator({
        port: options.simulatorPort ?? 0,
        host,
        publicHost,
        apps: [{ ...defaultSimulatorApp, redirectUris: callbackBases }],
        // Its error pages (96010 with "Redirect URI not registered") lead back to the start page.
        backLink: { origins, href: `${origin}/`, label: 'Back to the playground' },
      });
    } catch (error: unknown) {
      await closeServer(server);
      throw error;
    }
    defaultSettings = {
      clientId: defaultSimulatorApp.clientId,
      clientSecret: defaultSimulatorApp.clientSecret,
      scope: '1 3 4 6',
      skipConfirm: false,
      skipWarmUp: false,
      redirectUri: deps.callbackUrl(),
      mobileClientIds: '',
      mobileClientSecrets: '',
      tokenStorage: true,
      apiClient: false,
      timeoutMs: defaultTimeoutMs,
    };
  }

  return {
    url: origin,
    listenUrl: originOf(publicHost, port),
    port,
    mode,
    callbackUrl: deps.callbackUrl(),
    simulator,
    connectorId,
    async close() {
      sessions.dropAll();
      await closeServer(server);
      await simulator?.close();
    },
  };
};
