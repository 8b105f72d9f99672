/** The text `npm run bench -- --network` prints: the targets, then one table per round trip. */
import { machineWords } from '../machine.js';

import type { NetworkResult } from './run.js';

const table = (header: string[], rows: string[][]) =>
  [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');

export const formatNetworkReport = (result: NetworkResult): string => {
  const { plan, machine, judged } = result;
  const lines = [
    `${plan.quick ? 'Quick network run (judges nothing).' : 'Network run.'} ${machineWords(machine)}`,
    '',
    table(
      ['RTT', 'scope', 'target', 'measured', 'limit', 'result'],
      result.targets.map(({ rttMs, scope, what, value, unit, limit, pass }) => [
        `${rttMs} ms`,
        scope,
        what,
        `${value.toFixed(2)} ${unit}`,
        limit === null ? '–' : `≤ ${limit} ${unit}`,
        judged && limit !== null ? (pass ? 'pass' : '**FAIL**') : '–',
      ]),
    ),
    ...(result.failures > 0
      ? ['', `${result.failures} sign-ins failed, so nothing is judged:`, ...result.failureNotes]
      : []),
  ];
  for (const phase of result.phases) {
    lines.push(
      '',
      `${phase.rttMs} ms link: ${plan.rounds} rounds, each a cold sign-in per client after ${plan.idleGapMs} ms idle, then ${plan.warmPerRound} warm ones. The link's round trip, pinged: ${phase.linkRttMs} ms; a call's round trip (half the warm p50 of the minimal ky client with scope 1): ${phase.callRttMs} ms.`,
      '',
      table(
        [
          'client',
          'scope',
          'cold p50 ms',
          'cold ÷ call RTT',
          'cold ÷ link RTT',
          'warm p50 ms',
          'warm ÷ call RTT',
          'warm ÷ link RTT',
          'sign-ins cold / warm',
          'warm-ups cold / warm',
        ],
        phase.rows.map((row) => [
          row.client,
          row.scope,
          row.coldP50Ms.toFixed(1),
          row.coldPerCallRtt.toFixed(2),
          row.coldPerLinkRtt.toFixed(2),
          row.warmP50Ms.toFixed(1),
          row.warmPerCallRtt.toFixed(2),
          row.warmPerLinkRtt.toFixed(2),
          `${row.coldSignIns} / ${row.warmSignIns}`,
          `${row.coldWarmUps} / ${row.warmWarmUps}`,
        ]),
      ),
    );
  }
  return lines.join('\n');
};
