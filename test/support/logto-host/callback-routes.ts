/**
 * Core's callback routes, packages/core/src/routes/callback.ts, and the page the browser lands on:
 * - v1.41.0 (the same from 1.38 to 1.42): `POST /callback/:connectorId` and
 *   `POST /account/callback/social/:connectorId` turn a provider's form post into a 303 to the
 *   same path with the form as query; a GET is no route of core's, the page is served.
 * - 1.43.0 (#9464, branch wangsijie-unify-social-callback-uri): `GET /callback/:connectorId` whose
 *   `state` starts with `ac_` gets a 303 to `/account/callback/social/:connectorId` with the same
 *   query, and so does a form post there; any other state (or none) stays with the sign-in page.
 * The pages: the sign-in page's route `callback/:connectorId` (packages/experience/src/App.tsx),
 * the Account Center's `callback/social/:connectorId` under `/account` (packages/account/src/
 * constants/routes.ts, utils/account-center-internal-route.ts).
 */
import { z } from 'zod';

import { assertThat } from './request-error.js';
import { accountCenterSocialStatePrefix } from './social-state.js';

/** '1.38': 1.38 to 1.42 (1.37 has no Account Center route); '1.43': one callback URI for both. */
export type CallbackRoutesRelease = '1.38' | '1.43';

/** What the browser asks for: a redirect's GET, or a provider's form post (form_post). */
export type BrowserRequest =
  { method: 'GET'; url: string } | { method: 'POST'; url: string; form: Record<string, unknown> };

export type LogtoPage = 'sign-in page' | 'Account Center';

/** Where the browser ends up: the page serving the URL, after core's 303s (each Location). */
export type Landing = { page: LogtoPage; url: string; redirects: string[] };

const signInCallbackPath = /^\/callback\/([^/]+)$/;
const accountCenterCallbackPath = /^\/account\/callback\/social\/([^/]+)$/;

/** `getAccountCenterCallbackLocation` (1.43). */
const accountCenterLocation = (connectorId: string, searchParams: string) =>
  `/account/callback/social/${connectorId}?${searchParams}`;

/** Koa's `ctx.query.state`: a string only when the key appears once. */
const singleState = (query: URLSearchParams) => {
  const states = query.getAll('state');
  return states.length === 1 ? states[0] : undefined;
};

/** One request through core's callback routes: a 303's Location, or undefined (`next()`). */
export const coreCallbackRoute = (
  request: BrowserRequest,
  release: CallbackRoutesRelease,
): string | undefined => {
  const { pathname, search } = new URL(request.url);
  const connectorId = signInCallbackPath.exec(pathname)?.[1];
  if (connectorId === undefined && !accountCenterCallbackPath.test(pathname)) {
    return undefined;
  }
  let query = new URLSearchParams(search);
  let state = singleState(query);
  if (request.method === 'POST') {
    const parsed = z.record(z.string()).safeParse(request.form);
    assertThat(parsed.success, 'oidc.invalid_request');
    query = new URLSearchParams(parsed.data);
    ({ state } = parsed.data);
  }
  if (
    release === '1.43' &&
    connectorId !== undefined &&
    state?.startsWith(accountCenterSocialStatePrefix)
  ) {
    return accountCenterLocation(connectorId, query.toString());
  }
  return request.method === 'POST' ? `${pathname}?${query.toString()}` : undefined;
};

const pageAt = (url: string): LogtoPage => {
  const { pathname } = new URL(url);
  if (signInCallbackPath.test(pathname)) {
    return 'sign-in page';
  }
  if (accountCenterCallbackPath.test(pathname)) {
    return 'Account Center';
  }
  throw new Error(`No page of Logto's serves ${pathname} in this model.`);
};

/** The browser follows each 303 with a GET until core passes the request on to a page. */
export const browserLanding = (
  request: BrowserRequest,
  release: CallbackRoutesRelease,
): Landing => {
  const redirects: string[] = [];
  let current = request;
  let location = coreCallbackRoute(current, release);
  while (location !== undefined) {
    current = { method: 'GET', url: new URL(location, current.url).href };
    redirects.push(current.url);
    location = coreCallbackRoute(current, release);
  }
  // A form post core has no route for.
  assertThat(current.method === 'GET', 'not_found', 404);
  return { page: pageAt(current.url), url: current.url, redirects };
};
