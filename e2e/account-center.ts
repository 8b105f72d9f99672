/**
 * What the Account Center steps need from the host: whether this Logto's Account Center has the
 * social section (Logto 1.38+: link and remove; 1.40+: change), read from the build core serves,
 * and the Xiaomi accounts only these steps link.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type { SimulatorAccount } from '../simulator/index.js';

import type { Settings } from './settings.js';

/** Undefined reasons mean the step can run on this Logto. */
export type AccountCenterSupport = {
  /** Why link, remove and the refusal cannot run here. */
  skipReason?: string;
  /** Why the replace ("Change") step cannot run here. */
  changeSkipReason?: string;
};

/** The Account Center's callback route (packages/account/src/constants/routes.ts, Logto 1.38+). */
const socialCallbackRoute = '/callback/social';

/** Where core serves the Account Center from in production (koa-spa-proxy: node_modules/@logto/account). */
const accountBuilds = (home: string) => [
  path.join(home, 'packages/core/node_modules/@logto/account/dist'),
  path.join(home, 'node_modules/@logto/account/dist'),
  path.join(home, 'packages/account/dist'),
];

const bundleHas = (dist: string, text: string): boolean => {
  const assets = path.join(dist, 'assets');
  return (
    existsSync(assets) &&
    readdirSync(assets)
      .filter((file) => file.endsWith('.js'))
      .some((file) => readFileSync(path.join(assets, file), 'utf8').includes(text))
  );
};

const atLeast = (version: string, [major, minor]: [number, number]): boolean => {
  const [actualMajor = 0, actualMinor = 0] = version.split('.').map(Number);
  return actualMajor > major || (actualMajor === major && actualMinor >= minor);
};

export const accountCenterSupport = ({
  logtoHome,
  logtoVersion,
}: Settings): AccountCenterSupport => {
  const dist = accountBuilds(logtoHome).find((folder) => existsSync(folder));
  const logto = `Logto ${logtoVersion}`;
  if (!dist) {
    return { skipReason: `${logto} has no Account Center build (@logto/account/dist)` };
  }
  if (!bundleHas(dist, socialCallbackRoute)) {
    return {
      skipReason: `${logto}'s Account Center has no social section (Logto 1.38+): its build (${path.relative(logtoHome, dist)}) has no /account${socialCallbackRoute} route`,
    };
  }
  return atLeast(logtoVersion, [1, 40])
    ? {}
    : {
        changeSkipReason: `${logto}'s Account Center has no Change for a social account (Logto 1.40+)`,
      };
};

/** Two Xiaomi accounts nobody signs in with: the user links the first, then replaces it. */
export const accountCenterAccounts: SimulatorAccount[] = [
  {
    userId: '5566778899',
    unionId: 'sim-union-Ac1Lk7Nt3Qw8',
    nickname: 'Wang Fang',
    icon: '',
    phone: '',
    email: '',
    openIdSeed: 'seed-account-center-1',
    label: 'Linked in the Account Center',
  },
  {
    userId: '6677889900',
    unionId: 'sim-union-Ac2Rp4Zm8Xe6',
    nickname: 'Zhang Wei',
    icon: '',
    phone: '',
    email: '',
    openIdSeed: 'seed-account-center-2',
    label: 'Replaces it in the Account Center',
  },
];
