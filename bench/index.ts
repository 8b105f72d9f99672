/**
 * `npm run bench`: sign-ins against the simulated Xiaomi, the connector side by side with minimal
 * clients. See `npm run bench -- --help`.
 */
import { parseOptions, usage } from './options.js';
import { formatReport } from './report.js';
import { runBench } from './run.js';

const main = async () => {
  const options = parseOptions(process.argv.slice(2));
  if (!options) {
    console.log(usage);
    return 0;
  }
  const progress = (message: string) => {
    if (!options.quick || !options.json) {
      console.error(`· ${message}`);
    }
  };
  const result = await runBench(options, progress);
  console.log(options.json ? JSON.stringify(result, null, 2) : formatReport(result));
  if (result.errors > 0) {
    return 1;
  }
  return options.strict && result.targets.some(({ pass, judged }) => judged && !pass) ? 1 : 0;
};

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  },
);
