import { describe, expect, it } from 'vitest';

import {
  afterIdle,
  expectError,
  expectOk,
  pageOf,
  playground,
  signIn,
  sim,
  startSignIn,
  textOf,
  timelineNames,
  timelineRows,
  usePlayground,
} from './harness.js';

usePlayground();

describe('playground with each fault switch', () => {
  it.each([
    { faults: { wrongSecret: true }, code: 'invalid_config', xiaomiCode: '96003' },
    { faults: { codeAlreadyUsed: true }, code: 'social_auth_code_invalid', xiaomiCode: '96013' },
  ])(
    '$faults → $code ($xiaomiCode), after the token call only',
    async ({ faults, code, xiaomiCode }) => {
      const { html } = await signIn({ faults });
      expectError(html, code, xiaomiCode);
      expect(timelineNames(html)).toEqual(['token']);
    },
  );

  it('profileTokenRejected → social_invalid_access_token (96008), every call in the table', async () => {
    await afterIdle();
    const { html } = await signIn({ faults: { profileTokenRejected: true } });
    expectError(html, 'social_invalid_access_token', '96008');
    // The extras ran beside the profile: each ended, or was cut short when the sign-in failed,
    // and is in the table either way. The warm-ups, one per open-API call, ended before those
    // calls started.
    const rows = timelineRows(html).map(({ name, outcome }) => `${name}: ${outcome}`);
    expect(rows.slice(0, 4).sort()).toEqual(['token: ok', ...Array(3).fill('warmUp: ok')]);
    expect(rows.slice(4).sort()).toEqual([
      expect.stringMatching(/^openid: (Xiaomi error 96008|cut-short)$/),
      expect.stringMatching(/^phoneAndEmail: (Xiaomi error 96008|cut-short)$/),
      'profile: Xiaomi error 96008',
    ]);
  });

  it('redirectUriNotRegistered at authorize → the simulator shows 96010 and never redirects', async () => {
    const { consent } = await startSignIn({ faults: { redirectUriNotRegistered: true } });
    expect(consent.status).toBe(400);
    expect(consent.headers.get('location')).toBeNull();
    expect(await consent.text()).toContain('data-code="96010"');
  });

  it('redirectUriNotRegistered at the token endpoint → invalid_config (96010)', async () => {
    const { html } = await signIn({
      beforeCallback: () => sim.setFaults({ redirectUriNotRegistered: true }),
    });
    expectError(html, 'invalid_config', '96010');
  });

  it('badGateway → general, with the 502 in the timeline', async () => {
    const { html } = await signIn({ faults: { badGateway: true } });
    expectError(html, 'general');
    expect(textOf(html, 'error-description')).toContain('502');
    expect(html).toContain('data-name="token" data-status="502"');
  });

  it('delayMs below the timeout → still signed in, the delay visible in the timeline', async () => {
    const { html } = await signIn({ faults: { delayMs: 250 }, settings: { scope: '1' } });
    expectOk(html);
    const calls = timelineRows(html).filter(({ name }) => name !== 'warmUp');
    expect(calls.map(({ name }) => name)).toEqual(['token', 'profile']);
    for (const { durationMs } of calls) {
      expect(durationMs).toBeGreaterThanOrEqual(240);
    }
  });

  it.each([
    { what: 'delayMs beyond the timeout', faults: { delayMs: 1500 } },
    { what: 'hang', faults: { hang: true } },
  ])('$what → general (timeout)', async ({ faults }) => {
    const { html } = await signIn({ faults, settings: { timeoutMs: '400' } });
    expectError(html, 'general');
    expect(textOf(html, 'error-description')).toContain('400 ms');
    expect(html).toContain('data-outcome="timeout"');
  });

  it('a refresh after the refresh token was used elsewhere → social_invalid_access_token', async () => {
    const { browser } = await signIn();
    // Another refresh token set wins: the simulator forgets every token.
    sim.reset();
    await browser.postForm(`${playground.url}/refresh`, {});
    const page = await pageOf(browser, '/result');
    expectError(page, 'social_invalid_access_token', '96009');
  });
});
