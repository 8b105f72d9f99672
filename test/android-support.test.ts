/**
 * Which Android-app steps `npm run e2e:logto` runs on a Logto (e2e/android-support.ts): all of
 * them where core's build documents every route they call, each other one skipped naming the
 * routes its build lacks.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { androidSupport } from '../e2e/android-support.js';

/** The route documents as Logto 1.37.1 to 1.42.0 build them (packages/core/build/routes). */
const documents: Record<string, Record<string, string[]>> = {
  'experience/experience.openapi.json': {
    '/api/experience': ['put'],
    '/api/experience/interaction-event': ['put'],
    '/api/experience/identification': ['post'],
    '/api/experience/submit': ['post'],
  },
  'experience/verification-routes/social-verification.openapi.json': {
    '/api/experience/verification/social/{connectorId}/authorization-uri': ['post'],
    '/api/experience/verification/social/{connectorId}/verify': ['post'],
  },
  'experience/verification-routes/password-verification.openapi.json': {
    '/api/experience/verification/password': ['post'],
  },
  'verification/index.openapi.json': {
    '/api/verifications/password': ['post'],
    '/api/verifications/social': ['post'],
    '/api/verifications/social/verify': ['post'],
  },
  'account/index.openapi.json': {
    '/api/my-account/identities': ['post'],
    '/api/my-account/identities/{target}/access-token': ['get', 'put'],
  },
};

const homes: string[] = [];

/** A Logto home whose core build documents these routes, less the ones left out. */
const logtoHome = (leftOut: string[] = []) => {
  const home = mkdtempSync(path.join(tmpdir(), 'android-support-'));
  homes.push(home);
  for (const [file, paths] of Object.entries(documents)) {
    const kept = Object.fromEntries(
      Object.entries(paths).map(([route, methods]) => [
        route,
        Object.fromEntries(
          methods
            .filter((method) => !leftOut.includes(`${method.toUpperCase()} ${route}`))
            .map((method) => [method, { responses: {} }]),
        ),
      ]),
    );
    const target = path.join(home, 'packages/core/build/routes', file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, JSON.stringify({ paths: kept }));
  }
  return home;
};

afterEach(() => {
  for (const home of homes.splice(0)) {
    rmSync(home, { recursive: true, force: true });
  }
});

const build = { name: '1.0.0' };

describe('the Android steps a Logto build can run', () => {
  it('runs them all where every route is documented', () => {
    expect(androidSupport({ logtoHome: logtoHome(), build })).toEqual({});
  });

  it.each([
    ['POST /api/verifications/social', ['link']],
    ['GET /api/my-account/identities/{target}/access-token', ['refresh']],
    ['POST /api/experience/verification/social/{connectorId}/verify', ['signIn', 'refresh']],
  ])('skips what needs %s, naming it', (route, skipped) => {
    const support = androidSupport({ logtoHome: logtoHome([route]), build });
    expect(Object.keys(support).sort()).toEqual([...skipped].sort());
    for (const reason of Object.values(support)) {
      expect(reason).toBe(
        `Logto 1.0.0's core has no ${route} (none in its build's route documents, packages/core/build/routes/**/*.openapi.json)`,
      );
    }
  });

  it('skips them all on a build without route documents', () => {
    const home = mkdtempSync(path.join(tmpdir(), 'android-support-'));
    homes.push(home);
    expect(Object.keys(androidSupport({ logtoHome: home, build })).sort()).toEqual([
      'link',
      'refresh',
      'signIn',
    ]);
  });
});
