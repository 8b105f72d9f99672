/**
 * The README's packed.tarball install, run as written: the checksum check on a .sha256 file made the way
 * the release workflow makes it, and the commands that unpack the packed.tarball into a folder laid out
 * like a Logto install that still holds the official Xiaomi connector, which is then loaded with
 * Logto's loader. `/path/to/logto` is the only substitution.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { readPackageJson, root, usePackedPackage } from '../support/logto-loader.js';

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

/** `packed.packDir` holds the packed.tarball, as after a download from the release page. */
const packed = usePackedPackage('logto-packed.tarball-', 'downloads');

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
    bash(releaseChecksumLine ?? 'false', packed.packDir, {
      tarball: path.basename(packed.tarball),
    });
  });

  it('passes on the packed.tarball and the .sha256 file the release workflow makes', () => {
    expect(bash(checksum, packed.packDir)).toBe(`${path.basename(packed.tarball)}: OK\n`);
  });

  it('fails on a packed.tarball that differs by one byte', () => {
    const tampered = path.join(packed.workDir, 'tampered');
    mkdirSync(tampered);
    const bytes = readFileSync(packed.tarball);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
    writeFileSync(path.join(tampered, path.basename(packed.tarball)), bytes);
    writeFileSync(
      path.join(tampered, `${path.basename(packed.tarball)}.sha256`),
      readFileSync(`${packed.tarball}.sha256`),
    );
    expect(() => bash(checksum, tampered)).toThrow(/did NOT match/);
  });
});

describe('the README’s unpacking commands', () => {
  let installs = 0;
  const runInFreshInstall = (script: string) => {
    installs += 1;
    const install = makeLogtoInstall(path.join(packed.workDir, `logto-${installs}`), 'cli');
    bash(script.replaceAll(logtoPathPlaceholder, install.home), packed.packDir);
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
