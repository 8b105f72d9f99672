/**
 * Quick runs of `npm run bench` (`--quick`, and `--network --quick`), so that the bench cannot rot:
 * every client signs in through the routed Xiaomi hosts with the calls it should make, or over TLS
 * across the delaying relay, and nothing is judged.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { formatNetworkReport } from '../../bench/network/report.js';
import { formatReport } from '../../bench/report.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

const count = z.number().int().nonnegative();

/** The machine line both results carry (bench/machine.ts). */
const machineGuard = z.object({
  cpu: z.string(),
  cpus: count,
  node: z.string(),
  loadAverage: z.tuple([z.number(), z.number()]),
});
const rounds = z.object({ rounds: count, signIns: count, concurrency: count, delayMs: count });
const row = z.object({
  client: z.string(),
  scope: z.string(),
  signIns: count,
  signInsPerSecond: z.number().positive(),
  p50Ms: z.number().positive(),
  p99Ms: z.number().positive(),
  cpuMicrosPerSignIn: z.number().positive(),
  simulatorCpuMicrosPerSignIn: z.number().positive(),
  xiaomiCallsPerSignIn: z.number(),
  warmUps: count,
  failures: count,
});
const benchResultGuard = z.object({
  plan: z.object({
    quick: z.boolean(),
    warmUp: rounds,
    throughput: rounds,
    latency: rounds,
    memoryCheckpoints: z.tuple([count, count]),
    memoryIdle: z.object({ readings: count, everyMs: count }),
  }),
  judged: z.boolean(),
  machine: machineGuard,
  targets: z.array(
    z.object({
      target: z.union([z.literal(1), z.literal(2), z.literal(3)]),
      what: z.string(),
      value: z.number().finite(),
      unit: z.enum(['×', 'ms']),
      limit: z.number().nullable(),
      pass: z.boolean(),
    }),
  ),
  throughput: z.array(row),
  throughputRatios: z.object({
    minimalKy: z.array(z.number().positive()),
    official: z.array(z.number().positive()),
  }),
  latency: z.array(row),
  memory: z.array(
    z.object({ signIns: count, heapUsedBytes: z.number(), rssBytes: z.number().positive() }),
  ),
  failures: count,
  failureNotes: z.array(z.string()),
});

const networkRow = z.object({
  client: z.string(),
  scope: z.string(),
  coldP50Ms: z.number().positive(),
  warmP50Ms: z.number().positive(),
  coldPerCallRtt: z.number().positive(),
  coldPerLinkRtt: z.number().positive(),
  warmPerCallRtt: z.number().positive(),
  warmPerLinkRtt: z.number().positive(),
  coldSignIns: count,
  warmSignIns: count,
  coldWarmUps: count,
  warmWarmUps: count,
});
const networkResultGuard = z.object({
  plan: z.object({
    quick: z.boolean(),
    rttsMs: z.array(z.number()),
    rounds: count,
    warmPerRound: count,
    idleGapMs: count,
    firstSignIns: count,
  }),
  judged: z.boolean(),
  machine: machineGuard,
  phases: z.array(
    z.object({
      rttMs: z.number(),
      linkRttMs: z.number(),
      callRttMs: z.number(),
      rows: z.array(networkRow),
    }),
  ),
  targets: z.array(
    z.object({
      rttMs: z.number(),
      scope: z.string(),
      what: z.string(),
      value: z.number(),
      unit: z.enum(['round trips', '×']),
      limit: z.number().nullable(),
      pass: z.boolean(),
    }),
  ),
  failures: count,
  failureNotes: z.array(z.string()),
});

const runBench = async (args: string[], timeout: number) =>
  promisify(execFile)(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', 'bench/index.ts', ...args, '--quick', '--json'],
    { cwd: root, timeout },
  );

describe('npm run bench', () => {
  it('signs every client in on a quick run, judging nothing', async () => {
    const { stdout } = await runBench([], 50_000);
    const result = benchResultGuard.parse(JSON.parse(stdout));

    expect(result.failures).toBe(0);
    const calls = (rows: z.infer<typeof row>[]) =>
      rows.map(({ client, scope, xiaomiCallsPerSignIn }) => [client, scope, xiaomiCallsPerSignIn]);
    // A code exchange and a profile read each; with the extras, openidV2 and phoneAndEmail too.
    expect(calls(result.throughput)).toEqual([
      ['official 1.2.5', '1', 2],
      ['minimal ky', '1', 2],
      ['connector', '1', 2],
    ]);
    expect(calls(result.latency)).toEqual([
      ['minimal ky', '1', 2],
      ['connector', '1', 2],
      ['minimal ky', '1 3 4 6', 4],
      ['connector', '1 3 4 6', 4],
    ]);
    const { throughput, latency } = result.plan;
    expect(result.throughput.map(({ signIns }) => signIns)).toEqual(
      Array(3).fill(throughput.rounds * throughput.signIns),
    );
    expect(result.latency.map(({ signIns }) => signIns)).toEqual(
      Array(4).fill(latency.rounds * latency.signIns),
    );
    expect(result.throughputRatios.minimalKy).toHaveLength(throughput.rounds);
    expect(result.throughputRatios.official).toHaveLength(throughput.rounds);
    // Two round trips of 50 ms at the least.
    expect(Math.min(...result.latency.map(({ p50Ms }) => p50Ms))).toBeGreaterThan(
      2 * latency.delayMs,
    );
    expect(result.memory.map(({ signIns }) => signIns)).toEqual(result.plan.memoryCheckpoints);
    expect(result.targets.map(({ target }) => target)).toEqual([1, 1, 2, 2, 3, 3]);

    expect(result.judged).toBe(false);
    expect(formatReport(result)).not.toMatch(/\bpass\b|FAIL/);
  }, 60_000);

  it('signs every client in over TLS on the two hosts, cold then warm, on a quick network run', async () => {
    const { stdout } = await runBench(['--network'], 80_000);
    const result = networkResultGuard.parse(JSON.parse(stdout));

    expect(result.failures).toBe(0);
    const { rounds, warmPerRound } = result.plan;
    const scopes = [
      { scope: '1', openApiCalls: 1 },
      { scope: '1 3 4 6', openApiCalls: 3 },
    ];
    for (const { rttMs, linkRttMs, callRttMs, rows } of result.phases) {
      expect(linkRttMs).toBeGreaterThanOrEqual(rttMs - 2);
      expect(callRttMs).toBeGreaterThanOrEqual(linkRttMs);
      expect(
        rows.map(({ client, scope, coldSignIns, warmSignIns, coldWarmUps, warmWarmUps }) => [
          client,
          scope,
          coldSignIns,
          warmSignIns,
          coldWarmUps,
          warmWarmUps,
        ]),
      ).toEqual(
        // Only the cold sign-ins warm up, a connection per open-API call: the warm ones follow a
        // call to the host at once.
        scopes.flatMap(({ scope, openApiCalls }) => [
          ['minimal ky', scope, rounds, rounds * warmPerRound, 0, 0],
          ['connector, warm-up off', scope, rounds, rounds * warmPerRound, 0, 0],
          ['connector', scope, rounds, rounds * warmPerRound, rounds * openApiCalls, 0],
        ]),
      );
      // No sign-in beats the link: a new connection costs three round trips (TCP, TLS, the
      // call), a warm one one; with the warm-up the two hosts' connections open side by side.
      const floors = new Map([
        ['minimal ky', 6],
        ['connector, warm-up off', 6],
        ['connector', 4],
      ]);
      for (const row of rows) {
        expect(row.warmP50Ms).toBeGreaterThanOrEqual(2 * rttMs);
        expect(row.coldP50Ms).toBeGreaterThanOrEqual((floors.get(row.client) ?? 0) * rttMs);
      }
    }
    // Three targets per round trip and scope.
    expect(result.targets.map(({ rttMs, scope }) => `${rttMs} ms, ${scope}`)).toEqual(
      result.phases.flatMap(({ rttMs }) =>
        scopes.flatMap(({ scope }) => Array(3).fill(`${rttMs} ms, ${scope}`)),
      ),
    );
    expect(result.judged).toBe(false);
    expect(formatNetworkReport(result)).not.toMatch(/\bpass\b|FAIL/);
  }, 90_000);
});
