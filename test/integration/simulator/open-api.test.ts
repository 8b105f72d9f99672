import { describe, expect, it } from 'vitest';

import {
  accessTokenFor,
  exchangeParams,
  mainApp,
  openApi,
  otherApp,
  signIn,
  sim,
  stringField,
  tokenRequest,
  useSimulator,
} from './harness.js';

useSimulator();

describe('open APIs', () => {
  it('returns the profile with sized avatars when the account has one', async () => {
    const orange = sim.accounts[0];
    const tokens = await accessTokenFor('1', orange?.userId);
    const { status, body } = await openApi('profile', stringField(tokens, 'access_token'));
    expect(status).toBe(200);
    expect(body).toMatchObject({ result: 'ok', code: 0, description: 'success' });
    expect(body.data).toMatchObject({
      unionId: orange?.unionId,
      miliaoNick: '小米用户🍊',
      miliaoIcon: orange?.icon,
      miliaoIcon_75: expect.stringContaining('size=75'),
      miliaoIcon_90: expect.any(String),
      miliaoIcon_120: expect.any(String),
      miliaoIcon_320: expect.any(String),
      miliaoIcon_orig: expect.any(String),
      userId: orange?.userId,
    });
    const avatar = await fetch(orange?.icon ?? '');
    expect(avatar.status).toBe(200);
    expect(avatar.headers.get('content-type')).toBe('image/svg+xml');
    expect(await avatar.text()).toContain('<svg');
  });

  it('returns an empty icon and no sized ones for an account without avatar', async () => {
    const plain = sim.accounts.find((account) => account.icon === '');
    const tokens = await accessTokenFor('1', plain?.userId);
    const { body } = await openApi('profile', stringField(tokens, 'access_token'));
    expect(body.data).toEqual({
      unionId: plain?.unionId,
      miliaoNick: plain?.nickname,
      miliaoIcon: '',
      userId: plain?.userId,
    });
    expect((await fetch(`${sim.baseUrl}/avatars/${plain?.userId}.svg`)).status).toBe(404);
  });

  it('returns a stable open id per app and account, equal to the token openId', async () => {
    const first = await accessTokenFor('1 3');
    const second = await accessTokenFor('1 3');
    const one = await openApi('openidV2', stringField(first, 'access_token'));
    const two = await openApi('openidV2', stringField(second, 'access_token'));
    expect(one.body.data).toEqual({ openid: first.openId });
    expect(two.body.data).toEqual(one.body.data);

    const { code } = await signIn({ client_id: otherApp.clientId, scope: '1 3' });
    const other = await tokenRequest(
      'POST',
      exchangeParams(code, { client_id: otherApp.clientId, client_secret: otherApp.clientSecret }),
    );
    expect(other.body.openId).not.toBe(first.openId);
  });

  it.each([
    ['4', { phone: '+86 138 0013 8000', email: '' }],
    ['6', { phone: '', email: 'hanmeimei@example.com' }],
    ['4 6', { phone: '+86 138 0013 8000', email: 'hanmeimei@example.com' }],
  ])('returns phone and email as granted by scope %s', async (scope, expected) => {
    const tokens = await accessTokenFor(`1 ${scope}`, sim.accounts[2]?.userId);
    const { body } = await openApi('phoneAndEmail', stringField(tokens, 'access_token'));
    expect(body).toMatchObject({ result: 'ok', data: expected });
  });

  it.each([
    ['profile', '3'],
    ['openidV2', '1'],
    ['phoneAndEmail', '1 3'],
  ] as const)('answers %s without its scope with 403 and 96005', async (api, scope) => {
    const tokens = await accessTokenFor(scope);
    const { status, body } = await openApi(api, stringField(tokens, 'access_token'));
    expect(status).toBe(403);
    expect(body).toMatchObject({ result: 'error', code: 96005 });
  });

  it('rejects unknown tokens, tokens of another app and unknown clients', async () => {
    const tokens = await accessTokenFor('1');
    const token = stringField(tokens, 'access_token');
    expect((await openApi('profile', 'V3_nope')).body).toMatchObject({
      result: 'error',
      code: 96008,
    });
    expect((await openApi('profile', token, otherApp.clientId)).body.code).toBe(96008);
    expect((await openApi('profile', token, '42')).body.code).toBe(96001);
    const missing = await fetch(`${sim.baseUrl}/user/profile?clientId=${mainApp.clientId}`);
    expect(await missing.json()).toMatchObject({ result: 'error', code: 96002 });
  });
});
