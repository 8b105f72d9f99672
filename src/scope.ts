import { profileScope } from './constant.js';
import { scopeListPattern } from './types.js';

/** Splits a space-separated scope list; undefined when it is not one. */
export const parseScopes = (scope: string | undefined): string[] | undefined => {
  const trimmed = scope?.trim();
  if (!trimmed || !scopeListPattern.test(trimmed)) {
    return undefined;
  }
  return trimmed.split(/\s+/);
};

/** The scope to request: scope 1 first (sign-in needs the profile), then the rest, once each. */
export const withProfileScope = (scopes: string[]): string =>
  [...new Set([profileScope, ...scopes])].join(' ');

/** The granted scope from the token answer (its separators vary), else what was requested. */
export const grantedScopes = (fromToken: string | undefined, requested: string): Set<string> => {
  const granted = fromToken?.match(/\d+/g);
  return new Set(granted ?? requested.match(/\d+/g) ?? []);
};
