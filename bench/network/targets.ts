/** The network mode's two targets (issue 26), per round trip, as ratios within one run. */
import { round } from '../targets.js';

import type { NetworkPhase } from './run.js';

export type NetworkTarget = {
  rttMs: number;
  /** The scope of the sign-ins judged. */
  scope: string;
  what: string;
  value: number;
  unit: 'round trips' | '×';
  /** null for a row reported beside a target, not judged. */
  limit: number | null;
  pass: boolean;
};

/**
 * Per scope, cold p50 ≤ 4.5 round trips of a call (six without the warm-up), the same over the
 * link's round trip reported beside it; warm p50 within 5 % of the connector with the warm-up off.
 */
export const judgeNetwork = (phases: NetworkPhase[]): NetworkTarget[] =>
  phases.flatMap(({ rttMs, rows }) =>
    [...new Set(rows.map(({ scope }) => scope))].flatMap((scope): NetworkTarget[] => {
      const row = (client: string) =>
        rows.find((candidate) => candidate.client === client && candidate.scope === scope);
      const [on, off] = [row('connector'), row('connector, warm-up off')];
      const cold = on?.coldPerCallRtt ?? Number.NaN;
      const warm = round((on?.warmP50Ms ?? Number.NaN) / (off?.warmP50Ms ?? Number.NaN), 3);
      return [
        {
          rttMs,
          scope,
          what: 'cold p50, connector ÷ a call’s round trip',
          value: cold,
          unit: 'round trips',
          limit: 4.5,
          pass: cold <= 4.5,
        },
        {
          rttMs,
          scope,
          what: 'cold p50, connector ÷ the link’s round trip (reported)',
          value: on?.coldPerLinkRtt ?? Number.NaN,
          unit: 'round trips',
          limit: null,
          pass: true,
        },
        {
          rttMs,
          scope,
          what: 'warm p50, connector ÷ connector with the warm-up off',
          value: warm,
          unit: '×',
          limit: 1.05,
          pass: warm <= 1.05,
        },
      ];
    }),
  );
