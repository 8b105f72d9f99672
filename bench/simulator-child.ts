/**
 * The simulated Xiaomi in a process of its own, so that its work and memory are not the bench's.
 * Started by `simulator-process.ts` with an IPC channel; prints nothing on stdout.
 */
import { defaultSimulatorApp, startXiaomiSimulator } from '../simulator/index.js';

import { mintCodes } from './mint.js';
import { childRequestGuard, type BatchRequest, type ChildMessage } from './protocol.js';

const benchRedirectUri = 'http://127.0.0.1:3000/callback/xiaomi-bench';
const benchState = 'bench-state';

const send = (message: ChildMessage) => {
  process.send?.(message);
};

if (!process.send) {
  console.error('simulator-child.ts must be started by the bench, with an IPC channel.');
  process.exit(1);
}

const app = {
  ...defaultSimulatorApp,
  name: 'Logto bench',
  redirectUris: ['http://127.0.0.1:3000/callback'],
};
const simulator = await startXiaomiSimulator({ apps: [app] });
const userIds = simulator.accounts.map(({ userId }) => userId);

/** Counts the Xiaomi API calls recorded so far by path; minting (authorize) is left out. */
const countApiCalls = () => {
  const counts: Record<string, number> = {};
  for (const { path } of simulator.calls()) {
    if (!path.startsWith('/oauth2/authorize')) {
      counts[path] = (counts[path] ?? 0) + 1;
    }
  }
  return counts;
};

let cpuMark = process.cpuUsage();

const batch = async ({ id, count, scope, delayMs }: BatchRequest) => {
  const previousCalls = countApiCalls();
  const cpu = process.cpuUsage(cpuMark);
  const previousCpuMicros = cpu.user + cpu.system;
  // Codes, tokens and the call log would grow with every sign-in: start each batch empty.
  simulator.reset();
  const codes = await mintCodes({
    baseUrl: simulator.baseUrl,
    clientId: app.clientId,
    redirectUri: benchRedirectUri,
    state: benchState,
    scope,
    userIds,
    count,
  });
  // The delay applies to the token and open APIs only; it is set after minting all the same.
  simulator.setFaults({ delayMs });
  // Minting is not the round's work: the simulator's CPU is counted from here.
  cpuMark = process.cpuUsage();
  send({ type: 'batch', id, codes, previousCalls, previousCpuMicros });
};

process.on('message', (raw: unknown) => {
  const parsed = childRequestGuard.safeParse(raw);
  if (!parsed.success) {
    send({ type: 'error', message: 'unknown request' });
    return;
  }
  const request = parsed.data;
  if (request.type === 'stop') {
    void simulator.close().then(() => process.exit(0));
    return;
  }
  batch(request).catch((error: unknown) => {
    send({
      type: 'error',
      id: request.id,
      message: error instanceof Error ? error.message : String(error),
    });
  });
});

// The bench went away without saying stop: do not outlive it.
process.on('disconnect', () => {
  void simulator.close().then(() => process.exit(0));
});

send({
  type: 'ready',
  baseUrl: simulator.baseUrl,
  clientId: app.clientId,
  clientSecret: app.clientSecret,
  redirectUri: benchRedirectUri,
  state: benchState,
  unionIds: simulator.accounts.map(({ unionId }) => unionId),
});
