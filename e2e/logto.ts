/**
 * A built Logto (LOGTO_HOME) run by this test: seeded with Logto's own CLI, then core started on
 * Node 22 with its connector kit check on and the Xiaomi hosts routed to the simulator by a
 * preload. Stopped by its pid at the end.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { run, startDaemon, stopPid, type Daemon } from './child.js';
import { onCleanup } from './cleanup.js';
import { freePort } from './ports.js';

export type Logto = {
  endpoint: string;
  /** The admin tenant's origin, where the Console is served (/console). */
  adminEndpoint: string;
  process: Daemon;
  /** Logto's output so far, without colours. */
  log(): string;
  /** `[load-connector] skip …` lines: connectors Logto refused to load, with its reason. */
  skippedConnectors(): string[];
  /** The warning Logto's loader prints instead of refusing when the kit check is off. */
  kitMismatchWarnings(): string[];
};

const preload = pathToFileURL(
  path.join(path.dirname(fileURLToPath(import.meta.url)), 'preload', 'route-xiaomi.mjs'),
).href;

// eslint-disable-next-line no-control-regex
const stripColours = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');

/** The parts of a Logto installation (or built checkout) this test runs. */
export const logtoLayout = (home: string) => ({
  cli: path.join(home, 'packages', 'cli', 'bin', 'logto.js'),
  core: path.join(home, 'packages', 'core'),
  coreBuild: path.join(home, 'packages', 'core', 'build', 'index.js'),
  experience: path.join(home, 'packages', 'experience', 'dist'),
});

export const checkLogtoHome = (home: string): void => {
  const missing = Object.values(logtoLayout(home)).filter((file) => !existsSync(file));
  if (missing.length > 0) {
    throw new Error(
      `LOGTO_HOME=${home} is not a built Logto; missing: ${missing.join(', ')}. ` +
        'Install one with `npx @logto/cli init`, or build logto-io/logto (pnpm install, pnpm build).',
    );
  }
};

/** Variables that would switch the kit check off, removed from what Logto inherits. */
const checkBypasses = ['IGNORE_CONNECTOR_VERSION_CHECK', 'INTEGRATION_TEST'];

const childEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => {
  const env = { ...process.env };
  for (const name of checkBypasses) {
    delete env[name];
  }
  return { ...env, ...extra };
};

export const seedDatabase = async (home: string, node: string, dbUrl: string): Promise<void> => {
  // --swe: skip when already seeded (never the case here: the database is new).
  await run(node, [logtoLayout(home).cli, 'db', 'seed', '--swe'], {
    cwd: home,
    env: childEnv({ DB_URL: dbUrl }),
  });
};

const waitForStatus = async (endpoint: string, daemon: Daemon, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (daemon.hasExited()) {
      throw new Error(
        `Logto exited while starting:\n${stripColours(daemon.output()).slice(-3000)}`,
      );
    }
    try {
      const response = await fetch(`${endpoint}/api/status`);
      if (response.status === 204) {
        return;
      }
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`Logto did not answer ${endpoint}/api/status within ${timeoutMs / 1000} s`);
};

export const startLogto = async ({
  port,
  home,
  node,
  dbUrl,
  simulatorUrl,
  logFile,
  ignoreKitCheck = false,
}: {
  /** Chosen before the simulator starts: Xiaomi's app registration names Logto's callback URL. */
  port: number;
  home: string;
  node: string;
  dbUrl: string;
  /** Where the preload sends Logto's calls to Xiaomi; without it they are not routed. */
  simulatorUrl?: string;
  logFile: string;
  /** Diagnostics only: lets a run see what happens past a kit mismatch. Never a passing run. */
  ignoreKitCheck?: boolean;
}): Promise<Logto> => {
  const adminPort = await freePort();
  const endpoint = `http://localhost:${port}`;
  const daemon = startDaemon(node, ['--import', preload, '.'], {
    cwd: logtoLayout(home).core,
    logFile,
    env: childEnv({
      NODE_ENV: 'production',
      DB_URL: dbUrl,
      PORT: String(port),
      ADMIN_PORT: String(adminPort),
      ENDPOINT: endpoint,
      // Token storage needs a key to encrypt the stored token sets with.
      SECRET_VAULT_KEK: randomBytes(32).toString('base64'),
      ...(simulatorUrl && { XIAOMI_SIMULATOR_URL: simulatorUrl }),
      // Logto gives PostgreSQL 5 s to accept a connection; a busy shared machine can need more.
      DATABASE_CONNECTION_TIMEOUT: '30000',
      ...(ignoreKitCheck && { IGNORE_CONNECTOR_VERSION_CHECK: '1' }),
    }),
  });
  onCleanup(`stop Logto (pid ${daemon.pid})`, async () => {
    await stopPid(daemon.pid);
    await daemon.exited;
  });
  await waitForStatus(endpoint, daemon, 90_000);
  const log = () => stripColours(daemon.output());
  return {
    endpoint,
    adminEndpoint: `http://localhost:${adminPort}`,
    process: daemon,
    log,
    skippedConnectors: () =>
      log()
        .split('\n')
        .filter((line) => line.includes('[load-connector] skip')),
    kitMismatchWarnings: () =>
      log()
        .split('\n')
        .filter((line) => line.includes('Connector requires @logto/connector-kit')),
  };
};
