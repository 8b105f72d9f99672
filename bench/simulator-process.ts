/**
 * Starts the simulated Xiaomi in a child process (Node with tsx) and talks to it over IPC; the
 * sign-ins themselves go to it over loopback HTTP.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { childMessageGuard, type BatchReply, type ReadyMessage } from './protocol.js';

export type SimulatorProcess = ReadyMessage & {
  pid: number | undefined;
  /** Resets the simulator, sets its per-call delay and mints `count` codes for `scope`. */
  batch(count: number, scope: string, delayMs: number): Promise<BatchReply>;
  close(): Promise<void>;
};

type Pending = { resolve: (reply: BatchReply) => void; reject: (error: Error) => void };

const startupTimeoutMs = 30_000;
const stopTimeoutMs = 5000;

const tsxLoader = () => pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export const startSimulatorProcess = async (): Promise<SimulatorProcess> => {
  const child: ChildProcess = fork(
    fileURLToPath(new URL('simulator-child.ts', import.meta.url)),
    [],
    {
      execArgv: ['--import', tsxLoader()],
      // The bench's stdout may be JSON: the child writes nothing there.
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    },
  );
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let exited = false;

  const killOnExit = () => {
    child.kill();
  };
  process.once('exit', killOnExit);

  const ready = new Promise<ReadyMessage>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error('the simulator process did not start in time'));
    }, startupTimeoutMs);
    child.on('message', (raw: unknown) => {
      const parsed = childMessageGuard.safeParse(raw);
      if (!parsed.success) {
        return;
      }
      const message = parsed.data;
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve(message);
        return;
      }
      const waiting = message.id === undefined ? undefined : pending.get(message.id);
      if (message.id !== undefined) {
        pending.delete(message.id);
      }
      if (message.type === 'batch') {
        waiting?.resolve(message);
      } else {
        const error = new Error(`simulator process: ${message.message}`);
        if (waiting) {
          waiting.reject(error);
        } else {
          reject(error);
        }
      }
    });
    child.once('exit', (code, signal) => {
      exited = true;
      clearTimeout(timer);
      process.off('exit', killOnExit);
      const error = new Error(`the simulator process exited (${signal ?? `code ${code}`})`);
      reject(error);
      for (const waiting of pending.values()) {
        waiting.reject(error);
      }
      pending.clear();
    });
  });

  const info = await ready.catch((error: unknown) => {
    child.kill();
    throw error;
  });

  return {
    ...info,
    pid: child.pid,
    batch: async (count, scope, delayMs) =>
      new Promise<BatchReply>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        child.send({ type: 'batch', id, count, scope, delayMs });
      }),
    close: async () => {
      if (exited) {
        return;
      }
      const gone = new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
      });
      child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill(), stopTimeoutMs);
      await gone;
      clearTimeout(timer);
    },
  };
};
