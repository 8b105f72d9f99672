/**
 * Refreshes in flight, shared by everyone asking with the same refresh token. Logto refreshes a
 * stored token whenever an app reads it after expiry (core's routes/account/third-party-tokens.ts),
 * so two reads at once send the same refresh token twice; Xiaomi's refresh tokens work once, and
 * the second would get 96009 although the stored set is fine. Per process: Logto builds a connector
 * per request, so the map lives in the module; instances behind a load balancer can still race.
 */
import type { XiaomiTokenSet } from './types.js';

const inFlight = new Map<string, Promise<XiaomiTokenSet>>();

/** Runs `refresh` unless one with the same key is running, whose outcome is then shared. */
export const shareRefresh = async (
  key: readonly string[],
  refresh: () => Promise<XiaomiTokenSet>,
): Promise<XiaomiTokenSet> => {
  const id = JSON.stringify(key);
  const running = inFlight.get(id);
  if (running) {
    return running;
  }
  // Forgotten once settled: a failed refresh is not remembered, the next one asks Xiaomi again.
  const started = refresh().finally(() => inFlight.delete(id));
  inFlight.set(id, started);
  return started;
};
