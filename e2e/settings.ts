/**
 * What the run is told through its environment, checked before anything starts.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { z } from 'zod';

import { run } from './child.js';
import { checkLogtoHome } from './logto.js';
import { readLogtoBuild, type LogtoBuild } from './logto-build.js';

/** This package's root: what `npm pack` packs. */
export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const envGuard = z.object({
  LOGTO_HOME: z.string({
    required_error:
      'LOGTO_HOME is required: a built Logto (packages/core/build, packages/experience/dist, packages/cli)',
  }),
  LOGTO_NODE: z.string().default('node'),
  DB_URL: z.string().url().optional(),
  CHROMIUM_PATH: z.string().default('/usr/bin/chromium'),
  E2E_OUT: z.string().default(path.join(packageRoot, '.tmp', 'e2e-logto')),
  /** Diagnostics only: starts Logto with IGNORE_CONNECTOR_VERSION_CHECK=1; such a run never passes. */
  E2E_IGNORE_KIT_CHECK: z.enum(['0', '1']).default('0'),
  /** What to call this Logto in the report when its build cannot say (a branch, say). */
  E2E_LOGTO_LABEL: z.string().min(1).optional(),
});

export type Settings = {
  logtoHome: string;
  logtoNode: string;
  nodeVersion: string;
  dbUrl?: string;
  chromiumPath: string;
  outDir: string;
  ignoreKitCheck: boolean;
  /** What the build says it is (version, kit, oidc-provider, the social callback it uses). */
  build: LogtoBuild;
  /** E2E_LOGTO_LABEL: the name the report gives this Logto, beside what the build says. */
  logtoLabel?: string;
};

/** Logto asks for Node ^22.14 (its package.json engines). */
const isNodeForLogto = (version: string): boolean => {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 14);
};

export const readSettings = async (): Promise<Settings> => {
  const parsed = envGuard.safeParse(process.env);
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map(({ message }) => message).join('; '));
  }
  const env = parsed.data;
  const logtoHome = path.resolve(env.LOGTO_HOME);
  checkLogtoHome(logtoHome);
  const nodeVersion = (await run(env.LOGTO_NODE, ['--version'])).trim();
  if (!isNodeForLogto(nodeVersion)) {
    throw new Error(
      `Logto needs Node ^22.14, ${env.LOGTO_NODE} is ${nodeVersion}: set LOGTO_NODE to a Node 22 binary.`,
    );
  }
  return {
    logtoHome,
    logtoNode: env.LOGTO_NODE,
    nodeVersion,
    dbUrl: env.DB_URL,
    chromiumPath: env.CHROMIUM_PATH,
    outDir: path.resolve(env.E2E_OUT),
    ignoreKitCheck: env.E2E_IGNORE_KIT_CHECK === '1',
    build: readLogtoBuild(logtoHome),
    logtoLabel: env.E2E_LOGTO_LABEL,
  };
};
