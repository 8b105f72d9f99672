/**
 * Loads the built connector the way Logto does, with `@logto/cli`'s own loader: package.json is
 * checked (the kit dependency and its version), `lib/index.js` is imported and its default export
 * becomes the connector factory; then the same file's `createXiaomiConnector` builds connectors
 * pointed at the simulator (or at Xiaomi) with an `onCall` hook for the timeline.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import {
  ConnectorType,
  type ConnectorMetadata,
  type CreateConnector,
  type GetConnectorConfig,
  type SocialConnector,
} from '@logto/connector-kit';
import { notImplemented } from '@logto/cli/lib/connector/consts.js';
import { loadConnector } from '@logto/cli/lib/connector/loader.js';
import {
  buildRawConnector,
  isKeyInObject,
  parseMetadata,
  validateConnectorModule,
} from '@logto/cli/lib/connector/utils.js';

import type { XiaomiConnectorOptions } from '../src/index.js';

export type MakeXiaomiConnector = (
  options?: XiaomiConnectorOptions,
) => CreateConnector<SocialConnector>;

export type LoadedConnector = {
  packageDir: string;
  packageName: string;
  packageVersion: string;
  /** Metadata as Logto shows it: the logo inlined as a data URL, the README read. */
  metadata: ConnectorMetadata;
  /** A social connector talking to the given endpoints, built through `buildRawConnector`. */
  build: (
    options: XiaomiConnectorOptions,
    getConfig: GetConnectorConfig,
  ) => Promise<SocialConnector>;
};

const isMakeXiaomiConnector = (value: unknown): value is MakeXiaomiConnector =>
  typeof value === 'function';

const readPackageJson = async (packageDir: string): Promise<{ name: string; version: string }> => {
  const parsed: unknown = JSON.parse(await readFile(path.join(packageDir, 'package.json'), 'utf8'));
  const name = isKeyInObject(parsed, 'name') && typeof parsed.name === 'string' ? parsed.name : '';
  const version =
    isKeyInObject(parsed, 'version') && typeof parsed.version === 'string' ? parsed.version : '';
  return { name, version };
};

export const loadXiaomiConnector = async (packageDir: string): Promise<LoadedConnector> => {
  const entry = path.join(packageDir, 'lib', 'index.js');
  if (!existsSync(entry)) {
    throw new Error(`${entry} does not exist: run \`npm run build\` first.`);
  }

  // Exactly Logto's steps (see @logto/cli's loadConnectorFactories).
  const createDefault = await loadConnector(packageDir, false);
  const probe = await createDefault({ getConfig: notImplemented });
  validateConnectorModule(probe);
  if (probe.type !== ConnectorType.Social) {
    throw new Error(`The connector in ${packageDir} is not a social connector.`);
  }
  const metadata = await parseMetadata(probe.metadata, packageDir);

  const loaded: unknown = await import(pathToFileURL(entry).href);
  const make = isKeyInObject(loaded, 'createXiaomiConnector')
    ? loaded.createXiaomiConnector
    : undefined;
  if (!isMakeXiaomiConnector(make)) {
    throw new Error(`${entry} does not export createXiaomiConnector.`);
  }
  const { name, version } = await readPackageJson(packageDir);

  return {
    packageDir,
    packageName: name,
    packageVersion: version,
    metadata,
    build: async (options, getConfig) => {
      const { rawConnector } = await buildRawConnector(
        {
          createConnector: make(options),
          path: packageDir,
          type: probe.type,
          metadata,
          configGuard: probe.configGuard,
        },
        getConfig,
      );
      return rawConnector;
    },
  };
};
