/**
 * `npm run e2e:logto`: this package inside a real, built Logto (LOGTO_HOME), driven in Chromium as
 * an end user and through the Management API as an admin, with Xiaomi simulated. Prints a table
 * of steps and exits 0 only if every step passed. See e2e/README.md.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { z } from 'zod';

import { accountCenterAccounts, accountCenterSupport } from './account-center.js';
import { mobileXiaomiApp } from './android-app.js';
import { androidSupport } from './android-support.js';
import { createCamera, launchChromium } from './browser.js';
import { run } from './child.js';
import { cleanUp, cleanUpOnSignals } from './cleanup.js';
import { checkConnectorLoaded, configureHost, connectorId, setUpHost } from './host.js';
import { describeBuild } from './logto-build.js';
import { freePort } from './ports.js';
import { createReport, renderTable, writeReport, type Report } from './report.js';
import { accountCenterJourneys } from './steps/account-center.js';
import { adminLinksIdentity } from './steps/admin-link.js';
import { androidJourneys } from './steps/android.js';
import { secretsStayOut } from './steps/no-secrets.js';
import { contactSignIn, firstSignIn, refusedSignIn, secondSignIn } from './steps/sign-in.js';
import { parallelTokenReads, tokenRefresh, tokenStorageSignIn } from './steps/token-storage.js';
import { stepNames, type World } from './world.js';
import { packageRoot, readSettings, type Settings } from './settings.js';

const runScenario = async (world: World): Promise<void> => {
  const { report } = world;
  const [main, other, third] = world.simulator.accounts;
  if (!main || !other || !third) {
    throw new Error('the simulator has fewer than three sample accounts');
  }
  const first = await firstSignIn(world, main);
  if (first) {
    await secondSignIn(world, main, first.userId);
  } else {
    report.skip(stepNames.secondSignIn, 'needs sign-in 1');
  }
  await contactSignIn(world, third);
  await refusedSignIn(world, third);
  const stored = await tokenStorageSignIn(world, main);
  const refreshed = stored ? await tokenRefresh(world, main, stored) : undefined;
  if (!stored) {
    report.skip(stepNames.tokenRefresh, 'needs a stored token set');
  }
  if (stored && refreshed) {
    await parallelTokenReads(world, main, stored, refreshed);
  } else {
    report.skip(stepNames.tokenParallel, 'needs the refresh step');
  }
  await adminLinksIdentity(world, other);
  // Before the Account Center steps, which make sign-up ask for a username and a password.
  await androidJourneys(world);
  const [linked, replacement] = accountCenterAccounts;
  if (!linked || !replacement) {
    throw new Error('no Xiaomi accounts for the Account Center steps');
  }
  // The Xiaomi account of sign-in 1 is the one someone else already has.
  await accountCenterJourneys(world, { first: linked, second: replacement, taken: main });
  await secretsStayOut(world);
};

const runAll = async (settings: Settings, report: Report, runDir: string): Promise<void> => {
  const host = await setUpHost(settings, report, runDir);
  const loaded = host ? await checkConnectorLoaded(settings, report, host) : undefined;
  const appRedirectUri = `http://127.0.0.1:${await freePort()}/app/callback`;
  const apps = host && loaded ? await configureHost(report, host, appRedirectUri) : undefined;
  const browser = apps
    ? await report.step('Start Chromium', async () => ({
        detail: settings.chromiumPath,
        value: await launchChromium(settings.chromiumPath),
      }))
    : undefined;
  if (!host || !apps || !browser) {
    for (const name of Object.values(stepNames)) {
      report.skip(name, 'the set-up above failed');
    }
    return;
  }
  await runScenario({
    report,
    camera: createCamera(runDir),
    browser,
    simulator: host.simulator,
    database: host.database,
    api: host.api,
    app: apps.app,
    connectorId,
    xiaomiClientId: host.xiaomiApp.clientId,
    adminRedirectUri: host.adminRedirectUri,
    logtoLog: host.logto.log,
    secrets: new Map([
      [host.xiaomiApp.clientSecret, 'the App Secret'],
      [mobileXiaomiApp.clientSecret, "the Android app's App Secret"],
    ]),
    accountCenter: accountCenterSupport(settings),
    android: { app: apps.nativeApp, support: androidSupport(settings) },
  });
};

/** The package's name, version and commit (with a note when the work tree has changes). */
const packageRevision = async (): Promise<string> => {
  const { name, version } = z
    .object({ name: z.string(), version: z.string() })
    .parse(JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')));
  try {
    const commit = (
      await run('git', ['rev-parse', '--short', 'HEAD'], { cwd: packageRoot })
    ).trim();
    const dirty = (await run('git', ['status', '--porcelain'], { cwd: packageRoot })).trim();
    return `${name}@${version}, commit ${commit}${dirty ? ' + uncommitted changes' : ''}`;
  } catch {
    return `${name}@${version}`;
  }
};

const main = async (): Promise<number> => {
  cleanUpOnSignals();
  // A stray rejection (a browser call cut short by Ctrl-C) must not end the run before its cleanup.
  process.on('unhandledRejection', (reason) => {
    console.error('unhandled rejection:', reason instanceof Error ? reason.message : reason);
  });
  let settings: Settings;
  try {
    settings = await readSettings();
  } catch (error: unknown) {
    console.error(error instanceof Error ? error.message : error);
    return 2;
  }
  const runDir = path.join(settings.outDir, new Date().toISOString().replace(/[:.]/g, '-'));
  mkdirSync(runDir, { recursive: true });
  console.log(
    `e2e:logto: Logto ${settings.logtoLabel ?? settings.build.name} at ${settings.logtoHome}; output in ${runDir}`,
  );
  const report = createReport();
  const started = performance.now();
  try {
    await runAll(settings, report, runDir);
  } catch (error: unknown) {
    report.fail(
      'The run stopped unexpectedly',
      error instanceof Error ? error.message : String(error),
    );
  } finally {
    await cleanUp();
  }
  const header = {
    Logto: `${settings.logtoLabel ?? settings.build.name} (connector kit ${settings.build.kitVersion}) on Node ${settings.nodeVersion}`,
    'Logto build': describeBuild(settings.build),
    package: await packageRevision(),
    database: settings.dbUrl
      ? 'DB_URL server, fresh database'
      : 'throwaway Debian PostgreSQL cluster',
    date: new Date().toISOString(),
    'wall time': `${((performance.now() - started) / 1000).toFixed(1)} s`,
  };
  writeReport(runDir, report.results, header);
  console.log(`\n${renderTable(report.results)}\n`);
  const passed = report.allPassed();
  console.log(`${passed ? 'PASS' : 'FAIL'}: report and screenshots in ${runDir}`);
  return passed ? 0 : 1;
};

// Explicit exit: nothing the run started may keep the process alive after the report.
process.exit(await main());
