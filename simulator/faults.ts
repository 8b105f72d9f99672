/**
 * Fault switches: simulator-wide ones apply to every app; an app's own (keyed by its client id,
 * which every Xiaomi request carries) are laid over them, so one playground session's switches
 * never reach another's app.
 */
import { z } from 'zod';

import { faultFlags, type SimulatorFaults } from './data.js';
import { guard } from './web/guard.js';

const flag = z.boolean().optional();

const faultsGuard = z
  .object({
    wrongSecret: flag,
    redirectUriNotRegistered: flag,
    codeAlreadyUsed: flag,
    profileTokenRejected: flag,
    badGateway: flag,
    hang: flag,
    delayMs: z.number().finite().nonnegative().nullish(),
  })
  .strict()
  .transform(({ delayMs, ...flags }): SimulatorFaults => {
    const faults: SimulatorFaults = {};
    for (const name of faultFlags) {
      const value = flags[name];
      if (value !== undefined) {
        faults[name] = value;
      }
    }
    return delayMs === null || delayMs === undefined ? faults : { ...faults, delayMs };
  });

/** Validates a faults object from an untrusted source (the HTTP switch); throws a 400 error. */
export const parseFaults = (input: unknown): SimulatorFaults => guard(faultsGuard, input, 'faults');

export type FaultBoard = {
  /** Replaces the simulator-wide faults, or the app's own when a client id is given. */
  set(faults: SimulatorFaults, clientId?: string): void;
  /** The simulator-wide faults, or those an app's requests get (its own over the wide ones). */
  get(clientId?: string): SimulatorFaults;
  /** Forgets an app's own faults. */
  forget(clientId: string): void;
  clear(): void;
};

export const createFaultBoard = (initial: SimulatorFaults = {}): FaultBoard => {
  let wide = parseFaults(initial);
  const perApp = new Map<string, SimulatorFaults>();
  return {
    set(faults, clientId) {
      const parsed = parseFaults(faults);
      if (clientId === undefined) {
        wide = parsed;
      } else {
        perApp.set(clientId, parsed);
      }
    },
    get: (clientId) => ({ ...wide, ...(clientId ? perApp.get(clientId) : undefined) }),
    forget(clientId) {
      perApp.delete(clientId);
    },
    clear() {
      wide = {};
      perApp.clear();
    },
  };
};
