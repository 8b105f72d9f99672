/** One whole bench run: simulator up, clients built, the three runs, targets. */
import { loadavg } from 'node:os';

import {
  createConnectorSignIn,
  defaultPackageDir,
  createFetchSignIn,
  createMinimalKySignIn,
  loadBuiltConnector,
  type ClientName,
  type SignIn,
} from './clients.js';
import { createCodeSource } from './codes.js';
import { findGarbageCollector } from './gc.js';
import { describeMachine } from './machine.js';
import type { BenchOptions } from './options.js';
import type { BenchResult } from './result.js';
import { runRound } from './runner.js';
import { runLatency, runMemory, runThroughput, type Context } from './scenarios.js';
import { startSimulatorProcess } from './simulator-process.js';
import { round } from './stats.js';
import { evaluateTargets } from './targets.js';

const timeBuilds = async (build: () => Promise<unknown>, count: number) => {
  const started = performance.now();
  for (let index = 0; index < count; index++) {
    await build();
  }
  return round(((performance.now() - started) * 1000) / count, 1);
};

export const runBench = async (
  options: BenchOptions,
  progress: (message: string) => void,
): Promise<BenchResult> => {
  const loadBefore = loadavg()[0] ?? Number.NaN;
  const simulator = await startSimulatorProcess();
  try {
    const { unionIds } = simulator;
    const context: Context = {
      options,
      codes: createCodeSource(simulator),
      gc: findGarbageCollector(),
      expectedId: (index) => unionIds[index % unionIds.length],
      progress,
    };
    progress(`simulated Xiaomi at ${simulator.baseUrl} (pid ${simulator.pid ?? '?'})`);

    const { packageDir } = options;
    const plain = await loadBuiltConnector(simulator, { packageDir });
    const withExtras = await loadBuiltConnector(simulator, {
      packageDir,
      scope: options.latency.scope,
    });
    const clients: Record<ClientName, SignIn> = {
      connector: await createConnectorSignIn(plain.connector, simulator),
      'minimal-ky': createMinimalKySignIn(simulator),
      fetch: createFetchSignIn(simulator),
    };
    const extras = await createConnectorSignIn(withExtras.connector, simulator);

    // Every client must sign in as the right user before anything is timed.
    for (const [name, signIn] of Object.entries(clients)) {
      const codes = await context.codes.next(unionIds.length, '1', 0);
      const check = await runRound(signIn, codes, 1, context.expectedId);
      if (check.errors > 0) {
        throw new Error(`${name} cannot sign in: ${check.firstError ?? 'unknown error'}`);
      }
    }

    const throughput = await runThroughput(context, clients);
    const latency = await runLatency(context, extras, clients['minimal-ky']);
    const connectorBuildMicros = await timeBuilds(plain.build, options.builds);
    const memory = await runMemory(context, clients.connector);

    const errors =
      throughput.results.reduce((sum, result) => sum + result.errors, 0) +
      latency.connector.errors +
      latency.minimalKy.errors +
      memory.errors;
    return {
      machine: describeMachine(),
      settings: {
        quick: options.quick,
        rounds: options.rounds,
        signInsPerRound: options.signIns,
        warmup: options.warmup,
        delayMs: options.delayMs,
        concurrencies: options.concurrencies,
        simulator: 'child-process',
        packageDir: options.packageDir ?? defaultPackageDir,
      },
      loadAverage: { before: round(loadBefore), after: round(loadavg()[0] ?? Number.NaN) },
      throughput,
      latency,
      memory,
      connectorBuildMicros,
      targets: evaluateTargets(throughput.ratios, latency, memory, !options.quick),
      errors,
    };
  } finally {
    await simulator.close();
  }
};
