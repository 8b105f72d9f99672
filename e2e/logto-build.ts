/**
 * What the Logto under test is, read from its build rather than its package.json: Logto's source
 * with PR #9464 (released in 1.43.0) still says 1.42.0 there. Named in the report's header and
 * used to choose what the Account Center steps expect.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { z } from 'zod';

export type SocialCallback = {
  /**
   * True from PR #9464 (1.43.0): the Account Center authorizes with /callback/:id and an `ac_`
   * state, and core answers that callback with a 303 to /account/callback/social/:id.
   */
  shared: boolean;
  /** What in the build says so. */
  evidence: string;
};

export type LogtoBuild = {
  /** packages/core/package.json's version. */
  version: string;
  /** The version plus what the build shows beyond it (the #9464 change). */
  name: string;
  kitVersion: string;
  /** The oidc-provider core runs on, and whether it is a stand-in for Logto's fork. */
  oidcProvider: string;
  socialCallback: SocialCallback;
  /** The Account Center's build core serves, if any. */
  accountDist?: string;
  /** Whether that build has the social section (Logto 1.38+: its /callback/social route). */
  accountCenterSocial: boolean;
};

const packageGuard = z.object({ version: z.string(), description: z.string().optional() });

const readPackage = (file: string) =>
  existsSync(file) ? packageGuard.parse(JSON.parse(readFileSync(file, 'utf8'))) : undefined;

/** What core resolves: its own node_modules (a source checkout) or the root's (an install). */
const resolvedPackage = (home: string, name: string) =>
  readPackage(path.join(home, 'packages/core/node_modules', name, 'package.json')) ??
  readPackage(path.join(home, 'node_modules', name, 'package.json'));

/** Where core serves the Account Center from in production (koa-spa-proxy: node_modules/@logto/account). */
const accountBuilds = (home: string) => [
  path.join(home, 'packages/core/node_modules/@logto/account/dist'),
  path.join(home, 'node_modules/@logto/account/dist'),
  path.join(home, 'packages/account/dist'),
];

const scripts = (folder: string): string[] =>
  existsSync(folder)
    ? readdirSync(folder)
        .filter((file) => file.endsWith('.js'))
        .map((file) => readFileSync(path.join(folder, file), 'utf8'))
    : [];

export const bundleMatches = (dist: string, pattern: string | RegExp): boolean =>
  scripts(path.join(dist, 'assets')).some((text) =>
    typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text),
  );

/**
 * The build script names a stand-in in its package.json description (shared/tools/
 * build-logto-host-oidc9.sh): upstream oidc-provider with Logto's fork patches, not the fork.
 */
const describeOidcProvider = (home: string): string => {
  const found = resolvedPackage(home, 'oidc-provider');
  if (!found) {
    return 'unknown';
  }
  const standIn = /^STAND-IN for logto-io\/node-oidc-provider#([\da-f]{7})/.exec(
    found.description ?? '',
  );
  return standIn
    ? `${found.version}, a stand-in: upstream oidc-provider ${found.version} with Logto's fork patches in place of the fork (${standIn[1]})`
    : found.version;
};

/**
 * The two halves of #9464, each read where it runs: the Account Center's bundle builds the
 * redirect URI `${window.location.origin}/callback/${connectorId}` (pages/SocialFlow), and core's
 * build routes a callback by accountCenterSocialStatePrefix (routes/callback.ts).
 */
const detectSocialCallback = (home: string, accountDist: string | undefined): SocialCallback => {
  const accountShares =
    accountDist !== undefined &&
    bundleMatches(accountDist, /\$\{window\.location\.origin\}\/callback\/\$\{/);
  const coreRoutes = scripts(path.join(home, 'packages/core/build')).some((text) =>
    text.includes('accountCenterSocialStatePrefix'),
  );
  if (accountShares && coreRoutes) {
    return {
      shared: true,
      evidence:
        "the Account Center's bundle authorizes with ${origin}/callback/${connectorId} and core's build routes callbacks by accountCenterSocialStatePrefix",
    };
  }
  return {
    shared: false,
    evidence: `the Account Center's bundle ${accountShares ? 'authorizes with /callback/:id' : 'does not authorize with /callback/:id'}, core's build ${coreRoutes ? 'routes' : 'does not route'} callbacks by the ac_ state prefix`,
  };
};

export const readLogtoBuild = (home: string): LogtoBuild => {
  const version = readPackage(path.join(home, 'packages/core/package.json'))?.version ?? 'unknown';
  const accountDist = accountBuilds(home).find((folder) => existsSync(folder));
  const socialCallback = detectSocialCallback(home, accountDist);
  return {
    // The Account Center's callback route (packages/account/src/constants/routes.ts, 1.38+).
    accountCenterSocial:
      accountDist !== undefined && bundleMatches(accountDist, '/callback/social'),
    version,
    name: socialCallback.shared
      ? `${version} + the PR #9464 change (one social callback URI, released in 1.43.0)`
      : version,
    kitVersion: resolvedPackage(home, '@logto/connector-kit')?.version ?? 'unknown',
    oidcProvider: describeOidcProvider(home),
    socialCallback,
    accountDist,
  };
};

/** The report header's account of the build, from what was read in it. */
export const describeBuild = ({
  version,
  oidcProvider,
  socialCallback,
  accountCenterSocial,
}: LogtoBuild): string =>
  [
    `packages/core/package.json says ${version}`,
    `oidc-provider ${oidcProvider}`,
    !accountCenterSocial
      ? 'no social linking in the Account Center'
      : socialCallback.shared
        ? `social callback: one URI, /callback/:id, for the sign-in page and the Account Center (PR #9464: ${socialCallback.evidence})`
        : `social callback: the Account Center's own /account/callback/social/:id (${socialCallback.evidence})`,
  ].join('; ');
