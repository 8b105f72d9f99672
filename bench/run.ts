/** One bench run: the simulator, the clients, the three measurements, the targets. */
import { createClients, type Client } from './clients.js';
import { watchMachine, type Machine } from './machine.js';
import { routeXiaomiTo } from './route-xiaomi.js';
import { runRounds, type Bench, type ClientTotals, type Rounds } from './rounds.js';
import { startSimulatorProcess } from './simulator.js';
import {
  judge,
  percentile,
  round,
  throughputRatios,
  type MemoryReading,
  type Target,
} from './targets.js';

export type Plan = {
  quick: boolean;
  warmUp: Rounds;
  throughput: Rounds;
  latency: Rounds;
  /** Connector sign-ins before each memory reading. */
  memoryCheckpoints: [number, number];
  /**
   * Each memory reading is the lowest of these, taken while idle (V8 gives memory back a few
   * seconds into idleness), for longer than the connector's 5 s call deadline.
   */
  memoryIdle: { readings: number; everyMs: number };
};

export const fullPlan: Plan = {
  quick: false,
  warmUp: { rounds: 1, signIns: 500, concurrency: 32, delayMs: 0 },
  throughput: { rounds: 40, signIns: 300, concurrency: 32, delayMs: 0 },
  latency: { rounds: 10, signIns: 16, concurrency: 1, delayMs: 50 },
  memoryCheckpoints: [5000, 50_000],
  memoryIdle: { readings: 10, everyMs: 1000 },
};

export const quickPlan: Plan = {
  quick: true,
  warmUp: { rounds: 1, signIns: 16, concurrency: 8, delayMs: 0 },
  throughput: { rounds: 2, signIns: 32, concurrency: 32, delayMs: 0 },
  latency: { rounds: 1, signIns: 3, concurrency: 1, delayMs: 50 },
  memoryCheckpoints: [50, 500],
  memoryIdle: { readings: 2, everyMs: 50 },
};

export type Row = {
  client: string;
  scope: string;
  signIns: number;
  /** Median over the rounds. */
  signInsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** This process's CPU time over the rounds, per sign-in. */
  cpuMicrosPerSignIn: number;
  simulatorCpuMicrosPerSignIn: number;
  xiaomiCallsPerSignIn: number;
  /** Warm-ups of the open-API connection (a sign-in after an idle second makes one). */
  warmUps: number;
  failures: number;
};

export type BenchResult = {
  plan: Plan;
  /** False on a quick run and on a run with failures: then `pass` says nothing. */
  judged: boolean;
  machine: Machine;
  targets: Target[];
  throughput: Row[];
  /** Throughput per round, connector ÷ minimal ky and ÷ official: how far one run can be trusted. */
  throughputRatios: { minimalKy: number[]; official: number[] };
  latency: Row[];
  memory: MemoryReading[];
  failures: number;
  /** One line per client that failed: how many, and the first failure. */
  failureNotes: string[];
};

const rowOf = (totals: ClientTotals): Row => ({
  client: totals.client,
  scope: totals.scope,
  signIns: totals.signIns,
  signInsPerSecond: round(percentile(totals.rates, 50), 0),
  p50Ms: round(percentile(totals.latencies, 50), 2),
  p99Ms: round(percentile(totals.latencies, 99), 2),
  cpuMicrosPerSignIn: round(totals.cpuMicros / totals.signIns, 0),
  simulatorCpuMicrosPerSignIn: round(totals.simulatorCpuMicros / totals.signIns, 0),
  xiaomiCallsPerSignIn: round(totals.xiaomiCalls / totals.signIns, 2),
  warmUps: totals.warmUps,
  failures: totals.failures,
});

/** Connector sign-ins in batches; heap and RSS after each checkpoint, idle and collected. */
const measureMemory = async (bench: Bench, connector: Client, plan: Plan) => {
  const readings: MemoryReading[] = [];
  // Only the failed batches are kept: the others' latencies would grow the heap measured.
  const failed: ClientTotals[] = [];
  const [batch] = plan.memoryCheckpoints;
  let done = 0;
  for (const checkpoint of plan.memoryCheckpoints) {
    for (; done < checkpoint; done += batch) {
      const rounds = { ...plan.throughput, rounds: 1, signIns: batch };
      failed.push(
        ...(await runRounds(bench, [connector], rounds)).filter(({ failures }) => failures > 0),
      );
    }
    let heap = Infinity;
    let rss = Infinity;
    for (let reading = 0; reading < plan.memoryIdle.readings; reading++) {
      await new Promise((resolve) => setTimeout(resolve, plan.memoryIdle.everyMs));
      await bench.collect();
      const usage = process.memoryUsage();
      heap = Math.min(heap, usage.heapUsed);
      rss = Math.min(rss, usage.rss);
    }
    readings.push({ signIns: done, heapUsedBytes: heap, rssBytes: rss });
  }
  return { readings, failed };
};

export const runBench = async (
  plan: Plan,
  progress: (line: string) => void,
): Promise<BenchResult> => {
  const { gc } = globalThis;
  if (!gc) {
    throw new Error('the bench needs node --expose-gc (npm run bench passes it)');
  }
  const machineAtEnd = watchMachine();
  const simulator = await startSimulatorProcess();
  let cleanUp = (): void => undefined;
  try {
    const collect = async () => {
      // Twice, a turn of the event loop apart: finalizers run in between (undici's Request
      // releases its abort listener in one), and what they let go goes in the second.
      gc();
      await new Promise((resolve) => setImmediate(resolve));
      gc();
    };
    const { calls, warmUps } = routeXiaomiTo(simulator.baseUrl);
    const bench: Bench = { simulator, xiaomiCalls: calls, warmUps, collect };
    const { clients, remove } = await createClients(simulator);
    cleanUp = remove;
    const { official, minimalKy, connector, minimalKyExtras, connectorExtras } = clients;

    progress('warm-up: every client signs in');
    const warmUp = await runRounds(bench, Object.values(clients), plan.warmUp);
    progress('throughput: official, minimal ky, connector');
    const throughput = await runRounds(bench, [official, minimalKy, connector], plan.throughput);
    progress('latency: minimal ky and connector, each with scope 1 and with the extras');
    const latency = await runRounds(
      bench,
      [minimalKy, connector, minimalKyExtras, connectorExtras],
      plan.latency,
    );
    progress('memory: connector');
    const memory = await measureMemory(bench, connector, plan);

    const phases = { 'warm-up': warmUp, throughput, latency, memory: memory.failed };
    const failureNotes = Object.entries(phases).flatMap(([phase, totals]) =>
      totals
        .filter(({ failures }) => failures > 0)
        .map(
          ({ client, scope, failures, firstFailure }) =>
            `${phase}, ${client} (scope ${scope}): ${failures} failed; the first: ${firstFailure}`,
        ),
    );
    const failures = Object.values(phases)
      .flat()
      .reduce((sum, totals) => sum + totals.failures, 0);
    const [officialTotals, minimalKyTotals, connectorTotals] = throughput;
    const ratiosTo = (other: ClientTotals | undefined) =>
      other && connectorTotals ? throughputRatios(other, connectorTotals) : [];
    const ratios = { minimalKy: ratiosTo(minimalKyTotals), official: ratiosTo(officialTotals) };
    return {
      plan,
      judged: !plan.quick && failures === 0,
      machine: machineAtEnd(),
      targets: judge({
        ratios,
        concurrency: plan.throughput.concurrency,
        latency,
        delayMs: plan.latency.delayMs,
        memory: memory.readings,
      }),
      throughput: throughput.map(rowOf),
      throughputRatios: ratios,
      latency: latency.map(rowOf),
      memory: memory.readings,
      failures,
      failureNotes,
    };
  } finally {
    cleanUp();
    simulator.close();
  }
};
