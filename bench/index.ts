/**
 * `npm run bench`: the connector beside Logto's official Xiaomi connector and a minimal ky client,
 * against the simulated Xiaomi, judged on three targets; with `--network`, cold and warm sign-ins
 * across a link with a round trip. See DEVELOPING.md, Performance.
 */
import { parseArgs } from 'node:util';

import { fullNetworkPlan, quickNetworkPlan, runNetworkBench } from './network/run.js';
import { formatNetworkReport } from './network/report.js';
import { formatReport } from './report.js';
import { fullPlan, quickPlan, runBench } from './run.js';

const usage = `Usage: npm run bench -- [--network] [--quick] [--json]

  --network  sign-ins over TLS across a link with a round trip (150 and 30 ms), cold and warm,
             with scope 1 and with the extras, instead of throughput, latency and memory on
             loopback (about seven minutes)
  --quick    a short run: checks the bench runs, judges nothing
  --json     print the result as JSON (progress goes to stderr)

Exits with 1 when a sign-in failed or a target was missed.`;

const { values } = parseArgs({
  options: {
    network: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

const progress = (line: string) => console.error(`· ${line}`);

if (values.help) {
  console.log(usage);
} else {
  const result = values.network
    ? await runNetworkBench(values.quick ? quickNetworkPlan : fullNetworkPlan, progress)
    : await runBench(values.quick ? quickPlan : fullPlan, progress);
  const report = 'phases' in result ? formatNetworkReport(result) : formatReport(result);
  console.log(values.json ? JSON.stringify(result, null, 2) : report);
  const missed = result.judged && result.targets.some(({ pass }) => !pass);
  process.exitCode = result.failures > 0 || missed ? 1 : 0;
}
