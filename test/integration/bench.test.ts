/**
 * A smoke run of `npm run bench` (`--quick`: a few hundred sign-ins) so that the bench cannot rot.
 * It checks the shape of the JSON and that every sign-in worked; no target is asserted.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { formatReport } from '../../bench/report.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

const finite = z.number().finite();
const positive = finite.positive();
const clientName = z.enum(['connector', 'minimal-ky', 'fetch']);

const memoryUsageGuard = z.object({
  heapUsedBytes: positive,
  heapTotalBytes: positive,
  rssBytes: positive,
  externalBytes: positive,
});

const benchResultGuard = z.object({
  machine: z.object({
    cpuModel: z.string(),
    cpus: positive,
    node: z.string().startsWith('v'),
    platform: z.string(),
    arch: z.string(),
    totalMemoryBytes: positive,
  }),
  settings: z.object({
    quick: z.literal(true),
    rounds: positive,
    signInsPerRound: positive,
    warmup: positive,
    delayMs: finite,
    concurrencies: z.array(positive),
    simulator: z.literal('child-process'),
    packageDir: z.string(),
  }),
  loadAverage: z.object({ before: finite, after: finite }),
  throughput: z.object({
    results: z.array(
      z.object({
        client: clientName,
        concurrency: positive,
        rounds: positive,
        signIns: positive,
        signInsPerSecond: positive,
        roundSignInsPerSecond: z.array(positive),
        p50Ms: positive,
        p99Ms: positive,
        cpuMicrosPerSignIn: positive,
        xiaomiCallsPerSignIn: finite,
        simulatorCpuMicrosPerSignIn: positive,
        simulatorBusy: positive,
        errors: finite,
      }),
    ),
    ratios: z.array(
      z.object({
        concurrency: positive,
        versus: z.enum(['minimal-ky', 'fetch']),
        throughput: positive,
        throughputRange: z.tuple([positive, positive]),
        p50: positive,
        cpu: positive,
      }),
    ),
  }),
  latency: z.object({
    delayMs: z.literal(50),
    scope: z.literal('1 3 4 6'),
    concurrency: positive,
    signIns: positive,
    expectedMs: z.literal(100),
    connector: z.object({
      p50Ms: positive,
      p99Ms: positive,
      xiaomiCallsPerSignIn: finite,
      errors: finite,
    }),
    minimalKy: z.object({ p50Ms: positive, p99Ms: positive, errors: finite }),
  }),
  memory: z.object({
    concurrency: positive,
    gc: z.enum(['expose-gc', 'v8-flag', 'none']),
    settleMs: finite,
    checkpoints: z.array(
      z.object({ signIns: positive, immediate: memoryUsageGuard, settled: memoryUsageGuard }),
    ),
    heapUsedChange: finite,
    rssChange: finite,
    errors: finite,
  }),
  connectorBuildMicros: positive,
  targets: z.array(
    z.object({
      name: z.enum(['throughput', 'extras-latency', 'memory']),
      description: z.string(),
      value: finite,
      limit: positive,
      pass: z.boolean(),
      judged: z.literal(false),
    }),
  ),
  errors: z.literal(0),
});

describe('npm run bench', () => {
  it('runs a quick bench and prints its results as JSON', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'bench/index.ts', '--quick', '--json'],
      { cwd: root, timeout: 50_000, maxBuffer: 4 * 1024 * 1024 },
    );
    const parsed: unknown = JSON.parse(stdout);
    const result = benchResultGuard.parse(parsed);

    // Each client at each concurrency, and the ratios of the connector to the other two.
    expect(
      result.throughput.results.map(({ client, concurrency }) => `${client}@${concurrency}`),
    ).toEqual(
      result.settings.concurrencies.flatMap((concurrency) =>
        ['connector', 'minimal-ky', 'fetch'].map((client) => `${client}@${concurrency}`),
      ),
    );
    expect(result.throughput.ratios).toHaveLength(2 * result.settings.concurrencies.length);
    for (const row of result.throughput.results) {
      expect(row.signIns).toBe(result.settings.rounds * result.settings.signInsPerRound);
      // Each sign-in is a code exchange and a profile read, nothing more.
      expect(row.xiaomiCallsPerSignIn).toBe(2);
      expect(row.p99Ms).toBeGreaterThanOrEqual(row.p50Ms);
    }
    // With scopes 1 3 4 6 the openid and phoneAndEmail calls come on top.
    expect(result.latency.connector.xiaomiCallsPerSignIn).toBe(4);
    expect(result.latency.connector.p50Ms).toBeGreaterThanOrEqual(100);
    expect(result.memory.checkpoints).toHaveLength(2);
    expect(result.memory.checkpoints[1]?.signIns).toBeGreaterThan(
      result.memory.checkpoints[0]?.signIns ?? Infinity,
    );
    expect(result.targets.map(({ name }) => name)).toEqual([
      'throughput',
      'extras-latency',
      'memory',
    ]);
    // Targets are judged on full runs only: a quick run's report says none failed.
    const report = formatReport(result);
    expect(report).toContain('Targets (not judged on a quick run):');
    expect(report).not.toMatch(/\b(FAIL|pass)\b/);
  }, 60_000);
});
