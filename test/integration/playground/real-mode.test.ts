/**
 * The real-mode command of DEVELOPING.md (en and zh-CN), read from the file and run as written but
 * for its last word: the playground's CLI instead of `npm start` (which builds first), on a free
 * port. It must start, print the callback URL and the address to open, and call no one.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { startPlayground } from '../../../playground/server.js';

const root = path.resolve(import.meta.dirname, '../../..');

/** The variables of the fenced bash block that sets PLAYGROUND_REDIRECT_URI, and its command. */
const realModeCommand = (file: string) => {
  const markdown = readFileSync(path.join(root, file), 'utf8');
  const block = [...markdown.matchAll(/```bash\n([\s\S]*?)```/g)]
    .map((match) => match[1] ?? '')
    .find((text) => text.includes('PLAYGROUND_REDIRECT_URI='));
  const words = (block ?? '').replaceAll('\\\n', ' ').trim().split(/\s+/);
  const env = Object.fromEntries(
    words.filter((word) => /^[A-Z_]+=/.test(word)).map((word) => word.split(/=(.*)/s, 2)),
  );
  return { env, command: words.filter((word) => !/^[A-Z_]+=/.test(word)).join(' ') };
};

/** Runs the playground's CLI until it says it is ready (or exits); returns what it printed. */
const runCli = async (env: Record<string, string>) =>
  new Promise<{ output: string; exitCode: number | null }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'playground/cli.ts'], {
      cwd: root,
      env: { ...process.env, ...env, PORT: '0' },
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Press Ctrl+C')) {
        child.kill('SIGTERM');
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('exit', (code) => {
      resolve({ output, exitCode: output.includes('Press Ctrl+C') ? null : code });
    });
  });

describe("DEVELOPING's real-mode example", () => {
  const commands = ['DEVELOPING.md', 'DEVELOPING.zh-CN.md'].map(realModeCommand);

  it('is the same command in both languages', () => {
    expect(commands[0]?.command).toBe('npm start');
    expect(commands[1]).toEqual(commands[0]);
  });

  it('starts the playground, which prints the callback URL and the address to open', async () => {
    const env = commands[0]?.env ?? {};
    expect(Object.keys(env)).toEqual([
      'XIAOMI_CLIENT_ID',
      'XIAOMI_CLIENT_SECRET',
      'PLAYGROUND_REDIRECT_URI',
    ]);
    const callbackUrl = env.PLAYGROUND_REDIRECT_URI ?? '';
    const { output, exitCode } = await runCli(env);
    expect(exitCode).toBeNull();
    expect(output).toContain(`Real Xiaomi, callback URL:   ${callbackUrl}\n`);
    // Opened anywhere else, the session cookie would not come back with the callback.
    expect(output).toContain(`Xiaomi connector playground: ${new URL(callbackUrl).origin}\n`);
  });
});

describe('a PLAYGROUND_REDIRECT_URI that is not a Logto callback URL', () => {
  it('stops the playground with an example built from its origin', async () => {
    const started = startPlayground({
      port: 0,
      real: {
        clientId: '2882303761517000000',
        clientSecret: 'fake-secret',
        redirectUri: 'https://dev.example.com/callback',
      },
    });
    await expect(started).rejects.toThrow(
      'register https://dev.example.com/callback at Xiaomi and set PLAYGROUND_REDIRECT_URI=https://dev.example.com/callback/xiaomi',
    );
  });
});
