/** The network mode's two targets (issue 26), per round trip, as ratios within one run. */
import { round } from '../targets.js';

import type { NetworkPhase } from './run.js';

export type NetworkTarget = {
  rttMs: number;
  what: string;
  value: number;
  unit: '× RTT' | '×';
  limit: number;
  pass: boolean;
};

/** Cold p50 ≤ 4.5 round trips (six without the warm-up); warm p50 within 5 % of it off. */
export const judgeNetwork = (phases: NetworkPhase[]): NetworkTarget[] =>
  phases.flatMap(({ rttMs, rows }) => {
    const row = (client: string) => rows.find((candidate) => candidate.client === client);
    const [on, off] = [row('connector'), row('connector, warm-up off')];
    const cold = on?.coldPerRtt ?? Number.NaN;
    const warm = round((on?.warmP50Ms ?? Number.NaN) / (off?.warmP50Ms ?? Number.NaN), 3);
    return [
      {
        rttMs,
        what: 'cold p50, connector ÷ measured RTT',
        value: cold,
        unit: '× RTT',
        limit: 4.5,
        pass: cold <= 4.5,
      },
      {
        rttMs,
        what: 'warm p50, connector ÷ connector with the warm-up off',
        value: warm,
        unit: '×',
        limit: 1.05,
        pass: warm <= 1.05,
      },
    ];
  });
