/**
 * When a sign-in ends, nothing of it runs on: the extras beside a failed profile and a warm-up
 * still waiting are cut short, their requests closed, and every call has been told to onCall by
 * the time Logto gets the result.
 */
import { setTimeout as sleep } from 'node:timers/promises';

import { ConnectorErrorCodes } from '@logto/connector-kit';
import { describe, expect, it } from 'vitest';

import type { XiaomiCall } from '../../src/index.js';

import { openOnceSettled } from './hostile-server.js';
import {
  answer,
  configOf,
  connectorErrorOf,
  connectorFor,
  profileData,
  signIn,
  tokenAnswer,
  tokenText,
  useHostileXiaomi,
} from './xiaomi.js';

const xiaomi = useHostileXiaomi();

const hang = () => undefined;
const rejected = { result: 'error', code: 96008, description: 'invalid token' };

/** What onCall was told, and how many calls it had been told when the sign-in settled. */
const observe = () => {
  const calls: XiaomiCall[] = [];
  return { calls, onCall: (call: XiaomiCall) => calls.push(call) };
};

describe('the end of a sign-in', () => {
  it('cuts short the extras still running beside a rejected profile, and tells onCall first', async () => {
    xiaomi.on('POST /oauth2/token', answer(tokenText({ ...tokenAnswer, scope: '1 3 4 6' })));
    xiaomi.on('GET /user/profile', answer(rejected));
    xiaomi.on('GET /user/openidV2', hang);
    xiaomi.on('GET /user/phoneAndEmail', hang);
    const { calls, onCall } = observe();
    const connector = await connectorFor(xiaomi, {
      config: configOf({ scope: '1 3 4 6', skipWarmUp: true }),
      onCall,
    });

    const started = performance.now();
    const error = await connectorErrorOf(signIn(connector));
    const told = calls.map(({ name, outcome }) => `${name}: ${outcome}`);

    expect(error.code).toBe(ConnectorErrorCodes.SocialAccessTokenInvalid);
    // Not the 5 s deadline of the extras: the sign-in ended them.
    expect(performance.now() - started).toBeLessThan(2000);
    expect(told.slice(0, 1)).toEqual(['token: ok']);
    expect(told.slice(1).sort()).toEqual([
      'openid: cut-short',
      'phoneAndEmail: cut-short',
      'profile: Xiaomi error 96008',
    ]);
    expect(await openOnceSettled(xiaomi)).toBe(0);
    await sleep(200);
    expect(calls).toHaveLength(told.length);
  });

  // The warm-ups follow the scope asked for; the calls, the scope the token grants.
  it.each([
    [
      1,
      'the default scope',
      { asked: undefined, granted: '1 4 6', ended: ['phoneAndEmail: ok', 'profile: ok'] },
    ],
    [
      3,
      "scope '1 3 4 6'",
      {
        asked: '1 3 4 6',
        granted: '1 3 4 6',
        ended: ['openid: ok', 'phoneAndEmail: ok', 'profile: ok'],
      },
    ],
  ])(
    'cuts short the %i warm-up(s) still waiting when a sign-in asking for %s succeeds',
    async (warmUps, _asking, { asked, granted, ended }) => {
      xiaomi.on('POST /oauth2/token', answer(tokenText({ ...tokenAnswer, scope: granted })));
      xiaomi.on('GET /', hang);
      const { calls, onCall } = observe();
      const connector = await connectorFor(xiaomi, {
        config: configOf({ scope: asked }),
        onCall,
        warmUpAfterIdleMs: 0,
      });

      const user = await signIn(connector);
      const told = calls.map(({ name, outcome }) => `${name}: ${outcome}`);

      expect(user.id).toBe(profileData.unionId);
      expect(told[0]).toBe('token: ok');
      expect(told.slice(1, -warmUps).sort()).toEqual(ended);
      expect(told.slice(-warmUps)).toEqual(Array(warmUps).fill('warmUp: cut-short'));
      expect(await openOnceSettled(xiaomi)).toBe(0);
      await sleep(200);
      expect(calls).toHaveLength(told.length);
    },
  );
});
