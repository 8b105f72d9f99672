/**
 * A Dockerfile applied without Docker (images cannot be pulled here): FROM names the image, whose
 * /etc/logto the test lays out; RUN runs its shell form with `sh -c` in the image's WORKDIR
 * (/etc/logto, Logto's Dockerfile); COPY copies from the build folder. Any other instruction fails:
 * what it would do is not emulated.
 */
import { cpSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export type Instruction = { keyword: string; args: string };

export const parseDockerfile = (text: string): Instruction[] =>
  text
    .replaceAll(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });

/** Why an image is not one to pin in the README, or undefined when it is. */
export const imageProblem = (image: string, releasesRunOn: string[]) => {
  const tag = /^svhd\/logto:(\S+)$/.exec(image)?.[1];
  if (tag === undefined) {
    return `${image} is not Logto's image with a tag (svhd/logto:<release>)`;
  }
  if (tag === 'latest') {
    return 'svhd/logto:latest is a different Logto every month';
  }
  if (!releasesRunOn.includes(tag)) {
    return `${tag} is not a release the README says the package ran on (${releasesRunOn.join(', ')})`;
  }
  return undefined;
};

/** The one FROM, first. */
export const baseImage = (instructions: Instruction[]) => {
  const froms = instructions.filter(({ keyword }) => keyword === 'FROM');
  if (froms.length !== 1 || instructions[0]?.keyword !== 'FROM') {
    throw new Error('expected one FROM, first');
  }
  return froms[0]?.args ?? '';
};

/** Applies RUN and COPY, in order, to `etcLogto` (the image's WORKDIR), copying from `context`. */
export const applyDockerfile = (
  instructions: Instruction[],
  { context, etcLogto }: { context: string; etcLogto: string },
) => {
  for (const { keyword, args } of instructions) {
    if (keyword === 'FROM') {
      continue;
    }
    if (keyword === 'RUN') {
      execFileSync('sh', ['-c', args], { cwd: etcLogto, stdio: 'pipe' });
      continue;
    }
    if (keyword === 'COPY') {
      const parts = args.split(/\s+/);
      const [source = '', destination = ''] = parts;
      if (parts.length !== 2 || source.startsWith('--')) {
        throw new Error(`COPY ${args}: only \`COPY <source> <destination>\` is emulated`);
      }
      const from = path.resolve(context, source);
      if (!from.startsWith(context + path.sep) || !existsSync(from)) {
        throw new Error(`COPY ${args}: ${source} is not in the build folder`);
      }
      // A folder's contents go into the destination, which is created (Docker's COPY).
      cpSync(from, path.resolve(etcLogto, destination), { recursive: true });
      continue;
    }
    throw new Error(`${keyword} ${args}: this test does not emulate ${keyword}`);
  }
};
