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

/** The Node 20 DEVELOPING.md's install output was taken on. */
const documentedNode20 = '20.20.2';

const lockGuard = z.object({
  packages: z.record(
    z.object({
      name: z.string().optional(),
      version: z.string().optional(),
      optional: z.boolean().optional(),
      engines: z.object({ node: z.string().optional() }).passthrough().optional(),
    }),
  ),
});

const numberWords = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight'];
const wordOf = (count: number) =>
  [...numberWords, 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen'][count] ??
  String(count);

it('DEVELOPING (en, zh-CN) counts and names the EBADENGINE warnings a Node 20 install prints', () => {
  const lock = lockGuard.parse(
    JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')),
  );
  // npm warns once per installed copy; optional packages for other Node releases are left out.
  const warned = Object.entries(lock.packages).flatMap(([where, entry]) => {
    const node = entry.engines?.node;
    return where && !entry.optional && node && !satisfies(documentedNode20, node)
      ? [
          {
            name: entry.name ?? where.replace(/^.*node_modules\//, ''),
            version: entry.version ?? '',
          },
        ]
      : [];
  });
  const packages = new Set(warned.map(({ name, version }) => `${name}@${version}`));
  const english = readFileSync(path.join(root, 'DEVELOPING.md'), 'utf8');
  const chinese = readFileSync(path.join(root, 'DEVELOPING.zh-CN.md'), 'utf8');
  expect(english).toContain(`${wordOf(warned.length)} times for ${wordOf(packages.size)} packages`);
  expect(chinese).toContain(`共 ${warned.length} 条，涉及 ${packages.size} 个包`);
  for (const { name, version } of warned) {
    for (const text of [english, chinese]) {
      expect(text).toContain(`\`${name}\``);
      if (warned.some((other) => other.name === name && other.version !== version)) {
        expect(text).toContain(version);
      }
    }
  }
});
