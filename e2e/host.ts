/**
 * The host side of the run, each part a step of the report: a fresh database seeded by Logto's
 * CLI, the packed package in Logto's connectors folder, the simulated Xiaomi, Logto started with
 * its kit check on, the connector loaded, and Logto configured through the Management API.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { z } from 'zod';

import {
  createSampleAccounts,
  startXiaomiSimulator,
  type SimulatorApp,
  type XiaomiSimulator,
} from '../simulator/index.js';

import { accountCenterAccounts } from './account-center.js';
import {
  androidAccounts,
  mobileXiaomiApp,
  unconfiguredXiaomiApp,
  type NativeApp,
} from './android-app.js';
import { onCleanup } from './cleanup.js';
import { configureLogto, connectorFactoryId } from './configure.js';
import { installPackedConnector, type InstalledConnector } from './connector-install.js';
import { seedDatabase, startLogto, type Logto } from './logto.js';
import {
  clientCredentialsToken,
  createManagementApi,
  insertManagementApp,
  type ManagementApi,
} from './management-api.js';
import type { OidcApp } from './oidc-app.js';
import { freePort } from './ports.js';
import { startDatabase, type Database } from './postgres.js';
import type { Report } from './report.js';
import { callbackValueFor } from './readme-callback.js';
import { packageRoot, type Settings } from './settings.js';

/** The connector's id in this Logto (its Logto callback is /callback/<id>). */
const connectorId = 'xiaomie2e';

export type Host = {
  database: Database;
  installed: InstalledConnector;
  simulator: XiaomiSimulator;
  xiaomiApp: SimulatorApp;
  logto: Logto;
  api: ManagementApi;
  /** Where the admin's own page gets Xiaomi's answer when linking an identity. */
  adminRedirectUri: string;
};

export const setUpHost = async (
  settings: Settings,
  report: Report,
  runDir: string,
): Promise<Host | undefined> => {
  const database = await report.step('PostgreSQL: a fresh database', async () => {
    const value = await startDatabase(settings.dbUrl);
    const where = settings.dbUrl ? "on DB_URL's server" : 'throwaway Debian cluster, temp folder';
    return { detail: `${new URL(value.url).pathname.slice(1)} (${where})`, value };
  });
  if (!database) {
    return undefined;
  }
  const credentials = await report.step("Seed it with Logto's CLI (logto db seed)", async () => {
    await seedDatabase(settings.logtoHome, settings.logtoNode, database.url);
    return {
      detail:
        'seeded; a machine-to-machine app with the seeded "Logto Management API access" role added by SQL',
      value: await insertManagementApp(database),
    };
  });
  if (!credentials) {
    return undefined;
  }
  const installed = await report.step(
    'npm pack this package into packages/core/connectors/ (as `logto connector add`)',
    async () => {
      const value = await installPackedConnector({
        logtoHome: settings.logtoHome,
        packageRoot,
        workDir: runDir,
      });
      const aside = value.movedAside.length > 0 ? value.movedAside.join(', ') : 'none there';
      return {
        detail: `${value.name}@${value.version} unpacked, no node_modules; same-id connectors moved aside: ${aside}`,
        value,
      };
    },
  );
  if (!installed) {
    return undefined;
  }

  const port = await freePort();
  const adminRedirectUri = `http://127.0.0.1:${await freePort()}/admin/xiaomi-linked`;
  const xiaomiApp = await report.step(
    'Xiaomi app: register the Callback URL value README.md gives (Set up the Xiaomi app, the Callback URL step)',
    async (): Promise<{ detail: string; value: SimulatorApp }> => {
      // Xiaomi accepts a registered URI or a path below it (simulator/redirect-uri.ts enforces it).
      const callbackValue = callbackValueFor(packageRoot, `http://localhost:${port}`);
      return {
        detail: `Callback URL "${callbackValue}" (README's value for this Logto); and the admin's own page ${adminRedirectUri}; the Android app's Mobile/Tablet app ${mobileXiaomiApp.clientId} with its own redirect URL ${mobileXiaomiApp.redirectUris.join(';')}, and another Android app ${unconfiguredXiaomiApp.clientId} the connector is not configured for`,
        value: {
          clientId: '2882303761517000001',
          clientSecret: 'fake-e2e-secret',
          name: 'Logto e2e',
          redirectUris: [callbackValue, adminRedirectUri],
          allowedScopes: ['1', '3', '4', '6'],
        },
      };
    },
  );
  if (!xiaomiApp) {
    return undefined;
  }
  const simulator = await startXiaomiSimulator({
    apps: [xiaomiApp, mobileXiaomiApp, unconfiguredXiaomiApp],
    // Avatars under Xiaomi's host, which the browser routes to the simulator like the consent page.
    accounts: [
      ...createSampleAccounts('https://account.xiaomi.com'),
      ...accountCenterAccounts,
      ...Object.values(androidAccounts),
    ],
  });
  onCleanup('stop the Xiaomi simulator', async () => simulator.close());

  const kitCheck = settings.ignoreKitCheck ? 'OFF (diagnostics)' : 'on';
  const started = await report.step(
    `Start Logto ${settings.build.name} (kit ${settings.build.kitVersion}, kit check ${kitCheck}) with Xiaomi routed to the simulator`,
    async () => {
      const logto = await startLogto({
        port,
        home: settings.logtoHome,
        node: settings.logtoNode,
        dbUrl: database.url,
        simulatorUrl: simulator.baseUrl,
        logFile: path.join(runDir, 'logto.log'),
        ignoreKitCheck: settings.ignoreKitCheck,
      });
      const token = await clientCredentialsToken(logto.endpoint, credentials);
      return {
        detail: `${logto.endpoint} (pid ${logto.process.pid}, Node ${settings.nodeVersion}); Management API token obtained`,
        value: { logto, api: createManagementApi(logto.endpoint, token) },
      };
    },
  );
  if (!started) {
    return undefined;
  }
  return { database, installed, simulator, xiaomiApp, adminRedirectUri, ...started };
};

const declaredKitGuard = z.object({
  dependencies: z.record(z.string()).optional(),
});

/** Logto's loader (packages/cli/src/connector/loader.ts) refuses a kit range the host misses. */
export const checkConnectorLoaded = async (settings: Settings, report: Report, host: Host) =>
  report.step('Logto loads the packed connector with its kit check on', async () => {
    const declared =
      declaredKitGuard.parse(
        JSON.parse(readFileSync(path.join(host.installed.folder, 'package.json'), 'utf8')),
      ).dependencies?.['@logto/connector-kit'] ?? 'nothing';
    const versions = `package declares @logto/connector-kit ${declared}, Logto ${settings.build.version} ships ${settings.build.kitVersion}`;
    const factories = await host.api.connectorFactories();
    const skipped = host.logto.skippedConnectors();
    const found = factories.some(({ id }) => id === connectorFactoryId);
    if (!found) {
      throw new Error(
        `Logto did not load ${connectorFactoryId} (${versions}). Logto says: ${skipped.join(' / ') || 'nothing in its log'}`,
      );
    }
    if (settings.ignoreKitCheck) {
      // Never a pass, but the steps after it may run: they show what lies past the kit check.
      const warning = host.logto.kitMismatchWarnings()[0];
      return {
        detail: `kit check OFF (E2E_IGNORE_KIT_CHECK=1, diagnostics only; ${versions})${warning ? `; Logto warns: ${warning}` : ''}`,
        value: true,
        failed: true,
      };
    }
    return { detail: `${connectorFactoryId} loaded; ${versions}`, value: true };
  });

export const configureHost = async (report: Report, host: Host, appRedirectUri: string) =>
  report.step(
    'Configure Logto through the Management API (connector, sign-in experience, web and Android apps)',
    async (): Promise<{ detail: string; value: { app: OidcApp; nativeApp: NativeApp } }> => {
      const { done, ...apps } = await configureLogto({
        api: host.api,
        endpoint: host.logto.endpoint,
        connectorId,
        xiaomiApp: host.xiaomiApp,
        mobileXiaomiApp,
        appRedirectUri,
      });
      return { detail: done.join(', '), value: apps };
    },
  );

export { connectorId };
