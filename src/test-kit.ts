import {
  ConnectorError,
  ConnectorErrorCodes,
  type ConnectorSession,
  type SocialConnector,
} from '@logto/connector-kit';
import nock from 'nock';
import { afterEach, beforeAll } from 'vitest';

import { createXiaomiConnector, type XiaomiConnectorOptions } from './index.js';
import {
  mockAccountBaseUrl,
  mockConfig,
  mockOpenApiBaseUrl,
  mockSession,
  mockTokenSuccess,
  openApiOk,
  xiaomiTokenBody,
} from './mock.js';

export { connectorErrorOf } from './connector-error-of.js';

/** A connector as Logto builds it, with the given stored config. */
export const makeConnector = async (
  config: unknown = mockConfig,
  options: XiaomiConnectorOptions = {},
): Promise<SocialConnector> => createXiaomiConnector(options)({ getConfig: async () => config });

export const sessionOf =
  (session: ConnectorSession = mockSession) =>
  async () =>
    session;

/** What Logto passes when there is no session (Management API, Account API). */
export const noSession = async (): Promise<ConnectorSession> => {
  throw new ConnectorError(ConnectorErrorCodes.NotImplemented);
};

export const tokenScope = () => nock(mockAccountBaseUrl);
export const openApiScope = () => nock(mockOpenApiBaseUrl);

export const replyToken = (json: unknown, status = 200) =>
  tokenScope().post('/oauth2/token').reply(status, xiaomiTokenBody(json));

export const replyProfile = (data: unknown) =>
  openApiScope().get('/user/profile').query(true).reply(200, openApiOk(data));

/** Answers the token request with a success and keeps the form body it was sent. */
export const captureTokenForm = (json: unknown = mockTokenSuccess) => {
  const sent: { form?: unknown } = {};
  tokenScope()
    .post('/oauth2/token', (body) => {
      sent.form = body;
      return true;
    })
    .matchHeader('content-type', /application\/x-www-form-urlencoded/)
    .reply(200, xiaomiTokenBody(json));
  return sent;
};

/** nock plays Xiaomi: nothing reaches the network, and no answer outlives its test. */
export const useNock = () => {
  beforeAll(() => {
    nock.disableNetConnect();
  });
  afterEach(() => {
    nock.cleanAll();
  });
};
