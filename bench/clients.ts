/**
 * The clients the bench compares. Each turns a fresh authorization code into the user's id by
 * calling Xiaomi's real hosts (routed to the simulator by `route-xiaomi.ts`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadConnectorFactories } from '@logto/cli/lib/connector/factories.js';
import { buildRawConnector } from '@logto/cli/lib/connector/utils.js';
import { ConnectorType, type ConnectorSession, type SocialConnector } from '@logto/connector-kit';
// Logto's ky, as in logto-folder.ts: the minimal client runs on what the connectors run on.
import ky from 'ky-1.2.3';
import { z } from 'zod';

import { createLogtoFolder } from './logto-folder.js';
import type { SimulatorProcess } from './simulator.js';

/** One sign-in: a fresh code in, the user's id out. */
export type SignIn = (code: string) => Promise<string>;

/** `scope` is what the codes a client gets are minted for (and the connector's configured scope). */
export type Client = { name: string; scope: string; signIn: SignIn };

export const extrasScope = '1 3 4 6';

const state = 'bench-state';
const connectorId = 'xiaomi-bench';
export const packages = {
  connector: fileURLToPath(new URL('..', import.meta.url)),
  official: fileURLToPath(new URL('..', import.meta.resolve('@logto/connector-xiaomi'))),
};

/**
 * The connector's sign-in as Logto's core runs it: getAuthorizationUri keeps a session, the
 * callback's query plus the redirect URI go to getUserInfo with that session.
 */
export const signInWith = async (
  connector: SocialConnector,
  { redirectUri }: { redirectUri: string },
  accountBaseUrl = 'https://account.xiaomi.com',
): Promise<SignIn> => {
  let session: ConnectorSession = {};
  const uri = await connector.getAuthorizationUri(
    {
      state,
      redirectUri,
      connectorId,
      connectorFactoryId: connector.metadata.id,
      jti: 'bench',
      headers: {},
    },
    async (stored) => {
      session = { ...stored, connectorId };
    },
  );
  if (!uri.startsWith(`${accountBaseUrl}/oauth2/authorize?`)) {
    throw new Error(`${connector.metadata.id} does not authorize at ${accountBaseUrl}: ${uri}`);
  }
  return async (code) =>
    (await connector.getUserInfo({ code, state, redirectUri }, async () => session)).id;
};

/** Both packages in a Logto-like folder, through Logto's own loader, built as for a request. */
const loadConnectors = async (simulator: SimulatorProcess) => {
  const folder = createLogtoFolder();
  const installed = {
    official: folder.install('official', packages.official),
    connector: folder.install('connector-xiaomi', packages.connector),
  };
  const factories = await loadConnectorFactories(
    Object.entries(installed).map(([name, path]) => ({ name, path })),
    false,
  );
  const build = async (packageDir: string, scope: string) => {
    const factory = factories.find(({ path }) => path === packageDir);
    if (!factory) {
      throw new Error(`Logto did not load the connector in ${packageDir}`);
    }
    const config = { clientId: simulator.clientId, clientSecret: simulator.clientSecret, scope };
    const { rawConnector } = await buildRawConnector(factory, async () => config);
    if (rawConnector.type !== ConnectorType.Social) {
      throw new Error(`${packageDir} is not a social connector`);
    }
    return signInWith(rawConnector, simulator);
  };
  return { build, installed, remove: folder.remove };
};

const officialVersion = z
  .object({ version: z.string() })
  .parse(JSON.parse(readFileSync(join(packages.official, 'package.json'), 'utf8'))).version;

const tokenGuard = z.object({ access_token: z.string() });
const profileGuard = z.object({ data: z.object({ unionId: z.string() }) });

export type MinimalKyOptions = {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  accountBaseUrl: string;
  openApiBaseUrl: string;
  /** With the extras: openidV2 and phoneAndEmail beside the profile, as the connector calls them. */
  extras: boolean;
};

/**
 * The connector's calls made with ky (its defaults), and nothing else: the code exchange, then
 * the profile (with the extras, openidV2 and phoneAndEmail beside it, their answers read as JSON).
 */
export const minimalKy =
  (options: MinimalKyOptions): SignIn =>
  async (code) => {
    const { clientId, clientSecret, redirectUri, accountBaseUrl, openApiBaseUrl } = options;
    const body = new URLSearchParams({
      client_id: clientId,
      client_secret: clientSecret,
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
    });
    const text = await ky.post(`${accountBaseUrl}/oauth2/token`, { body }).text();
    const token = tokenGuard.parse(JSON.parse(text.replace('&&&START&&&', '')));
    const read = async (path: string) =>
      ky
        .get(`${openApiBaseUrl}${path}`, { searchParams: { clientId, token: token.access_token } })
        .json();
    const [profile] = await Promise.all([
      read('/user/profile'),
      ...(options.extras ? [read('/user/openidV2'), read('/user/phoneAndEmail')] : []),
    ]);
    return profileGuard.parse(profile).data.unionId;
  };

export const createClients = async (simulator: SimulatorProcess) => {
  const { build, installed, remove } = await loadConnectors(simulator);
  const client = async (name: string, packageDir: string, scope: string): Promise<Client> => ({
    name,
    scope,
    signIn: await build(packageDir, scope),
  });
  const minimal = (scope: string): Client => ({
    name: 'minimal ky',
    scope,
    signIn: minimalKy({
      ...simulator,
      accountBaseUrl: 'https://account.xiaomi.com',
      openApiBaseUrl: 'https://open.account.xiaomi.com',
      extras: scope === extrasScope,
    }),
  });
  return {
    clients: {
      official: await client(`official ${officialVersion}`, installed.official, '1'),
      connector: await client('connector', installed.connector, '1'),
      connectorExtras: await client('connector', installed.connector, extrasScope),
      minimalKy: minimal('1'),
      minimalKyExtras: minimal(extrasScope),
    },
    /** Deletes the Logto-like folder. */
    remove,
  };
};
