/**
 * What the simulated Xiaomi saw and accepts, read only through what simulator/index.ts exports
 * and its public HTTP API (the open API a real app would call with a token).
 */
import ky from 'ky';
import { z } from 'zod';

import type { SimulatorAccount, XiaomiSimulator } from '../simulator/index.js';

/** The calls Xiaomi got since `from` (an index into calls()), as "METHOD /path" (never queries). */
export const xiaomiCallsSince = (simulator: XiaomiSimulator, from: number): string =>
  simulator
    .calls()
    .slice(from)
    .map(({ method, path }) => `${method} ${path}`)
    .join(', ');

const profileAnswerGuard = z.object({
  result: z.string(),
  code: z.union([z.number(), z.string()]).optional(),
  data: z.object({ unionId: z.string() }).passthrough().optional(),
});

/** Asks Xiaomi's profile API with the token: it must be live and belong to the account. */
export const checkTokenAtSimulator = async (
  simulator: XiaomiSimulator,
  clientId: string,
  accessToken: string,
  account: SimulatorAccount,
): Promise<void> => {
  const url = new URL('/user/profile', simulator.baseUrl);
  url.search = new URLSearchParams({ clientId, token: accessToken }).toString();
  const answer = profileAnswerGuard.parse(await ky.get(url, { throwHttpErrors: false }).json());
  if (answer.result !== 'ok' || answer.data?.unionId !== account.unionId) {
    throw new Error(
      `Xiaomi does not accept the stored access token for ${account.unionId}: ${JSON.stringify({ result: answer.result, code: answer.code })}`,
    );
  }
};

/**
 * The calls from `from` (up to `to`) were all for one app: its token endpoint call of `grantType`
 * with the redirect URI, and every call that named an App ID named this one. Returns a description.
 */
export const expectCallsForApp = (
  simulator: XiaomiSimulator,
  { from, to }: { from: number; to?: number },
  {
    clientId,
    redirectUri,
    grantType,
  }: { clientId: string; redirectUri: string; grantType: string },
): string => {
  const calls = simulator.calls().slice(from, to);
  const token = calls.find((call) => call.path === '/oauth2/token' && call.grantType === grantType);
  if (token?.clientId !== clientId || token.redirectUri !== redirectUri) {
    throw new Error(
      `Xiaomi's token endpoint got ${token ? `App ID ${token.clientId ?? 'none'} and redirect_uri ${token.redirectUri ?? 'none'}` : `no ${grantType} call`}, expected App ID ${clientId} and redirect_uri ${redirectUri}`,
    );
  }
  const others = calls.filter((call) => call.clientId !== undefined && call.clientId !== clientId);
  if (others.length > 0) {
    throw new Error(
      `Xiaomi was also called for another app: ${others.map((call) => `${call.method} ${call.path} (App ID ${call.clientId ?? ''})`).join(', ')}`,
    );
  }
  const seen = calls.map(({ method, path }) => `${method} ${path}`).join(', ');
  return `Xiaomi's token endpoint got App ID ${clientId} and redirect_uri ${redirectUri} (${grantType}); Xiaomi saw ${seen}, all for App ID ${clientId}`;
};
