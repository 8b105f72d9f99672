/**
 * Fresh codes for each round, from the simulator's process. Each batch first resets the simulator
 * (its codes, tokens and call log would otherwise grow), and reports the Xiaomi calls answered
 * and the CPU time spent since the batch before: those of the round that used the previous batch.
 */
import type { SimulatorProcess } from './simulator-process.js';

export type CallCounts = Record<string, number>;

/** What the simulator did for one round. */
export type SimulatorWork = { calls: CallCounts; cpuMicros: number };

export type CodeSource = {
  /** `onWork` later receives what the simulator did for the round that uses these codes. */
  next(
    count: number,
    scope: string,
    delayMs: number,
    onWork?: (work: SimulatorWork) => void,
  ): Promise<string[]>;
  /** Hands the last round its work. */
  flush(): Promise<void>;
};

export const totalCalls = (calls: CallCounts) =>
  Object.values(calls).reduce((sum, count) => sum + count, 0);

export const createCodeSource = (simulator: SimulatorProcess): CodeSource => {
  let attribute: ((work: SimulatorWork) => void) | undefined;
  const next: CodeSource['next'] = async (count, scope, delayMs, onWork) => {
    const { codes, previousCalls, previousCpuMicros } = await simulator.batch(
      count,
      scope,
      delayMs,
    );
    attribute?.({ calls: previousCalls, cpuMicros: previousCpuMicros });
    attribute = onWork;
    return codes;
  };
  return {
    next,
    flush: async () => {
      await next(0, '1', 0);
    },
  };
};
