/** The three targets of issue 20, each a comparison within one run. */
import { extrasScope } from './clients.js';
import type { ClientTotals } from './rounds.js';

export type MemoryReading = { signIns: number; heapUsedBytes: number; rssBytes: number };

export type Target = {
  target: 1 | 2 | 3;
  what: string;
  value: number;
  unit: '×' | 'ms';
  /** Target 1 is a floor, 2 and 3 are ceilings. */
  limit: number;
  pass: boolean;
};

/** Nearest rank; NaN without samples. */
export const percentile = (samples: number[], p: number): number => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(Math.ceil((p / 100) * sorted.length), 1) - 1] ?? Number.NaN;
};

export const round = (value: number, digits: number) => Number(value.toFixed(digits));

/** Throughput, connector ÷ official, round by round (the two ran in the same rounds). */
export const throughputRatios = (official: ClientTotals, connector: ClientTotals) =>
  connector.rates.map((rate, index) => round(rate / (official.rates[index] ?? Number.NaN), 3));

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

export const judge = ({
  ratios,
  concurrency,
  latency: [minimalKy, connector, extras],
  delayMs,
  memory: [first, last],
}: {
  ratios: number[];
  concurrency: number;
  /** The minimal ky client, the connector with scope 1, the connector with the extras. */
  latency: ClientTotals[];
  delayMs: number;
  memory: MemoryReading[];
}): Target[] => {
  const p50 = (totals: ClientTotals | undefined) => percentile(totals?.latencies ?? [], 50);
  const overKy = (scope: string, totals: ClientTotals | undefined) =>
    target(
      2,
      `p50 at ${delayMs} ms a call, connector (scope ${scope}) − minimal ky`,
      p50(totals) - p50(minimalKy),
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
      `throughput at concurrency ${concurrency}, connector ÷ official`,
      percentile(ratios, 50),
      '×',
      1.5,
    ),
    overKy('1', connector),
    overKy(extrasScope, extras),
    growth('heap', ({ heapUsedBytes }) => heapUsedBytes),
    growth('RSS', ({ rssBytes }) => rssBytes),
  ];
};
