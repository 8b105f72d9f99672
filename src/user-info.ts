import type { SocialUserInfo } from '@logto/connector-kit';

import { cleanAvatar, cleanEmail, cleanName, cleanPhone } from './profile-fields.js';
import { storableText } from './text.js';
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

/** Largest first: the original upload, the default icon, then the sized ones; the first usable. */
const avatarOf = (profile: XiaomiProfile) => {
  for (const url of [
    profile.miliaoIcon_orig,
    profile.miliaoIcon,
    profile.miliaoIcon_320,
    profile.miliaoIcon_120,
    profile.miliaoIcon_90,
    profile.miliaoIcon_75,
  ]) {
    const avatar = cleanAvatar(url);
    if (avatar) {
      return avatar;
    }
  }
  return undefined;
};

/**
 * What Xiaomi said, as Logto stores it (jsonb): every value without control characters or lone
 * surrogates, and nothing empty.
 */
const storable = (record: Record<string, string | undefined>) => {
  const stored: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) {
    if (value !== undefined) {
      stored[key] = storableText(value);
    }
  }
  return stored;
};

/** The user Logto gets. `rawData` holds what Xiaomi said of the user, never a token. */
export const toUserInfo = (profile: XiaomiProfile, extras: ProfileExtras): SocialUserInfo => {
  const phone = cleanPhone(extras.phoneAndEmail?.phone);
  const email = cleanEmail(extras.phoneAndEmail?.email);
  const name = cleanName(profile.miliaoNick);
  const avatar = avatarOf(profile);

  return {
    id: profile.unionId,
    ...(name && { name }),
    ...(avatar && { avatar }),
    ...(email && { email }),
    ...(phone && { phone }),
    rawData: storable({
      ...profile,
      openId: extras.openId,
      openid: extras.openid,
      phone: nonEmpty(extras.phoneAndEmail?.phone),
      email: nonEmpty(extras.phoneAndEmail?.email),
    }),
  };
};
