/**
 * What the tests that put the packed package into a Logto share: packing it, Logto core's
 * node_modules played by links into this repository's, and loading a connector with the code Logto
 * core runs (@logto/cli's connector loader, the same from Logto 1.20 to 1.42).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ConnectorType, type SocialConnector } from '@logto/connector-kit';
import { loadConnector } from '@logto/cli/lib/connector/loader.js';
import {
  buildRawConnector,
  parseMetadata,
  validateConnectorModule,
} from '@logto/cli/lib/connector/utils.js';
import nock from 'nock';
import { afterAll, beforeAll } from 'vitest';
import { z } from 'zod';

import {
  mockConfig,
  mockProfileData,
  mockTokenSuccess,
  openApiOk,
  xiaomiTokenBody,
} from '../../src/mock.js';

export const root = path.resolve(import.meta.dirname, '../..');
export const kitName = '@logto/connector-kit';

/**
 * What Logto core has in its node_modules that a connector may import, besides the kit, and the
 * folder here that plays it: every Logto release from 1.20 to 1.42 locks ky at 1.2.3.
 */
export const hostDependencies: Record<string, string> = {
  ky: 'ky-1.2.3',
  zod: 'zod',
  'snakecase-keys': 'snakecase-keys',
  '@silverhand/essentials': '@silverhand/essentials',
};

export const packageJsonGuard = z.object({
  name: z.string().optional(),
  version: z.string(),
  dependencies: z.record(z.string()).optional(),
});
export const readPackageJson = (dir: string) =>
  packageJsonGuard.parse(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')));

/** `npm pack` of this repository into `destination`; returns the tarball's absolute path. */
export const packPackage = (destination: string) => {
  // `npm test` builds first; build here only when a test file runs on its own.
  if (!existsSync(path.join(root, 'lib/index.js'))) {
    execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
  }
  const packOutput = execFileSync(
    'npm',
    [
      'pack',
      '--json',
      '--ignore-scripts',
      '--pack-destination',
      destination,
      '--loglevel',
      'error',
    ],
    { cwd: root, encoding: 'utf8' },
  );
  const [packed] = z.array(z.object({ filename: z.string() })).parse(JSON.parse(packOutput));
  if (!packed) {
    throw new Error('npm pack produced nothing');
  }
  return path.join(destination, packed.filename);
};

/**
 * For one test file: a temp folder holding the packed package in its `packFolder` (the folder
 * itself when none is given), with nock refusing the network meanwhile: a connector reaching for
 * the real Xiaomi fails the test. All is removed after the file's tests.
 */
export const usePackedPackage = (prefix: string, packFolder = '') => {
  const packed = { workDir: '', packDir: '', tarball: '' };
  beforeAll(() => {
    packed.workDir = mkdtempSync(path.join(tmpdir(), prefix));
    packed.packDir = path.join(packed.workDir, packFolder);
    mkdirSync(packed.packDir, { recursive: true });
    packed.tarball = packPackage(packed.packDir);
    nock.disableNetConnect();
  }, 120_000);
  afterAll(() => {
    nock.cleanAll();
    nock.enableNetConnect();
    rmSync(packed.workDir, { recursive: true, force: true });
  });
  return packed;
};

/** Fills a Logto node_modules folder: the kit installed here as `kitAlias`, and Logto's other dependencies. */
export const linkHostModules = (nodeModules: string, kitAlias: string) => {
  const link = (name: string, folder: string) => {
    mkdirSync(path.dirname(path.join(nodeModules, name)), { recursive: true });
    symlinkSync(path.join(root, 'node_modules', folder), path.join(nodeModules, name), 'dir');
  };
  link(kitName, kitAlias);
  for (const [name, folder] of Object.entries(hostDependencies)) {
    if (existsSync(path.join(root, 'node_modules', folder))) {
      link(name, folder);
    }
  }
};

const isSocial = (connector: { type: string }): connector is SocialConnector =>
  connector.type === ConnectorType.Social;

/**
 * The steps of @logto/cli's loadConnectorFactories for one package, without its process-wide
 * cache, then the connector core builds from it with a stored config.
 */
export const loadAsLogto = async (connectorDir: string) => {
  const createConnector = await loadConnector(connectorDir, false);
  const probe = await createConnector({
    getConfig: async () => {
      throw new Error('not configured');
    },
  });
  validateConnectorModule(probe);
  const metadata = await parseMetadata(probe.metadata, connectorDir);
  const { rawConnector } = await buildRawConnector(
    {
      createConnector,
      path: connectorDir,
      type: probe.type,
      metadata,
      configGuard: probe.configGuard,
    },
    async () => ({ ...mockConfig }),
  );
  if (!isSocial(rawConnector)) {
    throw new Error('not a social connector');
  }
  return { metadata, connector: rawConnector };
};

/** Xiaomi's answers to one sign-in: the code exchange and the profile (nock). */
export const replyXiaomi = () => {
  nock('https://account.xiaomi.com')
    .post('/oauth2/token')
    .reply(200, xiaomiTokenBody(mockTokenSuccess));
  nock('https://open.account.xiaomi.com')
    .get('/user/profile')
    .query(true)
    .reply(200, openApiOk(mockProfileData));
};
