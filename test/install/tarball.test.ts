/**
 * The README's tarball install, run as written: the checksum check on a .sha256 file made the way
 * the release workflow makes it, and the commands that unpack the tarball into a folder laid out
 * like a Logto install that still holds the official Xiaomi connector, which is then loaded with
 * Logto's loader. `/path/to/logto` is the only substitution.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { packPackage, readPackageJson, root } from '../support/logto-loader.js';

import {
  expectThisXiaomiConnectorOnly,
  makeLogtoInstall,
  xiaomiFactories,
} from './logto-install.js';
import { commandLines, installCommands, logtoPathPlaceholder } from './readme-install.js';

const { name = '' } = readPackageJson(root);
const { byHand, checksum } = installCommands('README.md');
/** The line of release.yml that writes the .sha256 file attached to a GitHub release. */
const releaseChecksumLine = /^\s*(sha256sum .*)$/m.exec(
  readFileSync(path.join(root, '.github/workflows/release.yml'), 'utf8'),
)?.[1];

let workDir = '';
let downloads = '';
let tarball = '';

beforeAll(() => {
  workDir = mkdtempSync(path.join(tmpdir(), 'logto-tarball-'));
  downloads = path.join(workDir, 'downloads');
  mkdirSync(downloads);
  tarball = packPackage(downloads);
  nock.disableNetConnect();
}, 120_000);

afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  rmSync(workDir, { recursive: true, force: true });
});

const bash = (script: string, cwd: string, env: Record<string, string> = {}) =>
  execFileSync('bash', ['-euo', 'pipefail', '-c', script], {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    stdio: 'pipe',
  });

describe('the README’s checksum check', () => {
  beforeAll(() => {
    expect(releaseChecksumLine).toBeDefined();
    bash(releaseChecksumLine ?? 'false', downloads, { tarball: path.basename(tarball) });
  });

  it('passes on the tarball and the .sha256 file the release workflow makes', () => {
    expect(bash(checksum, downloads)).toBe(`${path.basename(tarball)}: OK\n`);
  });

  it('fails on a tarball that differs by one byte', () => {
    const tampered = path.join(workDir, 'tampered');
    mkdirSync(tampered);
    const bytes = readFileSync(tarball);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
    writeFileSync(path.join(tampered, path.basename(tarball)), bytes);
    writeFileSync(
      path.join(tampered, `${path.basename(tarball)}.sha256`),
      readFileSync(`${tarball}.sha256`),
    );
    expect(() => bash(checksum, tampered)).toThrow(/did NOT match/);
  });
});

describe('the README’s unpacking commands', () => {
  let installs = 0;
  const runInFreshInstall = (script: string) => {
    installs += 1;
    const install = makeLogtoInstall(path.join(workDir, `logto-${installs}`), 'cli');
    bash(script.replaceAll(logtoPathPlaceholder, install.home), downloads);
    return install;
  };

  it('leave Logto one Xiaomi connector, this package, and a user signs in through it', async () => {
    const { connectors } = runInFreshInstall(byHand);
    await expectThisXiaomiConnectorOnly(connectors);
  });

  it('without their `rm` line, leave Logto two Xiaomi connectors (what core refuses)', async () => {
    const withoutRemoval = byHand
      .split('\n')
      .filter((line) => !line.startsWith('rm '))
      .join('\n');
    expect(commandLines(withoutRemoval).length).toBe(commandLines(byHand).length - 1);
    const { connectors } = runInFreshInstall(withoutRemoval);
    const { xiaomi } = await xiaomiFactories(connectors);
    expect(xiaomi.map((factory) => factory.name).sort()).toEqual(['@logto/connector-xiaomi', name]);
  });
});
