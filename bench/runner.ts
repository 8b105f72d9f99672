/**
 * Runs one round: a batch of sign-ins, each with its own fresh code, by `concurrency` workers.
 * Only this is timed; minting the codes happens before, in the simulator's process.
 */
import type { SignIn } from './clients.js';

export type RoundResult = {
  signIns: number;
  durationMs: number;
  /** Per sign-in, in milliseconds. */
  latencies: Float64Array;
  /** User and system CPU time of this process during the round, in microseconds. */
  cpuMicros: number;
  errors: number;
  firstError?: string;
};

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * `expectedIds(i)` is the user id code `i` was minted for: a sign-in that returns another id
 * counts as an error.
 */
export const runRound = async (
  signIn: SignIn,
  codes: string[],
  concurrency: number,
  expectedId: (index: number) => string | undefined,
): Promise<RoundResult> => {
  const latencies = new Float64Array(codes.length);
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;

  const worker = async () => {
    while (next < codes.length) {
      const index = next++;
      const started = performance.now();
      try {
        const id = await signIn(codes[index] ?? '');
        if (id !== expectedId(index)) {
          throw new Error(`signed in as ${id}, expected ${expectedId(index)}`);
        }
      } catch (error: unknown) {
        errors++;
        firstError ??= describe(error);
      }
      latencies[index] = performance.now() - started;
    }
  };

  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, codes.length) }, worker));
  const durationMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);

  return {
    signIns: codes.length,
    durationMs,
    latencies,
    cpuMicros: cpu.user + cpu.system,
    errors,
    ...(firstError !== undefined && { firstError }),
  };
};
