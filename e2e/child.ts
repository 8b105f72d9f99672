/**
 * Long-running child processes (Logto) whose output is kept in a log file and in memory, and
 * short commands (initdb, npm pack, psql) that must succeed. Everything is stopped by its pid.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Runs a command to completion; its stderr becomes the error message when it fails. */
export const run = async (
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<string> => {
  try {
    const { stdout } = await execFileAsync(command, args, {
      ...options,
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (error: unknown) {
    const stderr =
      typeof error === 'object' && error !== null && 'stderr' in error ? String(error.stderr) : '';
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${command} ${args.join(' ')} failed: ${stderr.trim() || message}`);
  }
};

export type Daemon = {
  pid: number;
  /** Everything it printed so far (stdout and stderr interleaved). */
  output(): string;
  /** Resolves when it exits; `code` is null when a signal ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  hasExited(): boolean;
};

export const startDaemon = (
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; logFile: string },
): Daemon => {
  const child: ChildProcess = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) {
    throw new Error(`${command} did not start`);
  }
  const log = createWriteStream(options.logFile);
  const chunks: string[] = [];
  const keep = (chunk: Buffer) => {
    chunks.push(chunk.toString('utf8'));
    log.write(chunk);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true;
      log.end();
      resolve({ code, signal });
    });
  });
  return { pid: child.pid, output: () => chunks.join(''), exited, hasExited: () => done };
};

/** Whether a process with this pid exists (signal 0 only checks). */
export const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Sends `signal` (SIGTERM by default), then SIGKILL if it is still there after `graceMs`. */
export const stopPid = async (
  pid: number,
  { signal = 'SIGTERM', graceMs = 10_000 }: { signal?: NodeJS.Signals; graceMs?: number } = {},
): Promise<void> => {
  if (!isAlive(pid)) {
    return;
  }
  process.kill(pid, signal);
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) {
      return;
    }
    await sleep(100);
  }
  process.kill(pid, 'SIGKILL');
};
