/**
 * Installs the packed package the way `logto connector add` does (a tarball unpacked into a folder
 * with no node_modules of its own, resolving imports from the host's) and loads it with the code
 * Logto core runs: @logto/cli's connector loader. Once per connector kit a Logto release ships:
 * 4.0.0 (Logto 1.20), 4.7.0 (1.37), 5.0.0 (1.38) and the newest 5.x.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import {
  type ConnectorError,
  ConnectorErrorCodes,
  type ConnectorSession,
} from '@logto/connector-kit';
import nock from 'nock';
import { satisfies } from 'semver';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { mockClientId, mockCode, mockProfileData, xiaomiTokenBody } from '../../src/mock.js';
import {
  kitName,
  linkHostModules,
  loadAsLogto,
  packageJsonGuard,
  readPackageJson,
  replyXiaomi,
  usePackedPackage,
} from '../support/logto-loader.js';

/** What Logto 1.37.1 resolves each runtime dependency to (its pnpm-lock.yaml; kit 4.7.0). */
const logto1371Versions: Record<string, string> = {
  [kitName]: '4.7.0',
  ky: '1.2.3',
  'snakecase-keys': '8.0.1',
  zod: '3.24.3',
};
/** Each kit installed under an npm alias (package.json devDependencies), and the Logto shipping it. */
const hostKits = [
  { alias: 'connector-kit-4.0.0', logto: '1.20' },
  { alias: 'connector-kit-4.7.0', logto: '1.37' },
  { alias: 'connector-kit-5.0.0', logto: '1.38' },
  { alias: 'connector-kit-5-latest', logto: 'newest' },
];

/** The shape of a host kit's exports this test uses. */
const hostKitGuard = z.object({
  // z.custom, not z.function: zod would wrap the class in a validating function.
  ConnectorError: z.custom<typeof ConnectorError>((value) => typeof value === 'function'),
  ConnectorErrorCodes: z.object({
    NotImplemented: z.literal(ConnectorErrorCodes.NotImplemented),
    SocialAuthCodeInvalid: z.literal(ConnectorErrorCodes.SocialAuthCodeInvalid),
  }),
});

const packed = usePackedPackage('logto-hosts-');
let tarballFiles: string[] = [];

beforeAll(() => {
  tarballFiles = execFileSync('tar', ['-tzf', packed.tarball], { encoding: 'utf8' })
    .trim()
    .split('\n');
});

/** A Logto host: its node_modules (with the given kit as @logto/connector-kit) and the package. */
const makeHost = (kitAlias: string) => {
  const host = path.join(packed.workDir, kitAlias);
  linkHostModules(path.join(host, 'node_modules'), kitAlias);
  // Where Logto keeps connectors: packages/core/connectors/<folder>, no node_modules inside.
  const connectorDir = path.join(host, 'connectors', 'connector-xiaomi');
  mkdirSync(connectorDir, { recursive: true });
  execFileSync('tar', ['-xzf', packed.tarball, '-C', connectorDir, '--strip-components=1']);
  return {
    host,
    connectorDir,
    kitVersion: readPackageJson(path.join(host, 'node_modules', kitName)).version,
  };
};

/**
 * Logto's kit check (packages/cli/src/connector/loader.ts, the same from 1.20 to 1.42): the
 * connector's `dependencies` must name the kit with a range the host's kit version satisfies.
 */
const logtoKitCheck = (connectorDir: string, hostKitVersion: string) => {
  const range = readPackageJson(connectorDir).dependencies?.[kitName];
  if (range === undefined) {
    throw new Error(`Cannot find ${kitName} in connector's dependency`);
  }
  if (!range.startsWith('workspace:') && !satisfies(hostKitVersion, range)) {
    throw new Error(
      `Connector requires ${kitName} to be ${range}, but the version here is ${hostKitVersion}.`,
    );
  }
};

describe('the packed package', () => {
  it('ships lib, the logo, both READMEs and the changelog, and no node_modules or sources', () => {
    expect(tarballFiles).toEqual(
      expect.arrayContaining([
        'package/package.json',
        'package/lib/index.js',
        'package/logo.svg',
        'package/README.md',
        'package/README.zh-CN.md',
        'package/CHANGELOG.md',
      ]),
    );
    expect(tarballFiles.some((file) => file.includes('node_modules'))).toBe(false);
    expect(tarballFiles.some((file) => file.startsWith('package/src/'))).toBe(false);
  });

  it('imports only what Logto core provides: the kit, ky, snakecase-keys and zod', () => {
    const lib = execFileSync('tar', ['-xzOf', packed.tarball, 'package/lib/index.js'], {
      encoding: 'utf8',
    });
    const imported = [
      ...lib.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']/g),
      ...lib.matchAll(/\bimport\s*\(\s*["']([^"']+)["']\s*\)/g),
      ...lib.matchAll(/(?:^|\n)\s*import\s*["']([^"']+)["']/g),
    ].map((match) => match[1]);
    expect([...new Set(imported)].sort()).toEqual([kitName, 'ky', 'snakecase-keys', 'zod']);
  });

  it('declares exactly those as dependencies, each a range Logto 1.37.1’s own version satisfies', () => {
    const manifest = packageJsonGuard.parse(
      JSON.parse(
        execFileSync('tar', ['-xzOf', packed.tarball, 'package/package.json'], {
          encoding: 'utf8',
        }),
      ),
    );
    const dependencies = manifest.dependencies ?? {};
    expect(Object.keys(dependencies).sort()).toEqual(Object.keys(logto1371Versions).sort());
    for (const [name, version] of Object.entries(logto1371Versions)) {
      expect(satisfies(version, dependencies[name] ?? ''), `${name} ${version}`).toBe(true);
    }
  });
});

describe.each(hostKits)('in a Logto host with kit $alias (Logto $logto)', ({ alias }) => {
  let setup: ReturnType<typeof makeHost>;
  let hostKit: z.infer<typeof hostKitGuard>;

  beforeAll(async () => {
    setup = makeHost(alias);
    hostKit = hostKitGuard.parse(
      await import(
        pathToFileURL(path.join(setup.host, 'node_modules', kitName, 'lib/index.js')).href
      ),
    );
  });

  it('passes Logto’s kit version check and loads with its metadata parsed', async () => {
    expect(() => {
      logtoKitCheck(setup.connectorDir, setup.kitVersion);
    }).not.toThrow();
    const { metadata } = await loadAsLogto(setup.connectorDir);
    expect(metadata.id).toBe('xiaomi-universal');
    expect(metadata.target).toBe('xiaomi');
    expect(metadata.logo).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(metadata.readme).toContain('Xiaomi');
    expect(metadata.readme).not.toBe('./README.md');
  });

  it('signs in as Logto’s sign-in page calls it: state stripped, the session kept by core', async () => {
    const { connector } = await loadAsLogto(setup.connectorDir);
    const redirectUri = 'https://logto.example.com/callback/abc';
    let session: ConnectorSession = {};
    const authorizationUri = await connector.getAuthorizationUri(
      {
        state: 'host-state',
        redirectUri,
        connectorId: 'abc',
        connectorFactoryId: 'xiaomi-universal',
        jti: 'jti',
        headers: {},
      },
      async (value) => {
        session = value;
      },
    );
    expect(new URL(authorizationUri).searchParams.get('client_id')).toBe(mockClientId);
    replyXiaomi();
    const user = await connector.getUserInfo({ redirectUri, code: mockCode }, async () => session);
    expect(user).toMatchObject({ id: mockProfileData.unionId, name: mockProfileData.miliaoNick });
  });

  it('builds the authorization URL when the host has no session store (Management API)', async () => {
    const { connector } = await loadAsLogto(setup.connectorDir);
    const url = await connector.getAuthorizationUri(
      {
        state: 's',
        redirectUri: 'https://app.example.com/cb',
        connectorId: 'abc',
        connectorFactoryId: 'xiaomi-universal',
        jti: '',
        headers: {},
      },
      () => {
        // What @logto/cli's notImplemented does, with this host's kit.
        throw new hostKit.ConnectorError(hostKit.ConnectorErrorCodes.NotImplemented);
      },
    );
    expect(new URL(url).searchParams.get('state')).toBe('s');
  });

  it('throws errors that are instances of this host kit’s ConnectorError', async () => {
    const { connector } = await loadAsLogto(setup.connectorDir);
    nock('https://account.xiaomi.com')
      .post('/oauth2/token')
      .reply(200, xiaomiTokenBody({ error: 96013, error_description: 'code used' }));
    const failure = await connector
      .getUserInfo(
        { code: mockCode, redirectUri: 'https://logto.example.com/callback/abc' },
        async () => ({}),
      )
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(hostKit.ConnectorError);
    expect(failure).toMatchObject({ code: hostKit.ConnectorErrorCodes.SocialAuthCodeInvalid });
  });
});

describe('Logto’s kit check itself', () => {
  const packageWith = (dependencies: Record<string, string>) => {
    const dir = mkdtempSync(path.join(packed.workDir, 'pkg-'));
    writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify({ version: '1.0.0', dependencies }),
    );
    return dir;
  };

  it('skips a package asking for kit ^5 in Logto 1.37 (kit 4.7.0), as this package once did', () => {
    expect(() => {
      logtoKitCheck(packageWith({ [kitName]: '^5.0.0' }), '4.7.0');
    }).toThrow(
      'Connector requires @logto/connector-kit to be ^5.0.0, but the version here is 4.7.0.',
    );
  });

  it('skips a package that does not name the kit', () => {
    expect(() => {
      logtoKitCheck(packageWith({ zod: '3.24.3' }), '5.1.1');
    }).toThrow('Cannot find @logto/connector-kit');
  });
});
