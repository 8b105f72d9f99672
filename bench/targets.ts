/**
 * Issue 11's targets, each from one run: ratios to the minimal ky client where they can be. Judged
 * on full runs only (a quick run is too short).
 */
import type { LatencyResult, MemoryResult, Ratio, Target } from './result.js';
import { round } from './stats.js';

export const throughputFloor = 0.9;
/**
 * The extras (openidV2, phoneAndEmail) run beside the profile: the connector's p50 with them stays
 * within half a Xiaomi delay of the minimal client's two calls; an extra round trip would add one.
 */
export const extrasLatencyMargin = 0.5;
export const memoryGrowthLimit = 0.1;

export const evaluateTargets = (
  ratios: Ratio[],
  latency: LatencyResult,
  memory: MemoryResult,
  judged: boolean,
): Target[] => {
  const highest = Math.max(...ratios.map(({ concurrency }) => concurrency));
  const throughput =
    ratios.find(({ concurrency, versus }) => concurrency === highest && versus === 'minimal-ky')
      ?.throughput ?? Number.NaN;
  const latencyLimit = extrasLatencyMargin * latency.delayMs;
  const latencyGap = latency.connector.p50Ms - latency.minimalKy.p50Ms;
  const memoryGrowth = Math.max(memory.heapUsedChange, memory.rssChange);
  return [
    {
      name: 'throughput',
      description: `throughput at concurrency ${highest} ≥ ${throughputFloor} × minimal ky`,
      value: throughput,
      limit: throughputFloor,
      pass: throughput >= throughputFloor,
      judged,
    },
    {
      name: 'extras-latency',
      description: `p50 with scopes ${latency.scope} minus minimal ky's p50 (two calls, ${latency.delayMs} ms each) < ${extrasLatencyMargin} × ${latency.delayMs} ms`,
      value: round(latencyGap, 2),
      limit: round(latencyLimit, 2),
      pass: latencyGap < latencyLimit && latency.connector.errors === 0,
      judged,
    },
    {
      name: 'memory',
      description: `settled heap and RSS after ${memory.checkpoints.at(-1)?.signIns ?? '?'} sign-ins within ${memoryGrowthLimit * 100} % of after ${memory.checkpoints[0]?.signIns ?? '?'}`,
      value: memoryGrowth,
      limit: memoryGrowthLimit,
      pass: memoryGrowth <= memoryGrowthLimit && memory.gc !== 'none',
      judged,
    },
  ];
};
