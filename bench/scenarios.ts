/** The bench's three runs: throughput side by side, latency with extras, memory over time. */
import { clientNames, type ClientName, type SignIn } from './clients.js';
import { totalCalls, type CodeSource } from './codes.js';
import type { GarbageCollector } from './gc.js';
import type { BenchOptions } from './options.js';
import type {
  ClientResult,
  LatencyResult,
  MemoryCheckpoint,
  MemoryResult,
  MemoryUsage,
  Ratio,
} from './result.js';
import { runRound, type RoundResult } from './runner.js';
import { median, percentile, round } from './stats.js';

export type Context = {
  options: BenchOptions;
  codes: CodeSource;
  gc: GarbageCollector;
  /** The user id of the i-th code of a batch. */
  expectedId: (index: number) => string | undefined;
  progress: (message: string) => void;
};

type Totals = {
  rates: number[];
  latencies: Float64Array[];
  cpuMicros: number;
  signIns: number;
  errors: number;
  calls: number;
  simulatorCpuMicros: number;
  durationMs: number;
  firstError?: string;
};

const emptyTotals = (): Totals => ({
  rates: [],
  latencies: [],
  cpuMicros: 0,
  signIns: 0,
  errors: 0,
  calls: 0,
  simulatorCpuMicros: 0,
  durationMs: 0,
});

const joinLatencies = (parts: Float64Array[]) => {
  const joined = new Float64Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
};

const add = (totals: Totals, result: RoundResult) => {
  totals.rates.push(result.signIns / (result.durationMs / 1000));
  totals.latencies.push(result.latencies);
  totals.cpuMicros += result.cpuMicros;
  totals.signIns += result.signIns;
  totals.durationMs += result.durationMs;
  totals.errors += result.errors;
  totals.firstError ??= result.firstError;
};

/** One timed round of one client, with codes minted (and garbage collected) beforehand. */
const timedRound = async (
  context: Context,
  signIn: SignIn,
  count: number,
  concurrency: number,
  scope: string,
  delayMs: number,
  totals?: Totals,
): Promise<RoundResult> => {
  const codes = await context.codes.next(count, scope, delayMs, ({ calls, cpuMicros }) => {
    if (totals) {
      totals.calls += totalCalls(calls);
      totals.simulatorCpuMicros += cpuMicros;
    }
  });
  await context.gc.collect();
  const result = await runRound(signIn, codes, concurrency, context.expectedId);
  if (totals) {
    add(totals, result);
  } else if (result.errors > 0) {
    throw new Error(`warm-up sign-ins failed: ${result.firstError ?? 'unknown error'}`);
  }
  return result;
};

/** Alternating rounds of the three clients at each concurrency; the order rotates every round. */
export const runThroughput = async (
  context: Context,
  clients: Record<ClientName, SignIn>,
): Promise<{ results: ClientResult[]; ratios: Ratio[] }> => {
  const { options } = context;
  const results: ClientResult[] = [];
  const ratios: Ratio[] = [];

  for (const concurrency of options.concurrencies) {
    const totals = new Map(clientNames.map((name) => [name, emptyTotals()]));
    for (const name of clientNames) {
      await timedRound(context, clients[name], options.warmup, concurrency, '1', options.delayMs);
    }
    for (let index = 0; index < options.rounds; index++) {
      const order = clientNames.map((_, at) => clientNames[(at + index) % clientNames.length]);
      for (const name of order) {
        if (name === undefined) {
          continue;
        }
        const result = await timedRound(
          context,
          clients[name],
          options.signIns,
          concurrency,
          '1',
          options.delayMs,
          totals.get(name),
        );
        context.progress(
          `concurrency ${concurrency}, round ${index + 1}/${options.rounds}: ${name} ${round(result.signIns / (result.durationMs / 1000), 0)}/s`,
        );
      }
    }
    await context.codes.flush();

    for (const name of clientNames) {
      const total = totals.get(name) ?? emptyTotals();
      const latencies = joinLatencies(total.latencies);
      results.push({
        client: name,
        concurrency,
        rounds: options.rounds,
        signIns: total.signIns,
        signInsPerSecond: round(median(total.rates), 1),
        roundSignInsPerSecond: total.rates.map((rate) => round(rate, 1)),
        p50Ms: round(percentile(latencies, 50), 3),
        p99Ms: round(percentile(latencies, 99), 3),
        cpuMicrosPerSignIn: round(total.cpuMicros / Math.max(total.signIns, 1), 1),
        xiaomiCallsPerSignIn: round(total.calls / Math.max(total.signIns, 1), 3),
        simulatorCpuMicrosPerSignIn: round(
          total.simulatorCpuMicros / Math.max(total.signIns, 1),
          1,
        ),
        simulatorBusy: round(total.simulatorCpuMicros / 1000 / Math.max(total.durationMs, 1), 3),
        errors: total.errors,
      });
      if (total.firstError) {
        context.progress(`${name} at concurrency ${concurrency} failed: ${total.firstError}`);
      }
    }

    const connector = totals.get('connector') ?? emptyTotals();
    const connectorResult = results.find(
      (result) => result.client === 'connector' && result.concurrency === concurrency,
    );
    for (const versus of ['minimal-ky', 'fetch'] as const) {
      const other = totals.get(versus) ?? emptyTotals();
      const otherResult = results.find(
        (result) => result.client === versus && result.concurrency === concurrency,
      );
      if (!connectorResult || !otherResult) {
        continue;
      }
      const perRound = connector.rates.map(
        (rate, index) => rate / (other.rates[index] ?? Number.NaN),
      );
      ratios.push({
        concurrency,
        versus,
        throughput: round(median(perRound), 3),
        throughputRange: [round(Math.min(...perRound), 3), round(Math.max(...perRound), 3)],
        p50: round(connectorResult.p50Ms / otherResult.p50Ms, 3),
        cpu: round(connectorResult.cpuMicrosPerSignIn / otherResult.cpuMicrosPerSignIn, 3),
      });
    }
  }
  return { results, ratios };
};

/** The connector with extras (openid, phone and email) against a per-call delay. */
export const runLatency = async (
  context: Context,
  connectorWithExtras: SignIn,
  minimalKy: SignIn,
): Promise<LatencyResult> => {
  const { delayMs, scope, concurrency, signIns } = context.options.latency;
  // The extras' code paths have not run yet: warm them up, untimed and without delay.
  await timedRound(context, connectorWithExtras, context.options.warmup, concurrency, scope, 0);

  const connector = emptyTotals();
  const baseline = emptyTotals();
  await timedRound(context, connectorWithExtras, signIns, concurrency, scope, delayMs, connector);
  await timedRound(context, minimalKy, signIns, concurrency, scope, delayMs, baseline);
  await context.codes.flush();

  const connectorLatencies = joinLatencies(connector.latencies);
  const baselineLatencies = joinLatencies(baseline.latencies);
  context.progress(
    `latency with ${delayMs} ms per call: connector p50 ${round(percentile(connectorLatencies, 50), 1)} ms`,
  );
  return {
    delayMs,
    scope,
    concurrency,
    signIns,
    expectedMs: 2 * delayMs,
    connector: {
      p50Ms: round(percentile(connectorLatencies, 50), 2),
      p99Ms: round(percentile(connectorLatencies, 99), 2),
      xiaomiCallsPerSignIn: round(connector.calls / Math.max(connector.signIns, 1), 3),
      errors: connector.errors,
    },
    minimalKy: {
      p50Ms: round(percentile(baselineLatencies, 50), 2),
      p99Ms: round(percentile(baselineLatencies, 99), 2),
      errors: baseline.errors,
    },
  };
};

const memoryUsage = async (gc: GarbageCollector): Promise<MemoryUsage> => {
  await gc.collect();
  const usage = process.memoryUsage();
  return {
    heapUsedBytes: usage.heapUsed,
    heapTotalBytes: usage.heapTotal,
    rssBytes: usage.rss,
    externalBytes: usage.external,
  };
};

const measureMemory = async (
  gc: GarbageCollector,
  signIns: number,
  settleMs: number,
): Promise<MemoryCheckpoint> => {
  const immediate = await memoryUsage(gc);
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  return { signIns, immediate, settled: await memoryUsage(gc) };
};

/**
 * Connector sign-ins in chunks of fresh codes; heap and RSS at each checkpoint, after GC, right
 * away and once the process has settled.
 */
export const runMemory = async (context: Context, connector: SignIn): Promise<MemoryResult> => {
  const { memoryCheckpoints, memoryConcurrency, memorySettleMs, delayMs } = context.options;
  const [first] = memoryCheckpoints;
  const checkpoints: MemoryCheckpoint[] = [];
  let done = 0;
  let errors = 0;
  for (const checkpoint of memoryCheckpoints) {
    while (done < checkpoint) {
      const count = Math.min(first, checkpoint - done);
      const codes = await context.codes.next(count, '1', delayMs);
      const result = await runRound(connector, codes, memoryConcurrency, context.expectedId);
      done += count;
      errors += result.errors;
    }
    checkpoints.push(await measureMemory(context.gc, done, memorySettleMs));
    context.progress(`memory after ${done} connector sign-ins measured`);
  }
  const [start, end] = [checkpoints[0], checkpoints[checkpoints.length - 1]];
  const change = (pick: (usage: MemoryUsage) => number) =>
    start && end ? round(pick(end.settled) / pick(start.settled) - 1, 4) : Number.NaN;
  return {
    concurrency: memoryConcurrency,
    gc: context.gc.source,
    settleMs: memorySettleMs,
    checkpoints,
    heapUsedChange: change(({ heapUsedBytes }) => heapUsedBytes),
    rssChange: change(({ rssBytes }) => rssBytes),
    errors,
  };
};
