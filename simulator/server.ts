/**
 * A simulated Xiaomi account service on loopback. One base URL serves the account host paths
 * (`/oauth2/authorize`, `/oauth2/token`) and the open-API host paths (`/user/profile`,
 * `/user/openidV2`, `/user/phoneAndEmail`); each concern is a router in `routes/`, the Koa app is
 * put together in `app.ts`, the state lives in `store.ts`.
 *
 * Choices where Xiaomi's documents leave room are noted in each route file. Nothing is logged;
 * recorded calls keep the path only, never the query.
 */
import {
  createSampleAccounts,
  defaultSimulatorApp,
  type IssuedSecret,
  type SimulatorAccount,
  type SimulatorApp,
  type SimulatorCall,
  type SimulatorFaults,
} from './data.js';
import { createSimulatorApp } from './app.js';
import type { BackLink } from './back-link.js';
import { mintSdkCode, type SdkCodeRequest, type SdkCodeResult } from './sdk-code.js';
import { createStore } from './store.js';
import { closeServer, listen } from './web/listen.js';
import { allowedOrigins, linkHost, originOf } from './web/origins.js';

export { parseFaults } from './faults.js';

const xiaomiAccountOrigin = 'https://account.xiaomi.com';

export type XiaomiSimulator = {
  /** Where browsers and the connector reach it: built from the listen (or public) host. */
  baseUrl: string;
  port: number;
  /**
   * Replaces the simulator-wide faults, or one app's own when `clientId` is given (laid over the
   * wide ones for that app's requests only).
   */
  setFaults(faults: SimulatorFaults, clientId?: string): void;
  /** The simulator-wide faults, or what the app's requests meet when `clientId` is given. */
  faults(clientId?: string): SimulatorFaults;
  calls(): SimulatorCall[];
  /**
   * Every access token, refresh token and MAC key issued since the start (or the last reset): what
   * a test checks stays out of logs and stored data. Never print them.
   */
  issuedSecrets(): IssuedSecret[];
  /** Clears faults (every app's too), calls, issued secrets, codes, tokens and pending consents. */
  reset(): void;
  /**
   * A code as Xiaomi's Android SDK gets one on the phone, in-process: what
   * `POST /__simulator/sdk-code` answers (`{ code, state }`, or Xiaomi's `{ error, … }`).
   */
  sdkCode(request: SdkCodeRequest): SdkCodeResult;
  /** Registers an app while the simulator runs. */
  addApp(app: SimulatorApp): void;
  /** Unregisters an app and forgets its faults. */
  removeApp(clientId: string): void;
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
  /** The host put into links (avatars, baseUrl); default the listen host, for 0.0.0.0 a LAN address. */
  publicHost?: string;
  /** Default: `[defaultSimulatorApp]`. */
  apps?: SimulatorApp[];
  /** Default: the sample accounts of `createSampleAccounts`. */
  accounts?: SimulatorAccount[];
  /** Simulator-wide faults to start with. */
  faults?: SimulatorFaults;
  /** How long an authorization code lives; default 10 minutes, as Xiaomi's current documents say. */
  codeTtlMs?: number;
  /**
   * Also answer `union_id` (the profile's `unionId`) from the token endpoint. Xiaomi's documents do
   * not list it, but deployments have been seen sending it, and Logto's official connector
   * (`@logto/connector-xiaomi` 1.2.5) requires it. Default off.
   */
  tokenUnionId?: boolean;
  /** Called after each recorded call has been answered (or abandoned). */
  onCall?: (call: SimulatorCall) => void;
  /**
   * A local site that sends browsers here (the playground): an authorize error page for a request
   * whose redirect_uri is on one of its origins links back to `href` (real Xiaomi's has no link).
   */
  backLink?: BackLink;
};

export const startXiaomiSimulator = async (
  options: StartXiaomiSimulatorOptions = {},
): Promise<XiaomiSimulator> => {
  const host = options.host ?? '127.0.0.1';
  const store = createStore({
    apps: options.apps ?? [
      { ...defaultSimulatorApp, redirectUris: [...defaultSimulatorApp.redirectUris] },
    ],
    faults: options.faults,
    codeTtlMs: options.codeTtlMs ?? 10 * 60 * 1000,
    tokenUnionId: options.tokenUnionId,
    onCall: options.onCall,
  });

  // Known once the server listens; no request is handled before that.
  let baseUrl = '';
  let origins: string[] = [];
  const app = createSimulatorApp({
    store,
    baseUrl: () => baseUrl,
    ownOrigins: () => origins,
    backLink: options.backLink,
  });
  const { server, port } = await listen(app, options.port ?? 0, host);
  const publicHost = linkHost(host, options.publicHost);
  baseUrl = originOf(publicHost, port);
  // Also the origin it stands in for, when a browser is routed to it (as the e2e test routes
  // account.xiaomi.com): its consent page then posts from Xiaomi's origin.
  origins = [...allowedOrigins(host, publicHost, port), xiaomiAccountOrigin];
  store.accounts.push(...(options.accounts ?? createSampleAccounts(baseUrl)));

  return {
    baseUrl,
    port,
    apps: store.apps,
    accounts: store.accounts,
    setFaults: (faults, clientId) => store.faults.set(faults, clientId),
    faults: (clientId) => store.faults.get(clientId),
    calls: () => store.calls(),
    issuedSecrets: () => store.issuedSecrets(),
    reset: () => store.reset(),
    sdkCode: (request) => mintSdkCode(store, request),
    addApp(added) {
      store.apps.push(added);
    },
    removeApp(clientId) {
      const index = store.apps.findIndex((registered) => registered.clientId === clientId);
      if (index !== -1) {
        store.apps.splice(index, 1);
      }
      store.faults.forget(clientId);
    },
    async close() {
      if (store.closed) {
        return;
      }
      store.close();
      await closeServer(server);
    },
  };
};
