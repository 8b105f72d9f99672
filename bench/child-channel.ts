/**
 * A child process of the bench (Node with tsx), asked over IPC one request at a time: each message
 * answers the one pending, and `{ type: 'error', message }` rejects it. Killed when the bench exits.
 */
import { fork } from 'node:child_process';

import { z } from 'zod';

const errorGuard = z.object({ type: z.literal('error'), message: z.string() });

export type ChildChannel = {
  /** The child's next message, such as the one it sends once started. */
  next: () => Promise<unknown>;
  /** Sends a request; resolves with the child's answer. */
  ask: (request: Record<string, unknown>) => Promise<unknown>;
  close: () => void;
};

export const startChild = ({
  scriptPath,
  name,
  env,
  errorPrefix = '',
}: {
  scriptPath: string;
  /** Names the child in the error its exit gives: "the <name> process exited". */
  name: string;
  env?: NodeJS.ProcessEnv;
  /** Put before the child's own error messages. */
  errorPrefix?: string;
}): ChildChannel => {
  const child = fork(scriptPath, [], {
    // Not the bench's own flags (--cpu-prof, --expose-gc): only tsx.
    execArgv: ['--import', import.meta.resolve('tsx')],
    env,
    // The bench's stdout may be JSON: the child writes nothing there.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const kill = () => child.kill();
  process.once('exit', kill);

  let pending: { resolve: (message: unknown) => void; reject: (error: Error) => void } | undefined;
  const next = async () =>
    new Promise<unknown>((resolve, reject) => {
      pending = { resolve, reject };
    });
  child.on('message', (message: unknown) => {
    const error = errorGuard.safeParse(message);
    if (error.success) {
      pending?.reject(new Error(`${errorPrefix}${error.data.message}`));
    } else {
      pending?.resolve(message);
    }
  });
  child.on('exit', (code, signal) => {
    pending?.reject(new Error(`the ${name} process exited (${signal ?? `code ${code}`})`));
  });

  return {
    next,
    ask: async (request) => {
      const answer = next();
      child.send(request);
      return answer;
    },
    close: () => {
      process.off('exit', kill);
      kill();
    },
  };
};
