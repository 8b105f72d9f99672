/** What a bench run reports; `--json` prints a `BenchResult`. */
import type { ClientName } from './clients.js';

export type Machine = {
  cpuModel: string;
  cpus: number;
  node: string;
  platform: string;
  arch: string;
  totalMemoryBytes: number;
};

export type ClientResult = {
  client: ClientName;
  concurrency: number;
  rounds: number;
  signIns: number;
  /** Median over the rounds. */
  signInsPerSecond: number;
  /** Each round's, in the order they ran. */
  roundSignInsPerSecond: number[];
  /** Over all sign-ins of all rounds. */
  p50Ms: number;
  p99Ms: number;
  cpuMicrosPerSignIn: number;
  /** Token and open-API calls the simulator answered, per sign-in. */
  xiaomiCallsPerSignIn: number;
  /** CPU time of the simulator's process per sign-in. */
  simulatorCpuMicrosPerSignIn: number;
  /** The simulator's CPU time over the rounds' wall time: near 1, it is what limits throughput. */
  simulatorBusy: number;
  errors: number;
};

/** connector ÷ other; throughput is the median of the per-round ratios (rounds run side by side). */
export type Ratio = {
  concurrency: number;
  versus: Exclude<ClientName, 'connector'>;
  throughput: number;
  /** The lowest and highest per-round ratio: how far one run can be trusted. */
  throughputRange: [number, number];
  p50: number;
  cpu: number;
};

export type LatencyResult = {
  delayMs: number;
  scope: string;
  concurrency: number;
  signIns: number;
  /** Two round trips: the code exchange, then the profile with the extras beside it. */
  expectedMs: number;
  connector: { p50Ms: number; p99Ms: number; xiaomiCallsPerSignIn: number; errors: number };
  /** The minimal ky client (token and profile only) under the same delay. */
  minimalKy: { p50Ms: number; p99Ms: number; errors: number };
};

export type MemoryUsage = {
  heapUsedBytes: number;
  heapTotalBytes: number;
  rssBytes: number;
  externalBytes: number;
};

export type MemoryCheckpoint = {
  signIns: number;
  /** Right after the last sign-in, after GC: still holds what pending timers keep alive. */
  immediate: MemoryUsage;
  /** After `settleMs` with nothing running, then GC: what the sign-ins left behind. */
  settled: MemoryUsage;
};

export type MemoryResult = {
  concurrency: number;
  gc: 'expose-gc' | 'v8-flag' | 'none';
  settleMs: number;
  checkpoints: MemoryCheckpoint[];
  /** Settled, last ÷ first − 1. */
  heapUsedChange: number;
  rssChange: number;
  errors: number;
};

export type Target = {
  name: 'throughput' | 'extras-latency' | 'memory';
  description: string;
  value: number;
  limit: number;
  pass: boolean;
  /** False on a quick run: its numbers are not meaningful, so `pass` decides nothing. */
  judged: boolean;
};

export type BenchResult = {
  machine: Machine;
  settings: {
    quick: boolean;
    rounds: number;
    signInsPerRound: number;
    warmup: number;
    delayMs: number;
    concurrencies: number[];
    simulator: 'child-process';
    /** The connector package benched. */
    packageDir: string;
  };
  /** The machine's 1-minute load average before and after the run: other work skews the numbers. */
  loadAverage: { before: number; after: number };
  throughput: { results: ClientResult[]; ratios: Ratio[] };
  latency: LatencyResult;
  memory: MemoryResult;
  /** Logto builds a connector (createConnector and metadata) whenever a request needs it. */
  connectorBuildMicros: number;
  targets: Target[];
  errors: number;
};
