/**
 * `npm run bench`: the connector beside Logto's official Xiaomi connector and a minimal ky client,
 * against the simulated Xiaomi, judged on three targets. See DEVELOPING.md, Performance.
 */
import { parseArgs } from 'node:util';

import { formatReport } from './report.js';
import { fullPlan, quickPlan, runBench } from './run.js';

const usage = `Usage: npm run bench -- [--quick] [--json]

  --quick   a few hundred sign-ins: checks the bench runs, judges nothing
  --json    print the result as JSON (progress goes to stderr)

Exits with 1 when a sign-in failed or a target was missed.`;

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(usage);
} else {
  const plan = values.quick ? quickPlan : fullPlan;
  const result = await runBench(plan, (line) => console.error(`· ${line}`));
  console.log(values.json ? JSON.stringify(result, null, 2) : formatReport(result));
  const missed = result.judged && result.targets.some(({ pass }) => !pass);
  process.exitCode = result.failures > 0 || missed ? 1 : 0;
}
