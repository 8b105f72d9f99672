/**
 * The Xiaomi Mobile/Tablet apps in the config (`mobileClientIds`, `mobileClientSecrets`): checked
 * against each other and the web app, named in the Console form, existing configs unchanged.
 */
import { ConnectorErrorCodes } from '@logto/connector-kit';
import { describe, expect, it } from 'vitest';

import {
  captureTokenForm,
  connectorErrorOf,
  makeConnector,
  mockClientId,
  mockClientSecret,
  mockCode,
  mockConfig,
  mockConfiguredSecrets,
  mockMobileCallback,
  mockMobileClientId,
  mockMobileClientSecret,
  mockMobileConfig,
  mockMobileSession,
  mockOtherMobileClientId,
  mockProfileData,
  mockRedirectUri,
  mockState,
  mockTokenSuccess,
  mockUnionId,
  replyProfile,
  replyToken,
  sessionOf,
  useNock,
} from './mock.js';

useNock();

describe('the mobile apps in the config', () => {
  const rejected: Array<{ what: string; config: Record<string, unknown>; says: string }> = [
    {
      what: 'an App ID with letters',
      config: { ...mockMobileConfig, mobileClientIds: `${mockMobileClientId} abc` },
      says: 'mobileClientIds must be space-separated App IDs, digits only',
    },
    {
      what: 'an App ID list that is not a string',
      config: { ...mockMobileConfig, mobileClientIds: 2882303761517 },
      says: 'mobileClientIds must be a string of space-separated App IDs',
    },
    {
      what: 'fewer secrets than App IDs',
      config: { ...mockMobileConfig, mobileClientSecrets: mockMobileClientSecret },
      says: 'mobileClientSecrets holds 1 App Secret for 2 App IDs in mobileClientIds',
    },
    {
      what: 'more secrets than App IDs',
      config: { ...mockMobileConfig, mobileClientIds: mockMobileClientId },
      says: 'mobileClientSecrets holds 2 App Secrets for 1 App ID in mobileClientIds',
    },
    {
      what: 'an App ID twice',
      config: {
        ...mockMobileConfig,
        mobileClientIds: `${mockMobileClientId} ${mockMobileClientId}`,
      },
      says: 'mobileClientIds lists an App ID twice',
    },
    {
      what: 'the web app’s App ID',
      config: { ...mockMobileConfig, mobileClientIds: `${mockMobileClientId} ${mockClientId}` },
      says: 'mobileClientIds holds the web app’s App ID (clientId)',
    },
    {
      what: 'App IDs without secrets',
      config: { ...mockMobileConfig, mobileClientSecrets: ' ' },
      says: 'mobileClientSecrets is empty while mobileClientIds is set',
    },
    {
      what: 'secrets without App IDs',
      config: { ...mockMobileConfig, mobileClientIds: '' },
      says: 'mobileClientIds is empty while mobileClientSecrets is set',
    },
  ];

  it.each(rejected)(
    'refuses $what, naming the field and never a value',
    async ({ config, says }) => {
      const token = replyToken(mockTokenSuccess);
      const connector = await makeConnector(config);
      expect(connector.configGuard.safeParse(config).success).toBe(false);
      const error = await connectorErrorOf(
        connector.getUserInfo(mockMobileCallback, sessionOf(mockMobileSession)),
      );
      expect(error.code).toBe(ConnectorErrorCodes.InvalidConfig);
      expect(error.message).toContain(says);
      for (const value of [...mockConfiguredSecrets, mockMobileClientId, mockOtherMobileClientId]) {
        expect(error.message).not.toContain(value);
      }
      expect(token.isDone()).toBe(false);
    },
  );

  it.each([
    { what: 'neither field', config: mockConfig },
    {
      what: 'both fields empty',
      config: { ...mockConfig, mobileClientIds: '', mobileClientSecrets: '' },
    },
    {
      what: 'one app, with white space around',
      config: {
        ...mockConfig,
        mobileClientIds: ` ${mockMobileClientId} `,
        mobileClientSecrets: `\t${mockMobileClientSecret}\n`,
      },
    },
    { what: 'two apps', config: mockMobileConfig },
  ])('accepts $what, and signs in with the web app as before', async ({ config }) => {
    const sent = captureTokenForm();
    replyProfile(mockProfileData);
    const connector = await makeConnector(config);
    expect(connector.configGuard.safeParse(config).success).toBe(true);
    const user = await connector.getUserInfo(
      { code: mockCode, state: mockState, redirectUri: mockRedirectUri },
      sessionOf(),
    );
    expect(user.id).toBe(mockUnionId);
    expect(sent.form).toMatchObject({ client_id: mockClientId, client_secret: mockClientSecret });
  });

  it('says in the Console form where each mobile value comes from, the secret masked', async () => {
    const connector = await makeConnector();
    const items = new Map(connector.metadata.formItems?.map((item) => [item.key, item]));
    expect(items.get('mobileClientIds')).toMatchObject({
      label: 'Mobile app IDs (Android)',
      required: false,
      description: expect.stringMatching(/dev\.mi\.com.*Mobile\/Tablet app.*not the web app’s/),
    });
    expect(items.get('mobileClientSecrets')).toMatchObject({
      label: 'Mobile app secrets',
      required: false,
      isConfidential: true,
      description: expect.stringContaining('same order as their App IDs'),
    });
  });
});
