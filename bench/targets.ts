/** The three targets (issue 20, target 1 as issue 23 set it), each a comparison within one run. */
import { extrasScope } from './clients.js';
import type { ClientTotals } from './rounds.js';

export type MemoryReading = { signIns: number; heapUsedBytes: number; rssBytes: number };

export type Target = {
  target: 1 | 2 | 3;
  what: string;
  value: number;
  unit: '×' | 'ms';
  /** Target 1 is a floor, 2 and 3 are ceilings; null for a row reported beside, not judged. */
  limit: number | null;
  /** True for a row that is only reported. */
  pass: boolean;
};

/** Nearest rank; NaN without samples. */
export const percentile = (samples: number[], p: number): number => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(Math.ceil((p / 100) * sorted.length), 1) - 1] ?? Number.NaN;
};

export const round = (value: number, digits: number) => Number(value.toFixed(digits));

/** Throughput, connector ÷ another client, round by round (they ran in the same rounds). */
export const throughputRatios = (other: ClientTotals, connector: ClientTotals) =>
  connector.rates.map((rate, index) => round(rate / (other.rates[index] ?? Number.NaN), 3));

const target = (
  number: Target['target'],
  what: string,
  value: number,
  unit: Target['unit'],
  limit: number,
): Target => ({
  target: number,
  what,
  value: round(value, 3),
  unit,
  limit,
  pass: number === 1 ? value >= limit : value <= limit,
});

/** A row reported beside a target, not judged. */
const reported = (number: Target['target'], what: string, value: number): Target => ({
  target: number,
  what,
  value: round(value, 3),
  unit: '×',
  limit: null,
  pass: true,
});

export const judge = ({
  ratios,
  concurrency,
  latency: [minimalKy, connector, minimalKyExtras, connectorExtras],
  delayMs,
  memory: [first, last],
}: {
  /** Throughput per round, connector ÷ minimal ky (judged) and ÷ official (reported). */
  ratios: { minimalKy: number[]; official: number[] };
  concurrency: number;
  /** The minimal ky client and the connector, with scope 1, then both with the extras. */
  latency: ClientTotals[];
  delayMs: number;
  memory: MemoryReading[];
}): Target[] => {
  const p50 = (totals: ClientTotals | undefined) => percentile(totals?.latencies ?? [], 50);
  // With the extras, the minimal client makes the same four calls the same way: three answers
  // arriving together are read one after another by any client (DEVELOPING, Performance).
  const overKy = (scope: string, totals: ClientTotals | undefined, ky: ClientTotals | undefined) =>
    target(
      2,
      `p50 at ${delayMs} ms a call, connector − minimal ky, both with scope ${scope}`,
      p50(totals) - p50(ky),
      'ms',
      2,
    );
  const growth = (name: string, pick: (reading: MemoryReading) => number) =>
    target(
      3,
      `${name} after ${last?.signIns.toLocaleString('en')} sign-ins ÷ after ${first?.signIns.toLocaleString('en')}`,
      first && last ? pick(last) / pick(first) : Number.NaN,
      '×',
      1.1,
    );
  return [
    target(
      1,
      `throughput at concurrency ${concurrency}, connector ÷ minimal ky`,
      percentile(ratios.minimalKy, 50),
      '×',
      0.95,
    ),
    reported(
      1,
      `throughput at concurrency ${concurrency}, connector ÷ official (reported)`,
      percentile(ratios.official, 50),
    ),
    overKy('1', connector, minimalKy),
    overKy(extrasScope, connectorExtras, minimalKyExtras),
    growth('heap', ({ heapUsedBytes }) => heapUsedBytes),
    growth('RSS', ({ rssBytes }) => rssBytes),
  ];
};
