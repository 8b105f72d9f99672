/**
 * The three clients the bench compares. Each turns a fresh authorization code into the user's id
 * with the same two calls to Xiaomi: the code exchange and the profile.
 */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { loadConnector } from '@logto/cli/lib/connector/loader.js';
import {
  buildRawConnector,
  isKeyInObject,
  parseMetadata,
  validateConnectorModule,
} from '@logto/cli/lib/connector/utils.js';
import {
  ConnectorType,
  type ConnectorSession,
  type CreateConnector,
  type GetConnectorConfig,
  type SocialConnector,
} from '@logto/connector-kit';
import ky from 'ky';

import type { XiaomiConnectorOptions } from '../src/index.js';

export const clientNames = ['connector', 'minimal-ky', 'fetch'] as const;

export type ClientName = (typeof clientNames)[number];

/** One sign-in: a fresh code in, the user's id out. */
export type SignIn = (code: string) => Promise<string>;

/** Where the simulated Xiaomi is and the app the codes are minted for. */
export type XiaomiTarget = {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  state: string;
};

/** This package's folder, as Logto finds it among its connectors. */
export const defaultPackageDir = fileURLToPath(new URL('..', import.meta.url));

const tokenPrefix = '&&&START&&&';

type CreateXiaomiConnector = (options?: XiaomiConnectorOptions) => CreateConnector<SocialConnector>;

const isCreateXiaomiConnector = (value: unknown): value is CreateXiaomiConnector =>
  typeof value === 'function';

const notConfigured: GetConnectorConfig = async () => {
  throw new Error('Logto reads no config while it loads the connector factories.');
};

/**
 * The built package, loaded as Logto loads it: `loadConnector` checks package.json and imports
 * `lib/index.js`; its default export is called once for the metadata, as Logto does when it lists
 * its connector factories. The connector that signs in comes from the same `lib/index.js`, its
 * `createXiaomiConnector` pointed at the simulator, built by Logto's `buildRawConnector`.
 */
export const loadBuiltConnector = async (
  target: XiaomiTarget,
  { scope, packageDir = defaultPackageDir }: { scope?: string; packageDir?: string } = {},
): Promise<{ connector: SocialConnector; build: () => Promise<SocialConnector> }> => {
  const createDefault = await loadConnector(packageDir, false);
  const probe = await createDefault({ getConfig: notConfigured });
  validateConnectorModule(probe);
  if (probe.type !== ConnectorType.Social) {
    throw new Error(`expected a social connector, got ${probe.type}`);
  }
  const metadata = await parseMetadata(probe.metadata, packageDir);

  const lib: unknown = await import(pathToFileURL(join(packageDir, 'lib/index.js')).href);
  const create = isKeyInObject(lib, 'createXiaomiConnector') ? lib.createXiaomiConnector : null;
  if (!isCreateXiaomiConnector(create)) {
    throw new Error('lib/index.js does not export createXiaomiConnector');
  }
  const factory = {
    type: probe.type,
    metadata,
    configGuard: probe.configGuard,
    createConnector: create({ accountBaseUrl: target.baseUrl, openApiBaseUrl: target.baseUrl }),
    path: packageDir,
  };
  const config = {
    clientId: target.clientId,
    clientSecret: target.clientSecret,
    ...(scope !== undefined && { scope }),
  };
  const getConfig: GetConnectorConfig = async () => config;
  const build = async () => {
    const { rawConnector } = await buildRawConnector(factory, getConfig);
    return rawConnector;
  };
  return { connector: await build(), build };
};

/** The connector's sign-in: the session its getAuthorizationUri set, then getUserInfo. */
export const createConnectorSignIn = async (
  connector: SocialConnector,
  target: XiaomiTarget,
): Promise<SignIn> => {
  let stored: ConnectorSession = {};
  const authorizationUri = await connector.getAuthorizationUri(
    {
      state: target.state,
      redirectUri: target.redirectUri,
      connectorId: 'xiaomi-bench',
      connectorFactoryId: connector.metadata.id,
      jti: 'bench-interaction',
      headers: {},
    },
    async (session) => {
      stored = { ...session, connectorId: 'xiaomi-bench' };
    },
  );
  if (!authorizationUri.startsWith(`${target.baseUrl}/oauth2/authorize?`)) {
    throw new Error(`the connector does not authorize at the simulator: ${authorizationUri}`);
  }
  const session = stored;
  const getSession = async () => session;
  return async (code) => {
    const { id } = await connector.getUserInfo(
      { code, state: target.state, redirectUri: target.redirectUri },
      getSession,
    );
    return id;
  };
};

const stripTokenPrefix = (text: string) =>
  text.startsWith(tokenPrefix) ? text.slice(tokenPrefix.length) : text;

const field = (value: unknown, key: string): unknown =>
  typeof value === 'object' && value !== null ? Reflect.get(value, key) : undefined;

const stringAt = (value: unknown, ...path: string[]): string => {
  const found = path.reduce(field, value);
  if (typeof found !== 'string' || found === '') {
    throw new Error(`the answer has no ${path.join('.')}`);
  }
  return found;
};

const tokenForm = (target: XiaomiTarget, code: string) =>
  new URLSearchParams({
    client_id: target.clientId,
    client_secret: target.clientSecret,
    grant_type: 'authorization_code',
    code,
    redirect_uri: target.redirectUri,
  });

const urls = (target: XiaomiTarget) => ({
  token: `${target.baseUrl}/oauth2/token`,
  profile: `${target.baseUrl}/user/profile?clientId=${encodeURIComponent(target.clientId)}&token=`,
});

/** The same two requests with ky (its defaults) and nothing else. */
export const createMinimalKySignIn = (target: XiaomiTarget): SignIn => {
  const { token, profile } = urls(target);
  return async (code) => {
    const tokenText = await ky.post(token, { body: tokenForm(target, code) }).text();
    const accessToken = stringAt(JSON.parse(stripTokenPrefix(tokenText)), 'access_token');
    const profileText = await ky.get(profile + encodeURIComponent(accessToken)).text();
    return stringAt(JSON.parse(profileText), 'data', 'unionId');
  };
};

const fetchText = async (url: string, init?: RequestInit) => {
  const response = await fetch(url, init);
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`HTTP ${response.status}`);
  }
  return text;
};

/** The same two requests with Node's fetch. */
export const createFetchSignIn = (target: XiaomiTarget): SignIn => {
  const { token, profile } = urls(target);
  return async (code) => {
    const tokenText = await fetchText(token, { method: 'POST', body: tokenForm(target, code) });
    const accessToken = stringAt(JSON.parse(stripTokenPrefix(tokenText)), 'access_token');
    const profileText = await fetchText(profile + encodeURIComponent(accessToken));
    return stringAt(JSON.parse(profileText), 'data', 'unionId');
  };
};
