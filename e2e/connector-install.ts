/**
 * Puts this package into Logto the way `logto connector add` does (packages/cli/src/commands/
 * connector/utils.ts in logto-io/logto): `npm pack`, then the tarball unpacked with its top folder
 * stripped into `packages/core/connectors/<name with / as ->`, no node_modules. Connectors with the
 * same factory id (Logto's official Xiaomi connector) are moved aside for the run and put back at
 * the end; a run that was killed is repaired by the next one (see the state file).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { z } from 'zod';

import { isAlive, run } from './child.js';
import { onCleanup } from './cleanup.js';

/** Package names that register the factory id `xiaomi-universal`. */
const officialXiaomiPackage = '@logto/connector-xiaomi';

const packOutputGuard = z.array(
  z.object({ filename: z.string(), name: z.string(), version: z.string() }),
);
const packageJsonGuard = z.object({ name: z.string().optional() }).passthrough();
const stateGuard = z.object({ pid: z.number(), installed: z.string(), aside: z.array(z.string()) });
type RunState = z.infer<typeof stateGuard>;

export type InstalledConnector = {
  name: string;
  version: string;
  folder: string;
  /** Folders moved aside for the run (put back at the end). */
  movedAside: string[];
};

const packageName = (folder: string): string | undefined => {
  try {
    const parsed = packageJsonGuard.safeParse(
      JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')),
    );
    return parsed.success ? parsed.data.name : undefined;
  } catch {
    return undefined;
  }
};

/** Where folders go while the run lasts, and the file that says what the run changed. */
const runPaths = (connectorsDir: string) => ({
  aside: `${connectorsDir}.e2e-aside`,
  state: `${connectorsDir}.e2e-run.json`,
});

const undoChanges = async (connectorsDir: string, state: RunState): Promise<void> => {
  const { aside } = runPaths(connectorsDir);
  await rm(path.join(connectorsDir, state.installed), { recursive: true, force: true });
  for (const folder of state.aside) {
    const from = path.join(aside, folder);
    if (existsSync(from)) {
      await rename(from, path.join(connectorsDir, folder));
    }
  }
  await rm(aside, { recursive: true, force: true });
  await rm(runPaths(connectorsDir).state, { force: true });
};

/** A previous run that was killed left the host changed: undo that first. */
const repairKilledRun = async (connectorsDir: string): Promise<void> => {
  const { state: stateFile } = runPaths(connectorsDir);
  if (!existsSync(stateFile)) {
    return;
  }
  const state = stateGuard.parse(JSON.parse(readFileSync(stateFile, 'utf8')));
  if (state.pid !== process.pid && isAlive(state.pid)) {
    throw new Error(
      `Another e2e run (pid ${state.pid}) is using this Logto (${stateFile}); wait for it to ` +
        `finish. If none is running, pid ${state.pid} now belongs to something else: put the ` +
        `folders in ${runPaths(connectorsDir).aside} back into ${connectorsDir}, remove ` +
        `${state.installed} there, then delete ${stateFile}.`,
    );
  }
  console.error(`Undoing what a killed run (pid ${state.pid}) left in ${connectorsDir}`);
  await undoChanges(connectorsDir, state);
};

export const installPackedConnector = async ({
  logtoHome,
  packageRoot,
  workDir,
}: {
  logtoHome: string;
  packageRoot: string;
  workDir: string;
}): Promise<InstalledConnector> => {
  const connectorsDir = path.join(logtoHome, 'packages', 'core', 'connectors');
  await mkdir(connectorsDir, { recursive: true });
  await repairKilledRun(connectorsDir);

  // What `npm pack` would run as prepack, run first so pack's own output is only its JSON.
  await run('npm', ['run', 'build'], { cwd: packageRoot });
  const packed = packOutputGuard.parse(
    JSON.parse(
      await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', workDir], {
        cwd: packageRoot,
      }),
    ),
  )[0];
  if (!packed) {
    throw new Error('npm pack produced nothing');
  }
  const folder = packed.name.replaceAll('/', '-');

  const clashing = readdirSync(connectorsDir).filter((entry) =>
    [officialXiaomiPackage, packed.name].includes(
      packageName(path.join(connectorsDir, entry)) ?? '',
    ),
  );
  const state: RunState = { pid: process.pid, installed: folder, aside: clashing };
  const { aside, state: stateFile } = runPaths(connectorsDir);
  await writeFile(stateFile, JSON.stringify(state));
  onCleanup("restore Logto's connectors folder", async () => undoChanges(connectorsDir, state));

  await mkdir(aside, { recursive: true });
  for (const entry of clashing) {
    await rename(path.join(connectorsDir, entry), path.join(aside, entry));
  }
  const target = path.join(connectorsDir, folder);
  await mkdir(target, { recursive: true });
  await run('tar', [
    '-xzf',
    path.join(workDir, packed.filename),
    '--strip-components=1',
    '-C',
    target,
  ]);
  return { name: packed.name, version: packed.version, folder: target, movedAside: clashing };
};
