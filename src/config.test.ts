/** The stored config as the connector checks it: each bad field named, nothing of its value. */
import { ConnectorErrorCodes } from '@logto/connector-kit';
import { describe, expect, it } from 'vitest';

import {
  authorize,
  connectorErrorOf,
  makeConnector,
  mockCallback,
  mockClientId,
  mockClientSecret,
  mockConfig,
  sessionOf,
  useNock,
} from './mock.js';

useNock();

describe('config validation', () => {
  const cases: Array<[string, unknown, string]> = [
    ['a missing clientId', { clientSecret: 's' }, 'clientId'],
    ['a clientId with letters', { ...mockConfig, clientId: 'abc123' }, 'clientId'],
    ['a numeric (not string) clientId', { ...mockConfig, clientId: 2882303761517 }, 'clientId'],
    ['an empty clientSecret', { ...mockConfig, clientSecret: '' }, 'clientSecret'],
    ['a missing clientSecret', { clientId: mockClientId }, 'clientSecret'],
    ['a scope with words', { ...mockConfig, scope: 'profile' }, 'scope'],
    ['a scope with commas', { ...mockConfig, scope: '1,3' }, 'scope'],
    ['a skipConfirm string', { ...mockConfig, skipConfirm: 'yes' }, 'skipConfirm'],
    ['a skipWarmUp string', { ...mockConfig, skipWarmUp: 'yes' }, 'skipWarmUp'],
    ['a redirectUri that is not a URL', { ...mockConfig, redirectUri: 'callback' }, 'redirectUri'],
  ];

  it.each(cases)('rejects %s, naming the field', async (_, config, field) => {
    const connector = await makeConnector(config);
    const error = await connectorErrorOf(connector.getUserInfo(mockCallback, sessionOf()));
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(error.message).toContain(field);
  });

  it.each([
    ['an empty clientId', { ...mockConfig, clientId: '' }, 'clientId is required'],
    ['a blank clientId', { ...mockConfig, clientId: '  ' }, 'clientId is required'],
    ['a missing clientId', { clientSecret: mockClientSecret }, 'clientId is required'],
    ['an empty clientSecret', { ...mockConfig, clientSecret: '' }, 'clientSecret is required'],
    ['a blank clientSecret', { ...mockConfig, clientSecret: ' \t' }, 'clientSecret is required'],
  ])('says %s is required, not what format it must have', async (_, config, words) => {
    const error = await connectorErrorOf(authorize(config));
    expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
    expect(error.message).toContain(words);
    expect(error.message).not.toContain('digits');
  });

  it('never repeats the rejected value, which may be the secret', async () => {
    const connector = await makeConnector({ clientId: 'not-digits', clientSecret: 42 });
    const error = await connectorErrorOf(connector.getUserInfo(mockCallback, sessionOf()));
    expect(error.message).toContain('clientSecret');
    expect(error.message).not.toContain('not-digits');
  });

  it('accepts the official connector’s stored config as it is, and trims pasted values', async () => {
    const { url } = await authorize({
      clientId: ` ${mockClientId} `,
      clientSecret: 'abc',
      scope: '',
      skipConfirm: false,
    });
    expect(url.searchParams.get('client_id')).toBe(mockClientId);
    expect(url.searchParams.get('scope')).toBe('1');
  });

  it('exposes the schema as configGuard for Logto’s form validation', async () => {
    const connector = await makeConnector();
    expect(connector.configGuard.safeParse(mockConfig).success).toBe(true);
    expect(connector.configGuard.safeParse({ clientId: 'x', clientSecret: 'y' }).success).toBe(
      false,
    );
  });
});
