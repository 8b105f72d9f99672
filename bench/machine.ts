/** The machine a bench ran on, as its result and its report give it. */
import { availableParallelism, cpus, loadavg } from 'node:os';

import { round } from './targets.js';

export type Machine = {
  cpu: string;
  cpus: number;
  node: string;
  /** The one-minute load average before the run and after it. */
  loadAverage: [number, number];
};

const loadNow = () => loadavg()[0] ?? Number.NaN;

/** Notes the load average now; the function it returns describes the machine at the run's end. */
export const watchMachine = (): (() => Machine) => {
  const loadBefore = loadNow();
  return () => ({
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cpus: availableParallelism(),
    node: process.version,
    loadAverage: [round(loadBefore, 2), round(loadNow(), 2)],
  });
};

/** The report's words for it, after the run's kind. */
export const machineWords = ({ cpus: count, cpu, node, loadAverage }: Machine): string =>
  `${count} × ${cpu}, Node ${node}, load average ${loadAverage[0]} before, ${loadAverage[1]} after.`;
