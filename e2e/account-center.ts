/**
 * What the Account Center steps need from the host: whether this Logto's Account Center has the
 * social section (Logto 1.38+: link and remove; 1.40+: change) and which callback it uses, read
 * from the build core serves (logto-build.ts), and the Xiaomi accounts only these steps link.
 */
import path from 'node:path';

import type { SimulatorAccount } from '../simulator/index.js';

import type { SocialCallback } from './logto-build.js';
import type { Settings } from './settings.js';

/** Undefined reasons mean the step can run on this Logto. */
export type AccountCenterSupport = {
  /** Why link, remove and the refusal cannot run here. */
  skipReason?: string;
  /** Why the replace ("Change") step cannot run here. */
  changeSkipReason?: string;
  /** Which callback the Account Center uses (its own, or /callback/:id from PR #9464). */
  socialCallback: SocialCallback;
};

const atLeast = (version: string, [major, minor]: [number, number]): boolean => {
  const [actualMajor = 0, actualMinor = 0] = version.split('.').map(Number);
  return actualMajor > major || (actualMajor === major && actualMinor >= minor);
};

export const accountCenterSupport = ({ logtoHome, build }: Settings): AccountCenterSupport => {
  const { accountDist, accountCenterSocial, version, socialCallback } = build;
  const logto = `Logto ${build.name}`;
  if (!accountDist) {
    return {
      socialCallback,
      skipReason: `${logto} has no Account Center build (@logto/account/dist)`,
    };
  }
  if (!accountCenterSocial) {
    return {
      socialCallback,
      skipReason: `${logto}'s Account Center has no social section (Logto 1.38+): its build (${path.relative(logtoHome, accountDist)}) has no /account/callback/social route`,
    };
  }
  return atLeast(version, [1, 40])
    ? { socialCallback }
    : {
        socialCallback,
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
