/**
 * `engines` in package.json says which Node the package runs on; the tests run on Node 20 (`npm
 * test`) and again on Node 22 (.ci/run, the CI workflow's matrix). Each run checks that its own Node
 * is one `engines` admits, so the field stays true for both.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { satisfies } from 'semver';
import { expect, it } from 'vitest';
import { z } from 'zod';

import { root } from './support/logto-loader.js';

it('admits the Node these tests run on', () => {
  const { engines } = z
    .object({ engines: z.object({ node: z.string() }) })
    .parse(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')));
  expect(satisfies(process.versions.node, engines.node)).toBe(true);
});
