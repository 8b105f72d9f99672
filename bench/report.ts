/** The text report `npm run bench` prints. */
import type { BenchResult, Target } from './result.js';

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const percent = (change: number) => `${change >= 0 ? '+' : ''}${(change * 100).toFixed(1)} %`;
const fixed = (value: number, digits: number) =>
  Number.isFinite(value) ? value.toFixed(digits) : '–';

const verdict = ({ judged, pass }: Target) => {
  if (!judged) {
    return '  – ';
  }
  return pass ? 'pass' : 'FAIL';
};

const table = (rows: string[][]) => {
  const widths = rows[0]?.map((_, column) =>
    Math.max(...rows.map((row) => row[column]?.length ?? 0)),
  );
  return rows
    .map((row) =>
      row
        .map((cell, column) =>
          column === 0 ? cell.padEnd(widths?.[column] ?? 0) : cell.padStart(widths?.[column] ?? 0),
        )
        .join('  '),
    )
    .join('\n');
};

export const formatReport = (result: BenchResult): string => {
  const { machine, settings, throughput, latency, memory } = result;
  const lines: string[] = [];
  lines.push(
    `Xiaomi sign-in bench: ${settings.rounds} alternating rounds × ${settings.signInsPerRound} sign-ins per client, simulated Xiaomi in a child process on loopback, ${settings.delayMs} ms per call${settings.quick ? ' (quick: numbers not meaningful)' : ''}`,
    `Machine: ${machine.cpuModel}, ${machine.cpus} CPUs, ${megabytes(machine.totalMemoryBytes)}, Node ${machine.node} ${machine.platform}/${machine.arch}; load average ${result.loadAverage.before} before, ${result.loadAverage.after} after`,
    `Connector package: ${settings.packageDir}`,
    '',
  );
  lines.push(
    table([
      [
        'client',
        'concurrency',
        'sign-ins/s',
        'p50 ms',
        'p99 ms',
        'CPU µs/sign-in',
        'calls',
        'errors',
        'simulator CPU µs',
        'simulator busy',
      ],
      ...throughput.results.map((row) => [
        row.client,
        String(row.concurrency),
        fixed(row.signInsPerSecond, 0),
        fixed(row.p50Ms, 2),
        fixed(row.p99Ms, 2),
        fixed(row.cpuMicrosPerSignIn, 0),
        fixed(row.xiaomiCallsPerSignIn, 2),
        String(row.errors),
        fixed(row.simulatorCpuMicrosPerSignIn, 0),
        `${fixed(row.simulatorBusy * 100, 0)} %`,
      ]),
    ]),
    '',
    table([
      ['connector ÷', 'concurrency', 'throughput', 'rounds range', 'p50', 'CPU'],
      ...throughput.ratios.map((ratio) => [
        ratio.versus,
        String(ratio.concurrency),
        fixed(ratio.throughput, 3),
        `${fixed(ratio.throughputRange[0], 2)}–${fixed(ratio.throughputRange[1], 2)}`,
        fixed(ratio.p50, 3),
        fixed(ratio.cpu, 3),
      ]),
    ]),
    '',
    `Latency, ${latency.delayMs} ms per Xiaomi call, concurrency ${latency.concurrency}, ${latency.signIns} sign-ins: connector with scopes ${latency.scope} p50 ${fixed(latency.connector.p50Ms, 1)} ms, p99 ${fixed(latency.connector.p99Ms, 1)} ms (${fixed(latency.connector.xiaomiCallsPerSignIn, 2)} calls per sign-in; 2 × ${latency.delayMs} = ${latency.expectedMs} ms); minimal ky p50 ${fixed(latency.minimalKy.p50Ms, 1)} ms`,
    `Memory, connector at concurrency ${memory.concurrency} (GC: ${memory.gc}), ${memory.settleMs} ms idle before measuring: ${memory.checkpoints
      .map(
        ({ signIns, settled, immediate }) =>
          `after ${signIns} heap ${megabytes(settled.heapUsedBytes)}, RSS ${megabytes(settled.rssBytes)} (right after the sign-ins: ${megabytes(immediate.heapUsedBytes)}, ${megabytes(immediate.rssBytes)})`,
      )
      .join(
        '; ',
      )}; change heap ${percent(memory.heapUsedChange)}, RSS ${percent(memory.rssChange)}`,
    `Building the connector (Logto does it per request): ${fixed(result.connectorBuildMicros, 0)} µs`,
    '',
    settings.quick ? 'Targets (not judged on a quick run):' : 'Targets:',
    ...result.targets.map(
      (target) =>
        `  ${verdict(target)}  ${target.description}: ${fixed(target.value, 3)} (limit ${target.limit})`,
    ),
  );
  if (result.errors > 0) {
    lines.push('', `${result.errors} sign-ins failed: the numbers above are not to be trusted.`);
  }
  return lines.join('\n');
};
