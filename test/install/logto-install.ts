/**
 * Folders laid out like a Logto install that still holds Logto's official Xiaomi connector
 * (@logto/connector-xiaomi 1.2.5, the one Logto 1.41.0 ships), and every connector in one loaded
 * the way Logto core loads them at start.
 */
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { getConnectorPackagesFromDirectory } from '@logto/cli/lib/utils.js';
import { expect } from 'vitest';
import { z } from 'zod';

import { mockCode, mockProfileData } from '../../src/mock.js';
import {
  kitName,
  linkHostModules,
  loadAsLogto,
  readPackageJson,
  replyXiaomi,
  root,
} from '../support/logto-loader.js';

const officialPackage = path.join(root, 'node_modules', '@logto', 'connector-xiaomi');
/** The kit that stands in for Logto 1.41.0's 5.1.0 (the official connector asks for ^5.1.0). */
const kit = 'connector-kit-5-latest';

/**
 * - `cli`: what `npx @logto/cli init` leaves. `connector add --official` unpacks each official
 *   connector into packages/core/connectors/<name with / as -> (packages/cli/src/commands/connector/utils.ts).
 * - `image`: /etc/logto in Logto's Docker image. Its Dockerfile runs `pnpm cli connector link`, so
 *   packages/core/connectors/@logto-connector-xiaomi is a relative link to the workspace package
 *   packages/connectors/connector-xiaomi, which has node_modules of its own (commands/connector/link.ts).
 */
export type Layout = 'cli' | 'image';

export const makeLogtoInstall = (home: string, layout: Layout) => {
  const core = path.join(home, 'packages', 'core');
  const connectors = path.join(core, 'connectors');
  mkdirSync(connectors, { recursive: true });
  // What the CLI checks before it touches a folder (inquireInstancePath in packages/cli/src/utils.ts).
  writeFileSync(path.join(core, 'package.json'), JSON.stringify({ name: '@logto/core' }));
  linkHostModules(path.join(core, 'node_modules'), kit);
  const official = path.join(connectors, '@logto-connector-xiaomi');
  if (layout === 'cli') {
    cpSync(officialPackage, official, { recursive: true });
  } else {
    const workspacePackage = path.join(home, 'packages', 'connectors', 'connector-xiaomi');
    cpSync(officialPackage, workspacePackage, { recursive: true });
    // The image keeps the workspace's package.json, whose kit range Logto's loader does not check.
    const manifest = z
      .object({ dependencies: z.record(z.string()) })
      .passthrough()
      .parse(JSON.parse(readFileSync(path.join(workspacePackage, 'package.json'), 'utf8')));
    manifest.dependencies[kitName] = 'workspace:^';
    writeFileSync(path.join(workspacePackage, 'package.json'), JSON.stringify(manifest));
    linkHostModules(path.join(workspacePackage, 'node_modules'), kit);
    symlinkSync(path.relative(connectors, workspacePackage), official, 'dir');
  }
  return { home, connectors };
};

export type LoadedFactory = { id: string; name: string; version: string; folder: string };

/**
 * What Logto core does at start (packages/core/src/utils/connectors/index.ts, 1.41.0): every
 * connector package in packages/core/connectors, each loaded by @logto/cli's loader; one that fails
 * is skipped with `[load-connector] skip <name> due to error: …`.
 */
export const loadConnectorsAsLogto = async (connectors: string) => {
  const packages = await getConnectorPackagesFromDirectory(connectors);
  const factories: LoadedFactory[] = [];
  const skipped: string[] = [];
  for (const { name, path: folder } of packages) {
    try {
      const { metadata } = await loadAsLogto(folder);
      factories.push({ id: metadata.id, name, version: readPackageJson(folder).version, folder });
    } catch (error) {
      skipped.push(`skip ${name} due to error: ${String(error)}`);
    }
  }
  return { factories, skipped };
};

/**
 * After an install: the factories Logto finds with the Xiaomi id. Core refuses more than one
 * (`connector.more_than_one_connector_factory`).
 */
export const xiaomiFactories = async (connectors: string) => {
  const { factories, skipped } = await loadConnectorsAsLogto(connectors);
  return { xiaomi: factories.filter(({ id }) => id === 'xiaomi-universal'), skipped };
};

/** A sign-in through the connector in `folder`, Xiaomi played by nock: the user Logto gets. */
export const signInThrough = async (folder: string) => {
  const { connector } = await loadAsLogto(folder);
  replyXiaomi();
  return connector.getUserInfo(
    { code: mockCode, redirectUri: 'https://logto.example.com/callback/abc' },
    async () => ({}),
  );
};

/**
 * What every install way must leave: Logto finds one Xiaomi connector, this package (in
 * packages/core/connectors/connector-xiaomi), and a user signs in through it.
 */
export const expectThisXiaomiConnectorOnly = async (connectors: string) => {
  const { name, version } = readPackageJson(root);
  const folder = path.join(connectors, 'connector-xiaomi');
  const { xiaomi, skipped } = await xiaomiFactories(connectors);
  expect(skipped).toEqual([]);
  expect(xiaomi).toEqual([{ id: 'xiaomi-universal', name, version, folder }]);
  await expect(signInThrough(folder)).resolves.toMatchObject({
    id: mockProfileData.unionId,
    name: mockProfileData.miliaoNick,
  });
};
