/**
 * Which Android-app steps this Logto can run, read from its build: core's build keeps each route
 * group's OpenAPI document (packages/core/build/routes/**\/*.openapi.json, what core serves as its
 * swagger.json), and a step runs only where every route it calls is there. Logto 1.37.1 to the
 * #9464 branch have them all; an older build gets each missing step skipped with the routes named.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { z } from 'zod';

import type { LogtoBuild } from './logto-build.js';

const documentGuard = z.object({ paths: z.record(z.record(z.unknown())).optional() });

const routesFolder = 'packages/core/build/routes';

/** "METHOD /path" for every route the build documents. */
const documentedRoutes = (home: string): Set<string> => {
  const folder = path.join(home, routesFolder);
  const files = existsSync(folder)
    ? readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((file) =>
        file.endsWith('.openapi.json'),
      )
    : [];
  return new Set(
    files.flatMap((file) => {
      const { paths = {} } = documentGuard.parse(
        JSON.parse(readFileSync(path.join(folder, file), 'utf8')),
      );
      return Object.entries(paths).flatMap(([route, methods]) =>
        Object.keys(methods).map((method) => `${method.toUpperCase()} ${route}`),
      );
    }),
  );
};

const experienceSignIn = [
  'PUT /api/experience',
  'POST /api/experience/verification/social/{connectorId}/authorization-uri',
  'POST /api/experience/verification/social/{connectorId}/verify',
  'POST /api/experience/identification',
  'PUT /api/experience/interaction-event',
  'POST /api/experience/submit',
];

/** The routes each Android step calls. */
const needs = {
  signIn: experienceSignIn,
  refresh: [...experienceSignIn, 'GET /api/my-account/identities/{target}/access-token'],
  link: [
    'PUT /api/experience',
    'POST /api/experience/verification/password',
    'POST /api/experience/identification',
    'POST /api/experience/submit',
    'POST /api/verifications/social',
    'POST /api/verifications/social/verify',
    'POST /api/verifications/password',
    'POST /api/my-account/identities',
  ],
} as const;

type AndroidStep = keyof typeof needs;
const androidSteps: AndroidStep[] = ['signIn', 'refresh', 'link'];

/** Why a step cannot run here, per step; absent when it can. */
export type AndroidSupport = Partial<Record<AndroidStep, string>>;

export const androidSupport = ({
  logtoHome,
  build,
}: {
  logtoHome: string;
  build: Pick<LogtoBuild, 'name'>;
}): AndroidSupport => {
  const routes = documentedRoutes(logtoHome);
  const support: AndroidSupport = {};
  for (const step of androidSteps) {
    const missing = needs[step].filter((route) => !routes.has(route));
    if (missing.length > 0) {
      support[step] =
        `Logto ${build.name}'s core has no ${missing.join(', ')} (none in its build's route documents, ${routesFolder}/**/*.openapi.json)`;
    }
  }
  return support;
};
