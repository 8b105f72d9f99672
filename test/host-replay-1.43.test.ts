/**
 * Logto 1.43.0's single social callback URI (#9464; in the mirror as branch
 * wangsijie-unify-social-callback-uri) replayed through the host model: the sign-in page's `se_`
 * state, the Account Center's `ac_` state and its authorization with `/callback/:connectorId`,
 * core's routing of that URI by the state's prefix; and the `app_id` the sign-in page adds to its
 * connectorData, on 1.43 and, as the source shows it since 1.34, on 1.41. Each row names the
 * Logto files it replays as `<ref>:<path>`; the older releases' rows are in host-replay.test.ts.
 */
import { describe, expect, it } from 'vitest';

import { mockUnionId, useNock } from '../src/mock.js';

import {
  accountCenterCallbackUrl,
  approves,
  backFromXiaomi,
  linkedBefore,
  logto141,
  logto143,
  logtoBrowser,
  logtoCallback,
  signInThroughLogtoPage,
  startSignIn,
  throughAccountCenter,
  xiaomiCode,
  xiaomiRedirect,
  type LogtoBuild,
} from './support/host-journeys.js';
import {
  browserLanding,
  type BrowserRequest,
  type CallbackRoutesRelease,
  type LogtoPage,
} from './support/logto-host/callback-routes.js';
import {
  accountCenterFiles,
  experienceFiles,
  expectedStoredTokenSet,
  replayRows,
  tokenStorageFiles,
  type Row,
} from './support/host-replay-table.js';

useNock();

const pr9464 = 'wangsijie-unify-social-callback-uri';
const at = (ref: string, files: string[]) => files.map((file) => `${ref}:${file}`);
const routingFiles = [
  'packages/core/src/routes/callback.ts',
  'packages/schemas/src/consts/social-state.ts',
];
const signIn143Files = at(pr9464, [...experienceFiles, ...routingFiles]);
const accountCenter143Files = at(pr9464, [...accountCenterFiles, ...routingFiles]);

const stateOf = (uri: string) => new URL(uri).searchParams.get('state') ?? '';
const redirectUriOf = (uri: string) => new URL(uri).searchParams.get('redirect_uri');

/** The sign-in page's state on 1.43: `se_` and 8 random bytes in base64url. */
const signInState = /^se_[\w-]{11}$/;
/** The Account Center's on 1.43: `ac_` and a UUID without its dashes. */
const accountCenterState = /^ac_[\da-f]{32}$/;

/** The client id core's OIDC interaction opened the sign-in page with (`?app_id=`). */
const appId = 'fake-app-id-of-the-oidc-client';

const signInRows: Row[] = [
  {
    path: '1.43 sign-in: an `se_` state back on /callback/:id, no redirect, checked and stripped by the page',
    replays: signIn143Files,
    run: async (connector) => {
      const { authorizationUri, landing, connectorData, userInfo } = await signInThroughLogtoPage(
        connector,
        approves,
        { build: logto143 },
      );
      const state = stateOf(authorizationUri);
      expect(state).toMatch(signInState);
      expect(redirectUriOf(authorizationUri)).toBe(logtoCallback);
      const url = `${logtoCallback}?${new URLSearchParams({ code: xiaomiCode, state })}`;
      expect(landing).toEqual({ page: 'sign-in page', url, redirects: [] });
      expect(connectorData).toEqual({ redirectUri: logtoCallback, code: xiaomiCode });
      return userInfo;
    },
    expected: { userId: mockUnionId },
    tokenRedirectUri: logtoCallback,
  },
  {
    path: 'A sign-in started on 1.42 and finished after the upgrade to 1.43: its unprefixed state stays with the sign-in page',
    replays: [...at(pr9464, routingFiles), ...at('v1.41.0', experienceFiles)],
    run: async (connector) =>
      (await signInThroughLogtoPage(connector, approves, { build: { ...logto141, core: '1.43' } }))
        .userInfo,
    expected: { userId: mockUnionId },
    tokenRedirectUri: logtoCallback,
  },
];

const appIdRows: Row[] = [
  { release: '1.41', build: logto141, ref: 'v1.41.0' },
  { release: '1.43', build: logto143, ref: pr9464 },
].map(({ release, build, ref }: { release: string; build: LogtoBuild; ref: string }) => ({
  path: `${release}: a sign-in from an app (OIDC) posts the page's app_id in connectorData; the connector ignores it`,
  replays: at(ref, [
    'packages/core/src/oidc/init.ts',
    'packages/core/src/oidc/utils.ts',
    'packages/experience/src/shared/utils/search-parameters.ts',
    'packages/experience/src/hooks/use-navigate-with-preserved-search-params.ts',
    ...experienceFiles,
  ]),
  run: async (connector, sent) => {
    const { connectorData, userInfo } = await signInThroughLogtoPage(connector, approves, {
      build,
      appId,
    });
    expect(connectorData).toEqual({ redirectUri: logtoCallback, code: xiaomiCode, app_id: appId });
    // The code exchange and the profile, and nothing of app_id in either.
    expect(sent.requests).toHaveLength(2);
    expect(sent.requests.join('\n')).not.toContain(appId);
    return userInfo;
  },
  expected: { userId: mockUnionId },
  tokenRedirectUri: logtoCallback,
}));

const accountCenterRows: Row[] = (['add', 'change'] as const).flatMap((mode) =>
  [false, true].map((enableTokenStorage): Row => ({
    path: `1.43 Account Center ${mode === 'add' ? 'links' : 'replaces'} Xiaomi, token storage ${enableTokenStorage ? 'on' : 'off'}: /callback/:id, a 303 to /account/callback/social/:id, the exchange with /callback/:id`,
    replays: enableTokenStorage
      ? [...accountCenter143Files, ...at(pr9464, tokenStorageFiles)]
      : accountCenter143Files,
    run: async (connector) => {
      const { tenant, authorizationUri, landing, page, linked } = await throughAccountCenter(
        connector,
        {
          build: logto143,
          enableTokenStorage,
          mode,
          before: mode === 'change' ? linkedBefore : undefined,
        },
      );
      const state = stateOf(authorizationUri);
      expect(state).toMatch(accountCenterState);
      expect(redirectUriOf(authorizationUri)).toBe(logtoCallback);
      const landed = `${accountCenterCallbackUrl}?${new URLSearchParams({ code: xiaomiCode, state })}`;
      expect(landing).toEqual({ page: 'Account Center', url: landed, redirects: [landed] });
      expect(page).toEqual({
        ok: true,
        connectorData: { code: xiaomiCode, state, redirectUri: logtoCallback },
      });
      expect(tenant.tokenSets.get('xiaomi')).toEqual(
        enableTokenStorage ? expectedStoredTokenSet : undefined,
      );
      return linked;
    },
    expected: { userId: mockUnionId },
    tokenRedirectUri: logtoCallback,
  })),
);

/** A link started on 1.38–1.42 whose callback arrives after the upgrade to 1.43 (README says it works). */
const upgradeRows: Row[] = [
  {
    path: 'a link started in 1.42’s Account Center and finished on 1.43: no 303, the page posts /callback/:id, the code is exchanged with the URI it was authorized with',
    replays: [
      ...at('v1.42.0', ['packages/account/src/pages/SocialFlow/index.tsx']),
      ...accountCenter143Files,
    ],
    run: async (connector) => {
      const { authorizationUri, landing, page, linked } = await throughAccountCenter(connector, {
        build: logto141,
        finishOn: logto143,
      });
      const state = stateOf(authorizationUri);
      expect(redirectUriOf(authorizationUri)).toBe(accountCenterCallbackUrl);
      const landed = `${accountCenterCallbackUrl}?${new URLSearchParams({ code: xiaomiCode, state })}`;
      expect(landing).toEqual({ page: 'Account Center', url: landed, redirects: [] });
      // 1.43's page posts its own new redirect URI; the connector session holds the old one.
      expect(page).toEqual({
        ok: true,
        connectorData: { code: xiaomiCode, state, redirectUri: logtoCallback },
      });
      return linked;
    },
    expected: { userId: mockUnionId },
    tokenRedirectUri: accountCenterCallbackUrl,
  },
];

const forgedPrefixRows: Row[] = [
  {
    path: '1.43: an Account Center callback whose state was given the `se_` prefix goes to the sign-in page, which refuses it',
    replays: at(pr9464, [
      'packages/core/src/routes/callback.ts',
      'packages/experience/src/utils/social-connectors.ts',
      'packages/experience/src/hooks/use-redirect-callback-validation.ts',
    ]),
    run: async (connector) => {
      const { landing, page } = await throughAccountCenter(connector, {
        build: logto143,
        tamperCallback: (url) => url.searchParams.set('state', `se_${stateOf(url.href).slice(3)}`),
      });
      expect(landing.page).toBe('sign-in page');
      return page;
    },
    expected: { refusedByPage: 'not started' },
    tokenRedirectUri: undefined,
  },
  {
    path: '1.43: a sign-in callback whose state was given the `ac_` prefix gets a 303 to the Account Center, which refuses it',
    replays: at(pr9464, [
      'packages/core/src/routes/callback.ts',
      'packages/account/src/pages/SocialCallback/index.tsx',
    ]),
    run: async (connector) => {
      const browser = logtoBrowser(connector, { build: logto143 });
      const callback = new URL(xiaomiRedirect(await startSignIn(browser), approves));
      callback.searchParams.set('state', `ac_${stateOf(callback.href).slice(3)}`);
      const { landing, page } = await backFromXiaomi(browser, callback.href);
      expect(landing.page).toBe('Account Center');
      expect(landing.redirects).toHaveLength(1);
      return page;
    },
    expected: { refusedByPage: 'invalid_session' },
    tokenRedirectUri: undefined,
  },
];

describe('the connector through Logto 1.43’s flows', () => {
  replayRows([
    ...signInRows,
    ...appIdRows,
    ...accountCenterRows,
    ...upgradeRows,
    ...forgedPrefixRows,
  ]);
});

const get = (query: string, url = logtoCallback): BrowserRequest => ({
  method: 'GET',
  url: `${url}?${query}`,
});
const post = (state: string, url = logtoCallback): BrowserRequest => ({
  method: 'POST',
  url,
  form: { code: 'c1', state },
});
const signInPageAt = (state: string) => `${logtoCallback}?code=c1&state=${state}`;
const accountCenterAt = (state: string) => `${accountCenterCallbackUrl}?code=c1&state=${state}`;

describe(`where core's callback routes send the browser (${pr9464}:packages/core/src/routes/callback.ts, and v1.41.0's)`, () => {
  it.each<[CallbackRoutesRelease, string, LogtoPage, BrowserRequest, string[]]>([
    ['1.43', 'GET, ac_', 'Account Center', get('code=c1&state=ac_1'), [accountCenterAt('ac_1')]],
    ['1.43', 'GET, se_', 'sign-in page', get('code=c1&state=se_1'), []],
    ['1.43', 'GET, another state', 'sign-in page', get('code=c1&state=abc'), []],
    ['1.43', 'GET, no state', 'sign-in page', get('code=c1'), []],
    [
      '1.43',
      'GET, state twice (an array in Koa)',
      'sign-in page',
      get('state=ac_1&state=ac_1'),
      [],
    ],
    ['1.43', 'POST, ac_', 'Account Center', post('ac_1'), [accountCenterAt('ac_1')]],
    ['1.43', 'POST, se_', 'sign-in page', post('se_1'), [signInPageAt('se_1')]],
    ['1.43', 'GET its page', 'Account Center', get('state=ac_1', accountCenterCallbackUrl), []],
    ['1.38', 'GET, ac_', 'sign-in page', get('code=c1&state=ac_1'), []],
    ['1.38', 'POST, ac_', 'sign-in page', post('ac_1'), [signInPageAt('ac_1')]],
    [
      '1.38',
      'POST to its page',
      'Account Center',
      post('x', accountCenterCallbackUrl),
      [accountCenterAt('x')],
    ],
  ])('%s, %s: lands on the %s', (release, _name, page, request, redirects) => {
    expect(browserLanding(request, release)).toEqual({
      page,
      url: redirects.at(-1) ?? request.url,
      redirects,
    });
  });

  it('refuses a form post whose values are not all strings (oidc.invalid_request)', () => {
    const form = { state: ['ac_1', 'ac_2'] };
    expect(() => browserLanding({ method: 'POST', url: logtoCallback, form }, '1.43')).toThrow(
      expect.objectContaining({ code: 'oidc.invalid_request', status: 400 }),
    );
  });
});
