import type { SocialUserInfo } from '@logto/connector-kit';

import type { XiaomiPhoneAndEmail, XiaomiProfile } from './types.js';

export type ProfileExtras = {
  /** From the token answer. */
  openId?: string;
  /** From user/openidV2 (scope 3). */
  openid?: string;
  /** From user/phoneAndEmail (scopes 4 and 6). */
  phoneAndEmail?: XiaomiPhoneAndEmail;
};

const nonEmpty = (value: string | undefined) => (value?.trim() ? value : undefined);

/** Largest first: the original upload, the default icon, then the sized ones. */
const avatarOf = (profile: XiaomiProfile) =>
  [
    profile.miliaoIcon_orig,
    profile.miliaoIcon,
    profile.miliaoIcon_320,
    profile.miliaoIcon_120,
    profile.miliaoIcon_90,
    profile.miliaoIcon_75,
  ]
    .map(nonEmpty)
    .find(Boolean);

/** Logto stores a phone as digits with the country code; Xiaomi may write `+86 138…`. */
export const normalizePhone = (phone: string | undefined) => {
  const digits = phone?.replace(/\D/g, '').replace(/^00/, '');
  return digits ? digits : undefined;
};

const normalizeEmail = (email: string | undefined) => {
  const trimmed = email?.trim();
  return trimmed?.includes('@') ? trimmed : undefined;
};

const withoutUndefined = <T extends Record<string, string | undefined>>(record: T) =>
  Object.fromEntries(
    Object.entries(record).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );

/** The user Logto gets. `rawData` holds what Xiaomi said of the user, never a token. */
export const toUserInfo = (profile: XiaomiProfile, extras: ProfileExtras): SocialUserInfo => {
  const phone = normalizePhone(extras.phoneAndEmail?.phone);
  const email = normalizeEmail(extras.phoneAndEmail?.email);
  const name = nonEmpty(profile.miliaoNick);
  const avatar = avatarOf(profile);

  return {
    id: profile.unionId,
    ...(name && { name }),
    ...(avatar && { avatar }),
    ...(email && { email }),
    ...(phone && { phone }),
    rawData: withoutUndefined({
      ...profile,
      openId: extras.openId,
      openid: extras.openid,
      phone: nonEmpty(extras.phoneAndEmail?.phone),
      email: nonEmpty(extras.phoneAndEmail?.email),
    }),
  };
};
