/**
 * Timed rounds: a batch of fresh codes signed in by `concurrency` workers. Clients take turns,
 * round by round, in an order that rotates, so that a change in the machine's load falls on all.
 */
import type { Client } from './clients.js';
import type { SimulatorProcess } from './simulator.js';

export type Bench = {
  simulator: SimulatorProcess;
  /** Calls to Xiaomi's APIs so far, and warm-ups of the open-API connection (`route-xiaomi.ts`). */
  xiaomiCalls: () => number;
  warmUps: () => number;
  /** Full garbage collection, finalizers included. */
  collect: () => Promise<void>;
};

export type Rounds = { rounds: number; signIns: number; concurrency: number; delayMs: number };

export type ClientTotals = {
  client: string;
  scope: string;
  /** Sign-ins per second, one per round. */
  rates: number[];
  /** Milliseconds, every sign-in's. */
  latencies: number[];
  cpuMicros: number;
  simulatorCpuMicros: number;
  xiaomiCalls: number;
  warmUps: number;
  signIns: number;
  failures: number;
  firstFailure?: string;
};

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

type SignInBatch = {
  simulator: SimulatorProcess;
  client: Client;
  codes: string[];
  concurrency: number;
};

/**
 * Signs in `codes[from..to)` with `concurrency` workers. Failures count in `totals` either way;
 * latencies only when `timed`.
 */
const signInAll = async (
  { simulator, client, codes, concurrency }: SignInBatch,
  [from, to]: [number, number],
  totals: ClientTotals,
  timed: boolean,
) => {
  let next = from;
  const worker = async () => {
    while (next < to) {
      const index = next++;
      const expected = simulator.unionIds[index % simulator.unionIds.length];
      const begun = performance.now();
      try {
        const id = await client.signIn(codes[index] ?? '');
        if (id !== expected) {
          throw new Error(`signed in as ${id}, expected ${expected}`);
        }
      } catch (error: unknown) {
        totals.failures++;
        totals.firstFailure ??= describe(error);
        continue;
      }
      if (timed) {
        totals.latencies.push(performance.now() - begun);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
};

const timedRound = async (bench: Bench, client: Client, totals: ClientTotals, plan: Rounds) => {
  const { simulator } = bench;
  // The round starts as a steady load runs: one untimed sign-in per worker first, so that no
  // client meets its round after the others' turns as if after an idle second (the connector
  // would warm up its open-API connection then, which a steady load never does; see DEVELOPING).
  const leadIn = plan.concurrency;
  const { codes } = await simulator.codes(leadIn + plan.signIns, client.scope, plan.delayMs);
  const batch: SignInBatch = { simulator, client, codes, concurrency: plan.concurrency };
  await signInAll(batch, [0, leadIn], totals, false);
  await bench.collect();
  const simulatorCpuBefore = await simulator.cpuMicros();
  const callsBefore = bench.xiaomiCalls();
  const warmUpsBefore = bench.warmUps();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await signInAll(batch, [leadIn, codes.length], totals, true);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  totals.rates.push(plan.signIns / seconds);
  totals.cpuMicros += cpu.user + cpu.system;
  totals.xiaomiCalls += bench.xiaomiCalls() - callsBefore;
  totals.warmUps += bench.warmUps() - warmUpsBefore;
  totals.simulatorCpuMicros += (await simulator.cpuMicros()) - simulatorCpuBefore;
  totals.signIns += plan.signIns;
};

export const runRounds = async (
  bench: Bench,
  clients: Client[],
  plan: Rounds,
): Promise<ClientTotals[]> => {
  const totals = clients.map(({ name, scope }): ClientTotals => ({
    client: name,
    scope,
    rates: [],
    latencies: [],
    cpuMicros: 0,
    simulatorCpuMicros: 0,
    xiaomiCalls: 0,
    warmUps: 0,
    signIns: 0,
    failures: 0,
  }));
  for (let round = 0; round < plan.rounds; round++) {
    for (let turn = 0; turn < clients.length; turn++) {
      const at = (round + turn) % clients.length;
      const client = clients[at];
      const clientTotals = totals[at];
      if (client && clientTotals) {
        await timedRound(bench, client, clientTotals, plan);
      }
    }
  }
  return totals;
};
