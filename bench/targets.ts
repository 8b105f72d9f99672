/** The targets, as ratios from one run; judged on full runs only (a quick run is too short). */
import type { LatencyResult, MemoryResult, Ratio, Target } from './result.js';
import { round } from './stats.js';

export const throughputFloor = 0.95;
export const extrasLatencyFactor = 2.2;
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
  const latencyLimit = extrasLatencyFactor * latency.delayMs;
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
      description: `p50 with scopes ${latency.scope} < ${extrasLatencyFactor} × ${latency.delayMs} ms`,
      value: latency.connector.p50Ms,
      limit: round(latencyLimit, 2),
      pass: latency.connector.p50Ms < latencyLimit && latency.connector.errors === 0,
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
