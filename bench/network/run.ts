/**
 * `npm run bench -- --network`: sign-ins over real TLS across a link with a round-trip time, cold
 * (after an idle gap longer than any keep-alive) and warm (right after), side by side with the
 * minimal ky client, judged as ratios to the round trip measured in the same run (issue 26).
 */
import { setTimeout as sleep } from 'node:timers/promises';

import { extrasScope } from '../clients.js';
import { watchMachine, type Machine } from '../machine.js';
import { startSimulatorProcess, type SimulatorProcess } from '../simulator.js';
import { percentile, round } from '../targets.js';

import { makeCertificates } from './certificates.js';
import type { ClientSpec } from './client-child.js';
import { startClientProcess, type ClientProcess } from './client-process.js';
import { judgeNetwork, type NetworkTarget } from './targets.js';

export type NetworkPlan = {
  quick: boolean;
  rttsMs: number[];
  rounds: number;
  /** Warm sign-ins per client after each cold one. */
  warmPerRound: number;
  /**
   * Idle before each round's cold sign-ins: longer than the simulator's keep-alive (Node's 5 s),
   * and so than undici's, which follows the server's Keep-Alive header less a margin.
   */
  idleGapMs: number;
  /** Sign-ins per client before the rounds: a cold sign-in is not a process's first. */
  firstSignIns: number;
};

export const fullNetworkPlan: NetworkPlan = {
  quick: false,
  rttsMs: [150, 30],
  rounds: 15,
  warmPerRound: 4,
  idleGapMs: 5500,
  firstSignIns: 3,
};

export const quickNetworkPlan: NetworkPlan = {
  quick: true,
  rttsMs: [40],
  rounds: 1,
  warmPerRound: 2,
  idleGapMs: 5500,
  firstSignIns: 1,
};

type ClientKind = Omit<ClientSpec, 'accountBaseUrl' | 'openApiBaseUrl'>;

/**
 * The clients compared for one scope, each with hosts of its own: its connections are cold or
 * warm alone. With scope 1 a sign-in makes two calls; with the extras four, three of them side by
 * side on the open-API host.
 */
const clientsWith = (scope: string): ClientKind[] => [
  { name: 'minimal ky', kind: 'minimal ky', scope },
  { name: 'connector, warm-up off', kind: 'connector', scope, skipWarmUp: true },
  { name: 'connector', kind: 'connector', scope },
];

/** The first is the minimal ky client with scope 1: its warm p50 gives a call's round trip. */
const clientKinds: ClientKind[] = [...clientsWith('1'), ...clientsWith(extrasScope)];

export type NetworkRow = {
  client: string;
  /** The scope its codes are minted for and the connector asks for. */
  scope: string;
  coldP50Ms: number;
  warmP50Ms: number;
  /** In round trips of a call (`callRttMs`), and of the link alone (`linkRttMs`). */
  coldPerCallRtt: number;
  coldPerLinkRtt: number;
  warmPerCallRtt: number;
  warmPerLinkRtt: number;
  coldSignIns: number;
  warmSignIns: number;
  /** Warm-ups of the open-API connection made by the cold sign-ins, and by the warm ones. */
  coldWarmUps: number;
  warmWarmUps: number;
};

export type NetworkPhase = {
  /** The round trip the relays were set to. */
  rttMs: number;
  /** The link's round trip, pinged from the client's process through a relay like the others. */
  linkRttMs: number;
  /**
   * A call's round trip as a client sees it on a warm connection: half the warm p50 of the
   * minimal ky client with scope 1 (two calls), the link plus what client and server spend on a
   * call.
   */
  callRttMs: number;
  rows: NetworkRow[];
};

export type NetworkResult = {
  plan: NetworkPlan;
  judged: boolean;
  machine: Machine;
  phases: NetworkPhase[];
  targets: NetworkTarget[];
  failures: number;
  failureNotes: string[];
};

type Code = { code: string; expected: string };

type Samples = { cold: number[]; warm: number[]; coldWarmUps: number; warmWarmUps: number };

const runPhase = async (
  { simulator, client, echo }: Setup,
  plan: NetworkPlan,
  rttMs: number,
  fail: (client: string, error: unknown) => void,
): Promise<NetworkPhase> => {
  await simulator.setRttMs(rttMs);
  const samples: Samples[] = clientKinds.map(() => ({
    cold: [],
    warm: [],
    coldWarmUps: 0,
    warmWarmUps: 0,
  }));
  const signIns = async (at: number, codes: Code[], record?: 'cold' | 'warm') => {
    for (const { code, expected } of codes) {
      try {
        const { id, ms, warmUps } = await client.signIn(at, code);
        if (id !== expected) {
          throw new Error(`signed in as ${id}, expected ${expected}`);
        }
        const kept = samples[at];
        if (record && kept) {
          kept[record].push(ms);
          kept[record === 'cold' ? 'coldWarmUps' : 'warmWarmUps'] += warmUps;
        }
      } catch (error: unknown) {
        fail(clientKinds[at]?.name ?? '?', error);
      }
    }
  };
  // Minted for one client's scope just before its turn, untimed (a batch resets the simulator);
  // code i is for account i mod n.
  const mint = async (at: number, n: number): Promise<Code[]> =>
    (await simulator.codes(n, clientKinds[at]?.scope ?? '1', 0)).codes.map((code, index) => ({
      code,
      expected: simulator.unionIds[index % simulator.unionIds.length] ?? '',
    }));

  for (const [at] of clientKinds.entries()) {
    await signIns(at, await mint(at, plan.firstSignIns));
  }
  const rtts: number[] = [];
  for (let round = 0; round < plan.rounds; round++) {
    const idleSince = performance.now();
    rtts.push(...(await client.ping(echo, 5)));
    await sleep(plan.idleGapMs - (performance.now() - idleSince));
    for (let turn = 0; turn < clientKinds.length; turn++) {
      const at = (round + turn) % clientKinds.length;
      const [cold, ...warm] = await mint(at, 1 + plan.warmPerRound);
      await signIns(at, cold ? [cold] : [], 'cold');
      await signIns(at, warm, 'warm');
    }
  }
  const linkRttMs = percentile(rtts, 50);
  const callRttMs = percentile(samples[0]?.warm ?? [], 50) / 2;
  const rows = clientKinds.map(({ name, scope }, at): NetworkRow => {
    const kept = samples[at] ?? { cold: [], warm: [], coldWarmUps: 0, warmWarmUps: 0 };
    const [cold, warm] = [percentile(kept.cold, 50), percentile(kept.warm, 50)];
    return {
      client: name,
      scope,
      coldP50Ms: round(cold, 1),
      warmP50Ms: round(warm, 1),
      coldPerCallRtt: round(cold / callRttMs, 2),
      coldPerLinkRtt: round(cold / linkRttMs, 2),
      warmPerCallRtt: round(warm / callRttMs, 2),
      warmPerLinkRtt: round(warm / linkRttMs, 2),
      coldSignIns: kept.cold.length,
      warmSignIns: kept.warm.length,
      coldWarmUps: kept.coldWarmUps,
      warmWarmUps: kept.warmWarmUps,
    };
  });
  return { rttMs, linkRttMs: round(linkRttMs, 1), callRttMs: round(callRttMs, 1), rows };
};

type Setup = {
  simulator: SimulatorProcess;
  client: ClientProcess;
  echo: { host: string; port: number };
};

export const runNetworkBench = async (
  plan: NetworkPlan,
  progress: (line: string) => void,
): Promise<NetworkResult> => {
  const machineAtEnd = watchMachine();
  const closers: Array<() => unknown> = [];
  try {
    const certificates = makeCertificates();
    closers.push(certificates.remove);
    const simulator = await startSimulatorProcess();
    closers.push(simulator.close);
    const link = await simulator.link({ ...certificates, clients: clientKinds.length });
    const client = await startClientProcess({
      caPath: certificates.caPath,
      clients: clientKinds.map((kind, at) => ({
        ...kind,
        accountBaseUrl: link.origins[at]?.accountBaseUrl ?? '',
        openApiBaseUrl: link.origins[at]?.openApiBaseUrl ?? '',
      })),
      app: simulator,
    });
    closers.push(client.close);

    let failures = 0;
    const failureNotes: string[] = [];
    const fail = (name: string, error: unknown) => {
      failures++;
      if (failureNotes.length < 5) {
        failureNotes.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    const setup = { simulator, client, echo: link.echo };
    const phases: NetworkPhase[] = [];
    for (const rttMs of plan.rttsMs) {
      progress(
        `${rttMs} ms round trip: ${plan.rounds} rounds, each after ${plan.idleGapMs} ms idle`,
      );
      phases.push(await runPhase(setup, plan, rttMs, fail));
    }
    return {
      plan,
      judged: !plan.quick && failures === 0,
      machine: machineAtEnd(),
      phases,
      targets: judgeNetwork(phases),
      failures,
      failureNotes,
    };
  } finally {
    for (const close of closers.reverse()) {
      await close();
    }
  }
};
