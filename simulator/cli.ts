/**
 * Starts the Xiaomi simulator on its own:
 *
 *   npx tsx simulator/cli.ts [--port 4000] [--host 127.0.0.1] [--public-host NAME] [--redirect-uri URL ...]
 *
 * Without --redirect-uri the default app accepts the playground's callback on port 3000. A Mobile/Tablet
 * app is registered beside it (`defaultSimulatorMobileApp`); its codes come from
 * `POST /__simulator/sdk-code`, as Xiaomi's Android SDK gets them on the phone.
 */
import { parseArgs } from 'node:util';

import { defaultSimulatorApp, defaultSimulatorMobileApp, startXiaomiSimulator } from './index.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.SIMULATOR_PORT ?? '4000' },
    host: { type: 'string', default: process.env.SIMULATOR_HOST ?? '127.0.0.1' },
    'public-host': { type: 'string' },
    'redirect-uri': { type: 'string', multiple: true },
    quiet: { type: 'boolean', default: false },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`Invalid --port: ${values.port}`);
  process.exit(1);
}

const redirectUris = values['redirect-uri'] ?? defaultSimulatorApp.redirectUris;
const app = { ...defaultSimulatorApp, redirectUris: [...redirectUris] };

const simulator = await startXiaomiSimulator({
  port,
  host: values.host,
  publicHost: values['public-host'],
  apps: [app, { ...defaultSimulatorMobileApp }],
  onCall: values.quiet
    ? undefined
    : (call) => {
        // Paths only: queries (which may hold secrets) are never recorded.
        console.log(
          `${call.method} ${call.path} → ${call.status || 'no answer'} in ${call.durationMs} ms`,
        );
      },
});

console.log(`Xiaomi simulator listening on ${simulator.baseUrl}`);
console.log(
  `  App ID:        ${app.clientId} (the App Secret is defaultSimulatorApp.clientSecret)`,
);
console.log(`  Redirect URIs: ${app.redirectUris.join(', ')}`);
console.log(
  `  Mobile app ID: ${defaultSimulatorMobileApp.clientId} (redirect URL ${defaultSimulatorMobileApp.redirectUris.join(', ')}; the App Secret is defaultSimulatorMobileApp.clientSecret)`,
);
console.log(
  `  Faults:        GET/POST ${simulator.baseUrl}/__simulator/faults (JSON), one app's: …/faults/{App ID}`,
);
console.log(
  `  SDK codes:     POST ${simulator.baseUrl}/__simulator/sdk-code (JSON: appId, redirectUrl, scope, state, account)`,
);

const stop = () => {
  void simulator.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
