/** The bench's command line. */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

export type BenchOptions = {
  json: boolean;
  quick: boolean;
  /** Exit non-zero when a target is missed (normal runs only report). */
  strict: boolean;
  rounds: number;
  /** Sign-ins per client per round, at each concurrency. */
  signIns: number;
  /** Untimed sign-ins per client before the rounds at each concurrency. */
  warmup: number;
  concurrencies: number[];
  /** Delay of every Xiaomi call in the throughput and memory runs. */
  delayMs: number;
  latency: { delayMs: number; scope: string; concurrency: number; signIns: number };
  /** Heap and RSS are taken after each of these many connector sign-ins. */
  memoryCheckpoints: [number, number];
  memoryConcurrency: number;
  /**
   * Idle time before the settled memory figures: longer than the connector's 5 s deadline per
   * call, whose timers keep their signals (and what listens to them) alive until they fire.
   */
  memorySettleMs: number;
  /** Builds of the connector timed (Logto builds it on every request that needs it). */
  builds: number;
  /** Another built connector package to load instead of this one (e.g. a candidate change). */
  packageDir?: string;
};

export const usage = `Usage: npm run bench -- [options]

  --json            print the results as JSON (progress goes to stderr)
  --quick           a few hundred sign-ins: a smoke run, numbers are not meaningful
  --rounds N        alternating rounds per concurrency (default 10)
  --sign-ins N      sign-ins per client per round (default 600)
  --delay MS        the simulated Xiaomi answers each call after MS milliseconds (default 0)
  --memory N        connector sign-ins of the memory run, measured after N/10 and N (default 50000)
  --package DIR     bench the built connector package in DIR (its package.json and lib/)
                    instead of this one; it must resolve ky and the kit from here
  --strict          exit with 1 when a target is missed
  --help            this text`;

const positiveInteger = (name: string, raw: string | undefined, fallback: number): number => {
  if (raw === undefined) {
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name} must be a positive integer, got ${raw}`);
  }
  return value;
};

const nonNegative = (name: string, raw: string | undefined, fallback: number): number => {
  if (raw === undefined) {
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    throw new Error(`${name} must be a non-negative number, got ${raw}`);
  }
  return value;
};

/** undefined when --help was asked for. */
export const parseOptions = (args: string[]): BenchOptions | undefined => {
  const { values } = parseArgs({
    args,
    options: {
      json: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      strict: { type: 'boolean', default: false },
      rounds: { type: 'string' },
      'sign-ins': { type: 'string' },
      delay: { type: 'string' },
      memory: { type: 'string' },
      package: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    return undefined;
  }
  const quick = values.quick;
  const memory = positiveInteger('--memory', values.memory, quick ? 300 : 50_000);
  return {
    json: values.json,
    quick,
    strict: values.strict,
    rounds: positiveInteger('--rounds', values.rounds, quick ? 1 : 10),
    signIns: positiveInteger('--sign-ins', values['sign-ins'], quick ? 64 : 600),
    warmup: quick ? 32 : 500,
    concurrencies: [1, 32],
    delayMs: nonNegative('--delay', values.delay, 0),
    latency: {
      delayMs: 50,
      scope: '1 3 4 6',
      // One at a time: the latency of a sign-in, not of a queue.
      concurrency: 1,
      signIns: quick ? 10 : 100,
    },
    memoryCheckpoints: [Math.max(1, Math.round(memory / 10)), memory],
    memoryConcurrency: 32,
    memorySettleMs: quick ? 200 : 6000,
    builds: quick ? 20 : 500,
    ...(values.package !== undefined && { packageDir: resolve(values.package) }),
  };
};
