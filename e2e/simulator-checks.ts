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
