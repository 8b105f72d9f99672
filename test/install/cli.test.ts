/**
 * The README's CLI install, run as written: the real `npx @logto/cli connector remove|add` (the
 * CLI installed here as a devDependency, so npx needs no registry) on a folder laid out like a
 * Logto install that still holds the official Xiaomi connector, then every connector there loaded
 * with Logto's loader. `/path/to/logto` and `$PWD` (the folder holding the tarball) are the only
 * substitutions; npm talks to a registry on loopback that holds the packed package.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { normalizePackageName } from '@logto/cli/lib/commands/connector/utils.js';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { packPackage, readPackageJson, root } from '../support/logto-loader.js';

import {
  expectThisXiaomiConnectorOnly,
  makeLogtoInstall,
  xiaomiFactories,
} from './logto-install.js';
import { startNpmRegistry, type NpmRegistry } from './npm-registry.js';
import { commandLines, installCommands, logtoPathPlaceholder } from './readme-install.js';

const execFileAsync = promisify(execFile);
const { name = '', version } = readPackageJson(root);
const lines = commandLines(installCommands('README.md').cli);
const removals = lines.filter((line) => line.startsWith('npx @logto/cli connector remove '));
const adds = lines.filter((line) => line.startsWith('npx @logto/cli connector add '));
const fromTarball = adds.filter((line) => line.includes('.tgz'));

let workDir = '';
let registry: NpmRegistry;

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), 'logto-cli-'));
  registry = await startNpmRegistry(packPackage(workDir));
  nock.disableNetConnect();
}, 120_000);

afterAll(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  await registry.close();
  rmSync(workDir, { recursive: true, force: true });
});

let installs = 0;
const freshInstall = () => {
  installs += 1;
  return makeLogtoInstall(path.join(workDir, `logto-${installs}`), 'cli');
};

/** One README line in a shell, from this repository (where npx finds the CLI). */
const run = async (line: string, logtoHome: string) => {
  const command = line.replaceAll(logtoPathPlaceholder, logtoHome).replaceAll('$PWD', workDir);
  const { stdout, stderr } = await execFileAsync('bash', ['-euo', 'pipefail', '-c', command], {
    cwd: root,
    env: {
      ...process.env,
      npm_config_registry: registry.url,
      npm_config_cache: path.join(workDir, 'npm-cache'),
      npm_config_update_notifier: 'false',
    },
  });
  return `${stdout}${stderr}`;
};

describe('the README’s CLI commands', () => {
  it('are one removal of the official package and the ways to add this one', () => {
    expect(removals).toEqual([
      `npx @logto/cli connector remove @logto/connector-xiaomi --path ${logtoPathPlaceholder}`,
    ]);
    expect(adds.length).toBeGreaterThanOrEqual(2);
    expect(fromTarball).toHaveLength(1);
    expect([...removals, ...adds]).toEqual(lines);
  });

  it('add the package under a name Logto’s CLI keeps as it is (connector-*)', () => {
    // packages/cli/src/commands/connector/utils.ts: any other name gets `connector-` prepended.
    expect(normalizePackageName(name)).toBe(name);
    expect(adds).toContain(`npx @logto/cli connector add ${name} --path ${logtoPathPlaceholder}`);
  });
});

describe.each(adds)('after the removal step, `%s`', (add) => {
  it('leaves Logto one Xiaomi connector, this package, and a user signs in through it', async () => {
    const { home, connectors } = freshInstall();
    registry.requests.length = 0;
    for (const removal of removals) {
      await run(removal, home);
    }
    // The CLI exits 0 when an add fails; it says what it added.
    expect(await run(add, home)).toContain(`Added ${name} v${version}`);

    await expectThisXiaomiConnectorOnly(connectors);
    // By name, npm fetched the package from the registry; a tarball needs none.
    expect(registry.requests.includes(`GET /${name}`)).toBe(!add.includes('.tgz'));
  }, 60_000);
});

it('without the removal step, Logto finds two Xiaomi connectors (what core refuses)', async () => {
  const { home, connectors } = freshInstall();
  for (const add of fromTarball) {
    await run(add, home);
  }
  const { xiaomi } = await xiaomiFactories(connectors);
  expect(xiaomi.map((factory) => factory.name).sort()).toEqual(['@logto/connector-xiaomi', name]);
}, 60_000);
