/**
 * Installs the packed package the way `logto connector add` does (a tarball unpacked into a folder
 * with no node_modules of its own, resolving imports from the host's) and loads it with the code
 * Logto core runs: @logto/cli's connector loader.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import type { SocialConnector } from '@logto/connector-kit';
import { loadConnectorFactories } from '@logto/cli/lib/connector/factories.js';
import { buildRawConnector } from '@logto/cli/lib/connector/utils.js';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

import {
  mockClientId,
  mockConfig,
  mockProfileData,
  mockRedirectUri,
  mockTokenSuccess,
  openApiOk,
  xiaomiTokenBody,
} from '../../src/mock.js';

const root = path.resolve(import.meta.dirname, '../..');
/** What Logto core has in its node_modules that a connector may import. */
const hostDependencies = [
  '@logto/connector-kit',
  'ky',
  'zod',
  'snakecase-keys',
  '@silverhand/essentials',
];

let host = '';
let connectorDir = '';
let tarballFiles: string[] = [];

beforeAll(() => {
  host = mkdtempSync(path.join(tmpdir(), 'logto-host-'));
  for (const name of hostDependencies) {
    const target = path.join(root, 'node_modules', name);
    if (existsSync(target)) {
      mkdirSync(path.dirname(path.join(host, 'node_modules', name)), { recursive: true });
      symlinkSync(target, path.join(host, 'node_modules', name), 'dir');
    }
  }
  // `npm test` builds first; build here only when run on its own.
  if (!existsSync(path.join(root, 'lib/index.js'))) {
    execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
  }
  const packOutput = execFileSync(
    'npm',
    ['pack', '--json', '--ignore-scripts', '--pack-destination', host, '--loglevel', 'error'],
    { cwd: root, encoding: 'utf8' },
  );
  const [packed] = z.array(z.object({ filename: z.string() })).parse(JSON.parse(packOutput));
  const tarball = path.join(host, packed?.filename ?? '');
  tarballFiles = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
  connectorDir = path.join(host, 'connectors', 'connector-xiaomi');
  mkdirSync(connectorDir, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', connectorDir, '--strip-components=1']);
  nock.disableNetConnect();
}, 120_000);

afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  rmSync(host, { recursive: true, force: true });
});

const isSocial = (connector: { type: string }): connector is SocialConnector =>
  connector.type === 'Social';

const loadAsLogto = async () => {
  const factories = await loadConnectorFactories(
    [{ name: 'connector-xiaomi', path: connectorDir }],
    false,
  );
  // Logto skips a connector that fails to load, logging `[load-connector] skip`.
  expect(factories).toHaveLength(1);
  const [factory] = factories;
  if (!factory) {
    throw new Error('not loaded');
  }
  const { rawConnector, rawMetadata } = await buildRawConnector(factory, async () => ({
    ...mockConfig,
  }));
  if (!isSocial(rawConnector)) {
    throw new Error('not a social connector');
  }
  return { factory, connector: rawConnector, metadata: rawMetadata };
};

describe('the packed package in a Logto host', () => {
  it('ships lib, the logo and both READMEs, and no node_modules', () => {
    expect(tarballFiles).toEqual(
      expect.arrayContaining([
        'package/package.json',
        'package/lib/index.js',
        'package/logo.svg',
        'package/README.md',
        'package/README.zh-CN.md',
      ]),
    );
    expect(tarballFiles.some((file) => file.includes('node_modules'))).toBe(false);
    expect(tarballFiles.some((file) => file.startsWith('package/src/'))).toBe(false);
    expect(readdirSync(connectorDir)).not.toContain('node_modules');
  });

  it('loads through Logto’s loader with its metadata parsed: logo inlined, readme read', async () => {
    const { factory, metadata } = await loadAsLogto();
    expect(factory.metadata.id).toBe('xiaomi-universal');
    expect(factory.metadata.target).toBe('xiaomi');
    expect(factory.type).toBe('Social');
    expect(metadata.logo).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(metadata.logo.split(',')[1] ?? '', 'base64').toString()).toContain('<svg');
    expect(metadata.readme).toContain('Xiaomi');
    expect(metadata.readme).not.toBe('./README.md');
  });

  it('signs in end to end, with nock playing Xiaomi', async () => {
    const { connector } = await loadAsLogto();
    let session: Record<string, unknown> = {};
    const authorizationUri = await connector.getAuthorizationUri(
      {
        state: 'host-state',
        redirectUri: mockRedirectUri,
        connectorId: 'abc',
        connectorFactoryId: 'xiaomi-universal',
        jti: 'jti',
        headers: {},
      },
      async (value) => {
        session = value;
      },
    );
    const url = new URL(authorizationUri);
    expect(url.searchParams.get('client_id')).toBe(mockClientId);

    nock('https://account.xiaomi.com')
      .post('/oauth2/token')
      .reply(200, xiaomiTokenBody(mockTokenSuccess));
    nock('https://open.account.xiaomi.com')
      .get('/user/profile')
      .query(true)
      .reply(200, openApiOk(mockProfileData));

    const user = await connector.getUserInfo(
      { code: 'fake-code', state: url.searchParams.get('state'), redirectUri: mockRedirectUri },
      async () => session,
    );
    expect(user).toMatchObject({ id: mockProfileData.unionId, name: mockProfileData.miliaoNick });
  });

  it('throws errors that are instances of the host’s ConnectorError', async () => {
    const { connector } = await loadAsLogto();
    const hostKit = await import(
      pathToFileURL(path.join(host, 'node_modules/@logto/connector-kit/lib/index.js')).href
    );
    nock('https://account.xiaomi.com')
      .post('/oauth2/token')
      .reply(200, xiaomiTokenBody({ error: 96013, error_description: 'code used' }));
    const failure = await connector
      .getUserInfo({ code: 'fake-code', redirectUri: mockRedirectUri }, async () => ({}))
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(hostKit.ConnectorError);
    expect(failure).toMatchObject({ code: hostKit.ConnectorErrorCodes.SocialAuthCodeInvalid });
  });
});
