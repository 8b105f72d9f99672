/**
 * The database Logto runs on: a fresh database on the server DB_URL names, or a throwaway cluster
 * from Debian's `postgresql` package in a temp folder. Either is removed at the end.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { run, stopPid } from './child.js';
import { onCleanup } from './cleanup.js';
import { freePort } from './ports.js';

export type Database = {
  /** What Logto's DB_URL gets: the fresh database (the CLI's seed creates it). */
  url: string;
  /** Where the run's own SQL goes (psql). */
  psql(sql: string): Promise<string>;
};

/** Runs SQL with Debian's psql; rows come back as `a|b` lines. */
const psqlOn =
  (url: string) =>
  async (sql: string): Promise<string> =>
    run('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql]);

const withDatabase = (serverUrl: string, name: string): string => {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.href;
};

const freshName = () => `logto_e2e_${Date.now().toString(36)}`;

/** PostgreSQL refuses to run as root: as root, its tools run as the `postgres` user. */
const asPostgresUser = (command: string, args: string[]): [string, string[]] =>
  process.getuid?.() === 0
    ? ['runuser', ['-u', 'postgres', '--', command, ...args]]
    : [command, args];

const findPostgresBin = (): string => {
  const configured = process.env.PG_BIN;
  if (configured) {
    return configured;
  }
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((name) => existsSync(path.join(root, name, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = versions[0];
  if (!newest) {
    throw new Error(
      "No PostgreSQL found: install Debian's postgresql package (apt-get install -y postgresql), set PG_BIN, or give DB_URL.",
    );
  }
  return path.join(root, newest, 'bin');
};

/** A cluster of its own in a temp folder, trust auth on 127.0.0.1, stopped by pid at the end. */
const startThrowawayCluster = async (): Promise<Database> => {
  const bin = findPostgresBin();
  const folder = await mkdtemp(path.join(tmpdir(), 'logto-e2e-pg-'));
  onCleanup('remove the PostgreSQL folder', async () =>
    rm(folder, { recursive: true, force: true }),
  );
  if (process.getuid?.() === 0) {
    await run('chown', ['postgres:postgres', folder]);
  }
  const data = path.join(folder, 'data');
  const port = await freePort();
  await run(
    ...asPostgresUser(path.join(bin, 'initdb'), [
      '-D',
      data,
      '-U',
      'postgres',
      '--auth=trust',
      '--encoding=UTF8',
      '--no-sync',
      '--no-instructions',
    ]),
  );
  const options = `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c fsync=off`;
  await run(
    ...asPostgresUser(path.join(bin, 'pg_ctl'), [
      '-D',
      data,
      '-l',
      path.join(folder, 'postgres.log'),
      '-o',
      options,
      '-w',
      'start',
    ]),
  );
  // postmaster.pid's first line is the server's pid; SIGINT is PostgreSQL's fast shutdown.
  const pid = Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  onCleanup(`stop PostgreSQL (pid ${pid})`, async () => stopPid(pid, { signal: 'SIGINT' }));
  const url = `postgres://postgres@127.0.0.1:${port}/${freshName()}`;
  return { url, psql: psqlOn(url) };
};

/** A database of its own on the given server, dropped at the end. */
const useServer = async (serverUrl: string): Promise<Database> => {
  const name = freshName();
  const url = withDatabase(serverUrl, name);
  const admin = psqlOn(serverUrl);
  onCleanup(`drop database ${name}`, async () => {
    await admin(`drop database if exists ${name} with (force)`);
  });
  return { url, psql: psqlOn(url) };
};

export const startDatabase = async (serverUrl: string | undefined): Promise<Database> =>
  serverUrl ? useServer(serverUrl) : startThrowawayCluster();
