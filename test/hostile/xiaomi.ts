/**
 * The connector against a hostile Xiaomi on loopback: fake secrets with the characters form and
 * percent encoding change, a well-behaved default for every endpoint, and one sign-in helper.
 * No nock here: it would stand between the connector and the real socket these tests are about.
 */
import type { ServerResponse } from 'node:http';

import type { ConnectorSession, SocialConnector } from '@logto/connector-kit';
import nock from 'nock';
import { afterAll, beforeAll, beforeEach } from 'vitest';

import { createXiaomiConnector, type XiaomiConnectorOptions } from '../../src/index.js';
import { openApiOk, xiaomiTokenBody } from '../../src/mock.js';
import { createHostileServer, type HostileServer } from './hostile-server.js';

// src/mock.ts brings nock, which takes over HTTP when imported: put the real sockets back.
nock.restore();

/** Obviously fake, and each with `+`, `/` and `=`, which encoding rewrites. */
export const fake = {
  clientId: '2882303761517000000',
  clientSecret: 'fake+app/secret==',
  code: 'fake-code+with/slash==',
  accessToken: 'fake-access+token/V3==',
  refreshToken: 'fake-refresh+token/R1==',
  macKey: 'fake-mac+key/xyz==',
  redirectUri: 'https://logto.example.com/callback/xiaomi-hostile',
  unionId: 'fake-union-id-42',
};

export const allSecrets = [
  fake.clientSecret,
  fake.code,
  fake.accessToken,
  fake.refreshToken,
  fake.macKey,
];

export const tokenAnswer = {
  access_token: fake.accessToken,
  expires_in: 7_776_000,
  refresh_token: fake.refreshToken,
  scope: '1 4 6',
  token_type: 'mac',
  mac_key: fake.macKey,
  mac_algorithm: 'HmacSha1',
};

export const profileData = {
  unionId: fake.unionId,
  miliaoNick: 'Mi Fan',
  miliaoIcon: 'https://cdn.example.com/icon.jpg',
};

export { connectorErrorOf, openApiOk, xiaomiTokenBody as tokenText } from '../../src/mock.js';

/** Answers with JSON text (or any text) and the given status. */
export const answer =
  (body: unknown, status = 200) =>
  ({ response }: { response: ServerResponse }) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

/** Every endpoint answers as Xiaomi does on a good day. */
export const behave = (server: HostileServer) => {
  server.on('POST /oauth2/token', answer(xiaomiTokenBody(tokenAnswer)));
  server.on('GET /user/profile', answer(openApiOk(profileData)));
  server.on('GET /user/openidV2', answer(openApiOk({ openid: 'fake-per-app-openid' })));
  server.on('GET /user/phoneAndEmail', answer(openApiOk({ phone: '', email: '' })));
};

export const configOf = (extra: Record<string, unknown> = {}) => ({
  clientId: fake.clientId,
  clientSecret: fake.clientSecret,
  redirectUri: fake.redirectUri,
  ...extra,
});

export const connectorFor = async (
  server: HostileServer,
  { config = configOf(), ...options }: XiaomiConnectorOptions & { config?: unknown } = {},
): Promise<SocialConnector> =>
  createXiaomiConnector({ accountBaseUrl: server.url, openApiBaseUrl: server.url, ...options })({
    getConfig: async () => config,
  });

const noSession = async (): Promise<ConnectorSession> => ({});

export const signIn = async (connector: SocialConnector) =>
  connector.getUserInfo({ code: fake.code, redirectUri: fake.redirectUri }, noSession);

const lowerPercent = (text: string) =>
  text.replace(/%[\dA-F]{2}/g, (escape) => escape.toLowerCase());

/** Every way a secret can be quoted back: raw, percent-encoded (either case), form-encoded. */
export const formsOf = (secret: string): string[] => {
  const percent = encodeURIComponent(secret);
  const form = new URLSearchParams({ s: secret }).toString().slice(2);
  return [...new Set([secret, percent, lowerPercent(percent), form, lowerPercent(form)])];
};

/** Which forms of which secrets the text holds (none, one hopes). */
export const leaksIn = (text: string, secrets = allSecrets): string[] =>
  secrets.flatMap(formsOf).filter((form) => text.includes(form));

/** One hostile Xiaomi per test file, back to a good day's answers before each test. */
export const useHostileXiaomi = (): HostileServer => {
  const server = createHostileServer();
  beforeAll(server.start);
  afterAll(server.close);
  beforeEach(() => {
    server.reset();
    behave(server);
  });
  return server;
};
