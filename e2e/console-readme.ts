/**
 * `npm run e2e:console-readme`: this package's README as Logto's admin Console shows it. On the
 * Logto LOGTO_HOME names (LOGTO_NODE, CHROMIUM_PATH, DB_URL as for e2e:logto), it installs the
 * packed package, starts Logto, creates the Console's first admin, adds the Xiaomi connector as an
 * admin would, opens "Check README" and saves the drawer's first screen (1440×900) and its text
 * under .tmp/console-readme/<time>/. It asserts no README content: it reports the headings the
 * drawer's first screen shows.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { launchChromium, openJourney } from './browser.js';
import { cleanUp, cleanUpOnSignals } from './cleanup.js';
import { connectorFactoryId } from './configure.js';
import { installPackedConnector } from './connector-install.js';
import {
  addXiaomiConnector,
  createFirstAdmin,
  openReadmeDrawer,
  visibleHeadings,
  visibleText,
} from './console-pages.js';
import { seedDatabase, startLogto } from './logto.js';
import { freePort } from './ports.js';
import { startDatabase, type Database } from './postgres.js';
import { packageRoot, readSettings, type Settings } from './settings.js';

const viewport = { width: 1440, height: 900 };

/** Obvious fake values: nothing here reaches Xiaomi. */
const admin = { username: 'console_admin', password: 'fake-e2e-Passw0rd-console' };
const xiaomiApp = { clientId: '2882303761517000001', clientSecret: 'fake-console-secret' };

/**
 * Offline, Logto's check of a new password against a public breach list fails, so the first admin
 * could not register: turned off in the admin tenant's sign-in experience (shared/logto-host.md).
 */
const allowOfflinePasswords = async (database: Database) =>
  database.psql(`
    update sign_in_experiences
      set password_policy = jsonb_set(password_policy, '{rejects}',
        coalesce(password_policy->'rejects', '{}'::jsonb) || '{"pwned": false}'::jsonb)
      where tenant_id = 'admin'`);

const capture = async (settings: Settings, outDir: string) => {
  const database = await startDatabase(settings.dbUrl);
  await seedDatabase(settings.logtoHome, settings.logtoNode, database.url);
  await allowOfflinePasswords(database);
  await installPackedConnector({ logtoHome: settings.logtoHome, packageRoot, workDir: outDir });
  const logto = await startLogto({
    port: await freePort(),
    home: settings.logtoHome,
    node: settings.logtoNode,
    dbUrl: database.url,
    logFile: path.join(outDir, 'logto.log'),
  });
  const browser = await launchChromium(settings.chromiumPath);
  const { page } = await openJourney(browser, { capture: [], viewport });
  await createFirstAdmin(page, logto.adminEndpoint, admin);
  const guide = path.join(outDir, 'connector-guide.png');
  await addXiaomiConnector(page, logto.adminEndpoint, {
    factoryId: connectorFactoryId,
    ...xiaomiApp,
    onGuide: async () => {
      await page.screenshot({ path: guide });
    },
  });
  const drawer = await openReadmeDrawer(page);
  const screenshot = path.join(outDir, 'readme-drawer.png');
  await page.screenshot({ path: screenshot });
  const text = path.join(outDir, 'readme-drawer.txt');
  writeFileSync(text, `${await visibleText(drawer)}\n`);
  return { screenshot, guide, text, headings: await visibleHeadings(drawer) };
};

const main = async (): Promise<number> => {
  cleanUpOnSignals();
  let settings: Settings;
  try {
    settings = await readSettings();
  } catch (error: unknown) {
    console.error(error instanceof Error ? error.message : error);
    return 2;
  }
  const outDir = path.join(
    packageRoot,
    '.tmp',
    'console-readme',
    new Date().toISOString().replace(/[:.]/g, '-'),
  );
  mkdirSync(outDir, { recursive: true });
  console.log(`e2e:console-readme: Logto ${settings.logtoLabel ?? settings.build.name}`);
  try {
    const { screenshot, guide, text, headings } = await capture(settings, outDir);
    console.log(
      `README drawer (first screen, ${viewport.width}×${viewport.height}): ${screenshot}`,
    );
    console.log(`its visible text: ${text}`);
    console.log(`the connector guide (README beside the form): ${guide}`);
    console.log(
      `headings in the drawer's first screen:\n${headings.map((h) => `  ${h}`).join('\n')}`,
    );
    return 0;
  } catch (error: unknown) {
    console.error(
      `FAIL: ${error instanceof Error ? error.message : String(error)} (see ${outDir})`,
    );
    return 1;
  } finally {
    await cleanUp();
  }
};

process.exit(await main());
