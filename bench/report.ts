/** The text `npm run bench` prints: the targets, then each client's rows (Markdown tables). */
import { machineWords } from './machine.js';
import type { BenchResult, Row } from './run.js';
import type { Target } from './targets.js';

const table = (header: string[], rows: string[][]) =>
  [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');

const measured = ({ value, unit }: Target) =>
  unit === 'ms'
    ? `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(2)} ms`
    : `${value.toFixed(3)} ×`;

const bound = ({ target, unit, limit }: Target) =>
  limit === null ? '–' : `${target === 1 ? '≥' : '≤'} ${limit} ${unit}`;

const verdict = (judged: boolean, { pass, limit }: Target) => {
  if (!judged || limit === null) {
    return '–';
  }
  return pass ? 'pass' : '**FAIL**';
};

const clientTable = (rows: Row[]) =>
  table(
    [
      'client',
      'scope',
      'sign-ins',
      'sign-ins/s',
      'p50 ms',
      'p99 ms',
      'CPU µs/sign-in',
      'simulator CPU µs/sign-in',
      'Xiaomi calls/sign-in',
      'warm-ups',
      'failures',
    ],
    rows.map((row) => [
      row.client,
      row.scope,
      String(row.signIns),
      String(row.signInsPerSecond),
      row.p50Ms.toFixed(2),
      row.p99Ms.toFixed(2),
      String(row.cpuMicrosPerSignIn),
      String(row.simulatorCpuMicrosPerSignIn),
      row.xiaomiCallsPerSignIn.toFixed(2),
      String(row.warmUps),
      String(row.failures),
    ]),
  );

const spread = (ratios: number[]) =>
  `${Math.min(...ratios).toFixed(2)} to ${Math.max(...ratios).toFixed(2)}`;

/** The rows are official, minimal ky, connector: CPU per sign-in, row `other` ÷ connector. */
const cpuRatio = (rows: Row[], other: number) => {
  const [of, connector] = [rows[other], rows[2]];
  return of && connector ? (of.cpuMicrosPerSignIn / connector.cpuMicrosPerSignIn).toFixed(2) : '–';
};

const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

export const formatReport = (result: BenchResult): string => {
  const { plan, machine, judged } = result;
  const { throughput, latency } = plan;
  const lines = [
    `${plan.quick ? 'Quick run (judges nothing).' : 'Full run.'} ${machineWords(machine)}`,
    '',
    table(
      ['target', 'measured', 'limit', 'result'],
      result.targets.map((target) => [
        `${target.target}. ${target.what}`,
        measured(target),
        bound(target),
        verdict(judged, target),
      ]),
    ),
    ...(result.failures > 0
      ? ['', `${result.failures} sign-ins failed, so nothing is judged:`, ...result.failureNotes]
      : []),
    '',
    `Throughput: concurrency ${throughput.concurrency}, no delay, ${throughput.rounds} alternating rounds × ${throughput.signIns} sign-ins per client. Connector ÷ minimal ky, round by round: ${spread(result.throughputRatios.minimalKy)}; connector ÷ official: ${spread(result.throughputRatios.official)}. CPU per sign-in, minimal ky ÷ connector: ${cpuRatio(result.throughput, 1)}; official ÷ connector: ${cpuRatio(result.throughput, 0)}.`,
    '',
    clientTable(result.throughput),
    '',
    `Latency: concurrency ${latency.concurrency}, ${latency.delayMs} ms a Xiaomi call, ${latency.rounds} alternating rounds × ${latency.signIns} sign-ins per client; with the extras, both clients make the same four calls.`,
    '',
    clientTable(result.latency),
    '',
    `Memory: the connector at concurrency ${throughput.concurrency}; each reading the lowest of ${plan.memoryIdle.readings}, ${plan.memoryIdle.everyMs} ms apart while idle, each after garbage collection.`,
    '',
    table(
      ['connector sign-ins', 'heap MB', 'RSS MB'],
      result.memory.map(({ signIns, heapUsedBytes, rssBytes }) => [
        String(signIns),
        megabytes(heapUsedBytes),
        megabytes(rssBytes),
      ]),
    ),
  ];
  return lines.join('\n');
};
