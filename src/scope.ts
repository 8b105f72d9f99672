import { emailScope, openIdScope, phoneScope, profileScope } from './constant.js';
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

/** The scope ids in a scope list, whatever separates them. */
export const scopesIn = (scope: string): Set<string> => new Set(scope.match(/\d+/g) ?? []);

/** The granted scope from the token answer (its separators vary), else what was requested. */
export const grantedScopes = (fromToken: string | undefined, requested: string): Set<string> =>
  fromToken?.match(/\d+/) ? scopesIn(fromToken) : scopesIn(requested);

/** The open-API calls a sign-in with these scopes makes: the profile, and the extras beside it. */
export const openApiCallsOf = (scopes: Set<string>) => {
  const openId = scopes.has(openIdScope);
  const phoneAndEmail = scopes.has(phoneScope) || scopes.has(emailScope);
  return { openId, phoneAndEmail, count: 1 + Number(openId) + Number(phoneAndEmail) };
};
