import { setTimeout as sleep } from 'node:timers/promises';

import { ConnectorErrorCodes } from '@logto/connector-kit';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import {
  mockAccessToken,
  mockCallback,
  mockClientId,
  mockConfig,
  mockMacKey,
  mockProfileData,
  mockRedirectUri,
  mockRefreshForm,
  mockRefreshToken,
  mockTokenSuccess,
  mockUnionId,
  openApiError,
  openApiOk,
  xiaomiTokenBody,
  captureTokenForm,
  connectorErrorOf,
  makeConnector,
  openApiScope,
  replyProfile,
  replyToken,
  sessionOf,
  tokenScope,
  useNock,
} from './mock.js';

useNock();

const refreshConfig = { ...mockConfig, redirectUri: mockRedirectUri };

describe('getTokenResponseAndUserInfo', () => {
  it('returns the token set Logto stores, and the same user as getUserInfo', async () => {
    replyToken(mockTokenSuccess);
    replyProfile(mockProfileData);
    replyToken(mockTokenSuccess);
    replyProfile(mockProfileData);
    const connector = await makeConnector();
    const { tokenResponse, userInfo } = await connector.getTokenResponseAndUserInfo!(
      mockCallback,
      sessionOf(),
    );
    expect(tokenResponse).toEqual({
      access_token: mockAccessToken,
      refresh_token: mockRefreshToken,
      expires_in: 7_776_000,
      scope: '1',
      token_type: 'mac',
    });
    expect(userInfo).toEqual(await connector.getUserInfo(mockCallback, sessionOf()));
    expect(JSON.stringify(tokenResponse)).not.toContain(mockMacKey);
  });

  it('turns a string expires_in into a number', async () => {
    replyToken({ ...mockTokenSuccess, expires_in: '3600' });
    replyProfile(mockProfileData);
    const connector = await makeConnector();
    const { tokenResponse } = await connector.getTokenResponseAndUserInfo!(
      mockCallback,
      sessionOf(),
    );
    expect(tokenResponse?.expires_in).toBe(3600);
  });
});

describe('getAccessTokenByRefreshToken', () => {
  it('POSTs every field Xiaomi needs as a form and returns the new token set', async () => {
    const sent = captureTokenForm({
      ...mockTokenSuccess,
      access_token: 'fake-access-token-2',
      refresh_token: 'fake-refresh-token-2',
    });
    const connector = await makeConnector(refreshConfig);
    const tokens = await connector.getAccessTokenByRefreshToken!(mockRefreshToken);
    expect(sent.form).toEqual(mockRefreshForm);
    expect(tokens).toEqual({
      access_token: 'fake-access-token-2',
      refresh_token: 'fake-refresh-token-2',
      expires_in: 7_776_000,
      scope: '1',
      token_type: 'mac',
    });
  });

  it('shares one call to Xiaomi between concurrent refreshes of the same refresh token', async () => {
    const renewed = { ...mockTokenSuccess, access_token: 'fake-access-token-2' };
    const token = tokenScope().post('/oauth2/token').delay(50).reply(200, xiaomiTokenBody(renewed));
    const spent = replyToken({ error: 96009, error_description: 'refresh token used' });
    // Logto builds a connector per request: two reads of the Account API, two connectors.
    const [first, second] = await Promise.all([
      makeConnector(refreshConfig).then(async (c) =>
        c.getAccessTokenByRefreshToken!(mockRefreshToken),
      ),
      makeConnector(refreshConfig).then(async (c) =>
        c.getAccessTokenByRefreshToken!(mockRefreshToken),
      ),
    ]);
    expect(token.isDone()).toBe(true);
    expect(spent.isDone()).toBe(false);
    expect(first).toEqual(second);
    expect(first.access_token).toBe('fake-access-token-2');
  });

  it('fails every sharer of a failed refresh, and asks Xiaomi again on the next one', async () => {
    tokenScope()
      .post('/oauth2/token')
      .delay(50)
      .reply(200, xiaomiTokenBody({ error: 96009, error_description: 'refresh token used' }));
    const connector = await makeConnector(refreshConfig);
    const errors = await Promise.all([
      connectorErrorOf(connector.getAccessTokenByRefreshToken!(mockRefreshToken)),
      connectorErrorOf(connector.getAccessTokenByRefreshToken!(mockRefreshToken)),
    ]);
    expect(errors.map(({ code }) => code)).toEqual([
      ConnectorErrorCodes.SocialAccessTokenInvalid,
      ConnectorErrorCodes.SocialAccessTokenInvalid,
    ]);
    const again = replyToken(mockTokenSuccess);
    await expect(connector.getAccessTokenByRefreshToken!(mockRefreshToken)).resolves.toMatchObject({
      access_token: mockAccessToken,
    });
    expect(again.isDone()).toBe(true);
  });

  it('does not share refreshes of different refresh tokens or apps', async () => {
    const token = replyToken(mockTokenSuccess)
      .post('/oauth2/token')
      .times(2)
      .reply(200, xiaomiTokenBody(mockTokenSuccess));
    const other = await makeConnector({ ...refreshConfig, clientId: '2882303761517000009' });
    const connector = await makeConnector(refreshConfig);
    await Promise.all([
      connector.getAccessTokenByRefreshToken!(mockRefreshToken),
      connector.getAccessTokenByRefreshToken!('fake-refresh-token-other'),
      other.getAccessTokenByRefreshToken!(mockRefreshToken),
    ]);
    expect(token.isDone()).toBe(true);
  });

  it('does not call Xiaomi for an empty refresh token', async () => {
    const token = replyToken(mockTokenSuccess);
    const connector = await makeConnector(refreshConfig);
    const error = await connectorErrorOf(connector.getAccessTokenByRefreshToken!(' '));
    expect(error.code).toBe(ConnectorErrorCodes.SocialAccessTokenInvalid);
    expect(token.isDone()).toBe(false);
  });
});

describe('profile extras from the granted scopes', () => {
  const withScope = (scope: string | undefined) => {
    const rest = Object.fromEntries(
      Object.entries(mockTokenSuccess).filter(([key]) => key !== 'scope'),
    );
    return scope === undefined ? rest : { ...rest, scope };
  };

  type Seen = { openid: boolean; phoneAndEmail: boolean };

  const signInWith = async (tokenScopeValue: string | undefined, configuredScope = '1') => {
    const seen: Seen = { openid: false, phoneAndEmail: false };
    replyToken(withScope(tokenScopeValue));
    replyProfile(mockProfileData);
    openApiScope()
      .get('/user/openidV2')
      .query({ clientId: mockClientId, token: mockAccessToken })
      .optionally()
      .reply(() => {
        seen.openid = true;
        return [200, openApiOk({ openid: 'fake-per-app-openid' })];
      });
    openApiScope()
      .get('/user/phoneAndEmail')
      .query({ clientId: mockClientId, token: mockAccessToken })
      .optionally()
      .reply(() => {
        seen.phoneAndEmail = true;
        return [
          200,
          openApiOk({
            phone: tokenScopeValue?.includes('4') ? '+86 138 0013 8000' : '',
            email: tokenScopeValue?.includes('6') ? 'fan@example.com' : '',
          }),
        ];
      });
    const connector = await makeConnector({ ...mockConfig, scope: configuredScope });
    const user = await connector.getUserInfo(mockCallback, sessionOf());
    return { user, seen };
  };

  it.each([
    { granted: '1', configured: '1', seen: { openid: false, phoneAndEmail: false } },
    {
      granted: '1 3',
      configured: '1',
      seen: { openid: true, phoneAndEmail: false },
      openid: 'fake-per-app-openid',
    },
    {
      granted: '1 4',
      configured: '1',
      seen: { openid: false, phoneAndEmail: true },
      phone: '8613800138000',
    },
    {
      granted: '1 6',
      configured: '1',
      seen: { openid: false, phoneAndEmail: true },
      email: 'fan@example.com',
    },
    {
      granted: '1 3 4 6',
      configured: '1',
      seen: { openid: true, phoneAndEmail: true },
      openid: 'fake-per-app-openid',
      phone: '8613800138000',
      email: 'fan@example.com',
    },
    // No scope in the token answer: the configured one decides.
    {
      granted: undefined,
      configured: '1 6',
      seen: { openid: false, phoneAndEmail: true },
    },
    // Xiaomi granted less than requested: the granted scope decides.
    { granted: '1', configured: '1 3 4 6', seen: { openid: false, phoneAndEmail: false } },
  ])(
    'granted $granted (configured $configured): reads what the scope allows',
    async ({ granted, configured, seen: expectedSeen, openid, phone, email }) => {
      const { user, seen } = await signInWith(granted, configured);
      expect(seen).toEqual(expectedSeen);
      const raw = z.object({ openid: z.string().optional() }).parse(user.rawData);
      // toEqual: a row's undefined means absent.
      expect({ id: user.id, openid: raw.openid, phone: user.phone, email: user.email }).toEqual({
        id: mockUnionId,
        openid,
        phone,
        email,
      });
    },
  );

  it('reads the openid whichever way openidV2 spells it', async () => {
    replyToken(withScope('1 3'));
    replyProfile(mockProfileData);
    openApiScope()
      .get('/user/openidV2')
      .query(true)
      .reply(200, openApiOk({ openId: 'spelled-openId' }));
    const connector = await makeConnector();
    const user = await connector.getUserInfo(mockCallback, sessionOf());
    expect(user.rawData).toMatchObject({ openid: 'spelled-openId' });
  });

  it('signs in when an extra call fails, without what it would have given', async () => {
    replyToken(withScope('1 3 4 6'));
    replyProfile(mockProfileData);
    openApiScope().get('/user/openidV2').query(true).reply(200, openApiError(96005, 'no perm'));
    openApiScope().get('/user/phoneAndEmail').query(true).times(2).reply(500, 'oops');
    const connector = await makeConnector();
    const user = await connector.getUserInfo(mockCallback, sessionOf());
    expect(user.id).toBe(mockUnionId);
    expect(user).not.toHaveProperty('email');
    expect(user.rawData).not.toHaveProperty('openid');
  });

  it('fails the sign-in when the profile fails, even if the extras succeed', async () => {
    replyToken(withScope('1 3'));
    openApiScope().get('/user/profile').query(true).reply(200, openApiError(96008));
    openApiScope()
      .get('/user/openidV2')
      .query(true)
      .reply(200, openApiOk({ openid: 'x' }));
    const connector = await makeConnector();
    const error = await connectorErrorOf(connector.getUserInfo(mockCallback, sessionOf()));
    expect(error.code).toBe(ConnectorErrorCodes.SocialAccessTokenInvalid);
  });

  it('runs the three open API calls side by side: each is sent before any is answered', async () => {
    replyToken(withScope('1 3 4 6'));
    // Each answer waits until all three requests have arrived: one after another, none would be.
    let arrived = 0;
    const arrivedWhenAnswered: number[] = [];
    let allArrived: () => void = () => undefined;
    const together = new Promise<void>((resolve) => {
      allArrived = resolve;
    });
    const answerWhenAllArrived = (data: unknown) => async () => {
      arrived += 1;
      if (arrived === 3) {
        allArrived();
      }
      await Promise.race([together, sleep(1000)]);
      arrivedWhenAnswered.push(arrived);
      return [200, openApiOk(data)] as const;
    };
    openApiScope().get('/user/profile').query(true).reply(answerWhenAllArrived(mockProfileData));
    openApiScope()
      .get('/user/openidV2')
      .query(true)
      .reply(answerWhenAllArrived({ openid: 'o' }));
    openApiScope()
      .get('/user/phoneAndEmail')
      .query(true)
      .reply(answerWhenAllArrived({ phone: '1', email: 'a@b.c' }));
    const connector = await makeConnector();
    const user = await connector.getUserInfo(mockCallback, sessionOf());
    expect(user.email).toBe('a@b.c');
    expect(arrivedWhenAnswered).toEqual([3, 3, 3]);
  });
});
