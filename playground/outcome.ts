/** Turning what a connector call did into what the result page shows. */
import { ConnectorError } from '@logto/connector-kit';
import { isKeyInObject } from '@logto/cli/lib/connector/utils.js';

import { LogtoRequestError } from '../test/support/logto-host/request-error.js';

import { mask } from './pages/layout.js';
import type { Outcome, PlaygroundSettings, ShownError } from './pages/types.js';

const stringField = (data: unknown, key: string): string | undefined => {
  if (!isKeyInObject(data, key)) {
    return undefined;
  }
  const value = data[key];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
};

export const toShownError = (error: unknown): ShownError => {
  if (error instanceof ConnectorError) {
    const { data } = error;
    return {
      code: error.code,
      by: 'connector',
      description:
        stringField(data, 'errorDescription') ??
        (typeof data === 'string' ? data : error.message || error.code),
      xiaomiCode: stringField(data, 'xiaomiCode'),
      data: data ?? null,
    };
  }
  if (error instanceof LogtoRequestError) {
    return {
      code: error.code,
      by: 'Logto',
      description: `Logto core refused the request (HTTP ${error.status}).`,
      data: null,
    };
  }
  if (error instanceof Error) {
    return { code: error.name, by: 'other', description: error.message, data: null };
  }
  return { code: 'unknown', by: 'other', description: String(error), data: null };
};

/** Secrets that must never appear in what Logto stores (user info) or logs (error data). */
export const findLeaks = (
  places: Record<string, unknown>,
  secrets: Record<string, string | undefined>,
): string[] => {
  const leaks: string[] = [];
  for (const [place, value] of Object.entries(places)) {
    if (value === undefined) {
      continue;
    }
    const text = JSON.stringify(value) ?? '';
    for (const [name, secret] of Object.entries(secrets)) {
      if (secret && secret.length >= 4 && text.includes(secret)) {
        leaks.push(`${name} in ${place}`);
      }
    }
  }
  return leaks;
};

/** Every App Secret the settings hold, named as a leak names them: the web app's, then each mobile app's. */
export const configuredSecretsOf = ({
  clientSecret,
  mobileClientSecrets,
}: Pick<PlaygroundSettings, 'clientSecret' | 'mobileClientSecrets'>): Record<string, string> => ({
  'App Secret': clientSecret,
  ...Object.fromEntries(
    mobileClientSecrets
      .split(/\s+/)
      .filter(Boolean)
      .map((secret, index) => [`mobile App Secret ${index + 1}`, secret]),
  ),
});

/** The secrets a sign-in's result shows (its user info, error data or call log), by name. */
export const signInLeaks = (
  {
    userInfo,
    error,
    calls,
    tokenResponse,
  }: Pick<Outcome, 'userInfo' | 'error' | 'calls' | 'tokenResponse'>,
  settings: PlaygroundSettings,
  code: string | undefined,
): string[] =>
  findLeaks(
    { 'user info': userInfo, 'error data': error?.data, 'call log': calls },
    {
      access_token: tokenResponse?.access_token,
      refresh_token: tokenResponse?.refresh_token,
      ...configuredSecretsOf(settings),
      'authorization code': code,
    },
  );

/** The same object with its authorization code masked, for showing. */
export const withMaskedCode = (data: Record<string, string>): Record<string, string> =>
  data.code === undefined ? data : { ...data, code: mask(data.code) };

export const elapsedSince = (started: number): number => Math.round(performance.now() - started);
