import { describe, expect, it } from 'vitest';

import { startXiaomiSimulator } from '../../../simulator/index.js';

import {
  accessTokenFor,
  authorize,
  defaultAuthorizeParams,
  errorCodeOnPage,
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

describe('fault switches', () => {
  it('wrongSecret: the token endpoint answers 96003 even to the right secret', async () => {
    const { code } = await signIn();
    sim.setFaults({ wrongSecret: true });
    expect((await tokenRequest('POST', exchangeParams(code))).body.error).toBe(96003);
  });

  it('redirectUriNotRegistered: authorize and token answer 96010', async () => {
    const { code } = await signIn();
    sim.setFaults({ redirectUriNotRegistered: true });
    const page = await authorize(defaultAuthorizeParams());
    expect(page.status).toBe(400);
    expect(errorCodeOnPage(await page.text())).toBe('96010');
    expect((await tokenRequest('GET', exchangeParams(code))).body.error).toBe(96010);
  });

  it('codeAlreadyUsed: a fresh code gets 96013', async () => {
    const { code } = await signIn();
    sim.setFaults({ codeAlreadyUsed: true });
    expect((await tokenRequest('POST', exchangeParams(code))).body.error).toBe(96013);
  });

  it('profileTokenRejected: open APIs answer HTTP 200 with code "96008" as a string', async () => {
    const tokens = await accessTokenFor('1 3 4');
    sim.setFaults({ profileTokenRejected: true });
    for (const api of ['profile', 'openidV2', 'phoneAndEmail'] as const) {
      const { status, body } = await openApi(api, stringField(tokens, 'access_token'));
      expect(status).toBe(200);
      expect(body).toEqual({ result: 'error', code: '96008', description: 'invalid token' });
    }
  });

  it('badGateway: API endpoints answer 502 with HTML, the consent page still works', async () => {
    const tokens = await accessTokenFor('1');
    const { code } = await signIn();
    sim.setFaults({ badGateway: true });
    const token = await fetch(`${sim.baseUrl}/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams(exchangeParams(code)),
    });
    expect(token.status).toBe(502);
    expect(token.headers.get('content-type')).toContain('text/html');
    expect(await token.text()).toContain('502 Bad Gateway');
    const profile = await fetch(
      `${sim.baseUrl}/user/profile?clientId=${mainApp.clientId}&token=${stringField(tokens, 'access_token')}`,
    );
    expect(profile.status).toBe(502);
    expect((await authorize(defaultAuthorizeParams())).status).toBe(200);
  });

  it('delayMs: API answers come late', async () => {
    const { code } = await signIn();
    sim.setFaults({ delayMs: 300 });
    const started = performance.now();
    const { body } = await tokenRequest('POST', exchangeParams(code));
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(body.access_token).toBeTruthy();
    const call = sim.calls().find((entry) => entry.path === '/oauth2/token');
    expect(call?.durationMs).toBeGreaterThanOrEqual(290);
  });

  it('hang: API endpoints never answer and close() still returns', async () => {
    const hanging = await startXiaomiSimulator({ apps: [mainApp], faults: { hang: true } });
    const token = fetch(`${hanging.baseUrl}/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams(exchangeParams('X')),
      signal: AbortSignal.timeout(400),
    });
    await expect(token).rejects.toThrow();
    const profile = fetch(`${hanging.baseUrl}/user/profile?clientId=1&token=2`).catch(
      (error: unknown) => error,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = performance.now();
    await hanging.close();
    expect(performance.now() - started).toBeLessThan(2000);
    expect(await profile).toBeInstanceOf(Error);
    expect(hanging.calls().some((call) => call.status === 0)).toBe(true);
  });

  it('can be read and replaced over HTTP, as JSON only', async () => {
    const postFaults = async (body: string, headers: Record<string, string>, path = '') =>
      fetch(`${sim.baseUrl}/__simulator/faults${path}`, { method: 'POST', headers, body });
    const json = { 'content-type': 'application/json' };
    const set = await postFaults(JSON.stringify({ wrongSecret: true, delayMs: 10 }), json);
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({ wrongSecret: true, delayMs: 10 });
    expect(sim.faults()).toEqual({ wrongSecret: true, delayMs: 10 });

    await postFaults(JSON.stringify({ badGateway: true }), json);
    const read = await fetch(`${sim.baseUrl}/__simulator/faults`);
    expect(await read.json()).toEqual({ badGateway: true });

    for (const bad of ['{"nope":true}', '{"hang":"yes"}', '{"delayMs":-1}', '[]', 'not json']) {
      expect((await postFaults(bad, json)).status).toBe(400);
    }
    // What a cross-site form or a no-preflight fetch could send is refused.
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      expect((await postFaults('{"hang":true}', { 'content-type': type })).status).toBe(415);
    }
    expect(sim.faults()).toEqual({ badGateway: true });
  });

  it("keeps an app's own faults to that app", async () => {
    sim.setFaults({ wrongSecret: true }, mainApp.clientId);
    const main = await signIn();
    expect((await tokenRequest('POST', exchangeParams(main.code))).body.error).toBe(96003);
    const other = await signIn({ client_id: otherApp.clientId, scope: '1' });
    const otherParams = exchangeParams(other.code, {
      client_id: otherApp.clientId,
      client_secret: otherApp.clientSecret,
    });
    expect((await tokenRequest('POST', otherParams)).body.access_token).toBeTruthy();

    // Over HTTP: an app's faults lie over the simulator-wide ones, for that app only.
    const response = await fetch(`${sim.baseUrl}/__simulator/faults/${otherApp.clientId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ profileTokenRejected: true }),
    });
    expect(await response.json()).toEqual({ profileTokenRejected: true });
    sim.setFaults({ delayMs: 1 });
    expect(sim.faults(otherApp.clientId)).toEqual({ delayMs: 1, profileTokenRejected: true });
    expect(sim.faults(mainApp.clientId)).toEqual({ delayMs: 1, wrongSecret: true });
    expect(sim.faults()).toEqual({ delayMs: 1 });
  });

  it('reset clears faults, calls and tokens', async () => {
    const tokens = await accessTokenFor('1');
    sim.setFaults({ hang: true });
    sim.reset();
    expect(sim.faults()).toEqual({});
    expect(sim.calls()).toEqual([]);
    expect((await openApi('profile', stringField(tokens, 'access_token'))).body.code).toBe(96008);
  });
});
