/** Small statistics over latency samples (milliseconds). */

/** The nearest-rank percentile (p in 0..100) of unsorted samples; NaN when there are none. */
export const percentile = (samples: ArrayLike<number>, p: number): number => {
  if (samples.length === 0) {
    return Number.NaN;
  }
  const sorted = Float64Array.from(samples).sort();
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1] ?? Number.NaN;
};

export const median = (values: number[]): number => percentile(values, 50);

/** Rounds for display and JSON: a few significant digits are all a benchmark has. */
export const round = (value: number, digits = 2): number => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};
