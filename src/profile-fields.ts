/**
 * Profile fields as Logto stores and shows them (packages/schemas/tables/users.sql: name
 * varchar(128), avatar varchar(2048), primary_email and primary_phone varchar(128)). A value that
 * cannot be one of these is left out rather than stored broken.
 */
import { isStorableText, limitCodePoints, storableText } from './text.js';

const maxNameLength = 128;
const maxAvatarLength = 2048;
const maxEmailLength = 128;

/** The nickname without control characters, at most 128 code points; undefined when blank. */
export const cleanName = (name: string | undefined): string | undefined => {
  const cleaned = name === undefined ? '' : storableText(name).trim();
  return cleaned ? limitCodePoints(cleaned, maxNameLength).trim() : undefined;
};

/** Scheme first: `javascript:`, `data:` and relative URLs stop here. */
const httpUrlStart = /^https?:\/\//i;

/** An absolute http(s) URL of at most 2048 characters, as the Console may link it. */
export const cleanAvatar = (url: string | undefined): string | undefined => {
  const trimmed = url?.trim();
  return trimmed &&
    trimmed.length <= maxAvatarLength &&
    httpUrlStart.test(trimmed) &&
    !/\s/.test(trimmed) &&
    isStorableText(trimmed) &&
    URL.canParse(trimmed)
    ? trimmed
    : undefined;
};

/** One `@`, a dot in the domain, no white space: what Logto's emailRegEx takes, a bit stricter. */
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const cleanEmail = (email: string | undefined): string | undefined => {
  const trimmed = email?.trim();
  return trimmed &&
    trimmed.length <= maxEmailLength &&
    emailPattern.test(trimmed) &&
    isStorableText(trimmed)
    ? trimmed
    : undefined;
};

/** Digits written with spaces, dashes, dots or brackets and a leading `+` (Logto's phoneInputRegEx, roughly). */
const phonePattern = /^\(?\+?[\d\s().-]+$/;

/**
 * Logto stores a phone as digits with the country code; Xiaomi may write `+86 138…`. Six to
 * fifteen digits (E.164's longest); a masked `138****8000` or any words are not a phone number.
 */
export const cleanPhone = (phone: string | undefined): string | undefined => {
  const trimmed = phone?.trim();
  if (!trimmed || !phonePattern.test(trimmed)) {
    return undefined;
  }
  const digits = trimmed.replace(/\D/g, '').replace(/^00/, '');
  return digits.length >= 6 && digits.length <= 15 ? digits : undefined;
};
