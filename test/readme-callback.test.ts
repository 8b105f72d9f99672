/**
 * The Callback URL value the README tells admins to register at Xiaomi (its set-up step), as
 * `npm run e2e:logto` reads it (e2e/readme-callback.ts): one value, the same in both languages,
 * that covers both callback URIs Logto uses under Xiaomi's matching rule.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  readmeCallbackStep,
  readmeCallbackValue,
  readmeExampleOrigin,
  setUpSections,
} from '../e2e/readme-callback.js';
import { isRegisteredRedirectUri } from '../simulator/index.js';

const root = path.resolve(import.meta.dirname, '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

describe("the README's Callback URL value", () => {
  const value = readmeCallbackValue(read('README.md'));

  it('is the same in both languages', () => {
    expect(readmeCallbackValue(read('README.zh-CN.md'), setUpSections['README.zh-CN.md'])).toBe(
      value,
    );
  });

  // Logto's sign-in page (/callback/:id) and the Account Center (Logto 1.38+).
  it.each([
    ['the sign-in page', '/callback/xiaomi'],
    ['the sign-in page, another connector id', '/callback/k7wq2pxr9m1z'],
    ['the Account Center', '/account/callback/social/xiaomi'],
  ])("covers %s's callback under Xiaomi's rule", (_flow, callbackPath) => {
    expect(isRegisteredRedirectUri(`${readmeExampleOrigin}${callbackPath}`, [value])).toBe(true);
  });

  it.each([
    ['another origin', 'https://evil.example.net/callback/xiaomi'],
    ['a path beside the registered ones', `${readmeExampleOrigin}/account/security`],
  ])('does not cover %s', (_case, uri) => {
    expect(isRegisteredRedirectUri(uri, [value])).toBe(false);
  });
});

describe('reading it', () => {
  const section = '## Set up the Xiaomi app';
  const fence = (line: string) => ['   ```text', `   ${line}`, '   ```'].join('\n');
  const steps = (two: string, after = '') =>
    [
      section,
      '',
      '1. Create the app.',
      `2. Set the Callback URL:\n\n${two}\n`,
      '3. Next.',
      after,
    ].join('\n');

  it('reads the one line of the step that holds the block, and names the step', () => {
    expect(readmeCallbackStep(steps(fence(`${readmeExampleOrigin}/callback`)))).toEqual({
      step: 2,
      value: `${readmeExampleOrigin}/callback`,
    });
  });

  it.each([
    ['no set-up section', '## Configuration\n\n2. x', 'no section "Set up the Xiaomi app"'],
    ['no text block', steps('   Use your callback.'), 'no ```text block'],
    ['two text blocks', steps(fence(readmeExampleOrigin), fence(readmeExampleOrigin)), 'found 2'],
    [
      'a block before any step',
      `${section}\n\n${fence(readmeExampleOrigin)}`,
      'not in a numbered step',
    ],
    [
      'a value without the example origin',
      steps(fence('https://other.example/callback')),
      'https://other.example/callback',
    ],
    [
      'a block in the next section only',
      `${steps('   x')}\n## Next\n\n${fence(readmeExampleOrigin)}`,
      'no ```text block',
    ],
  ])('fails with a clear message on %s', (_case, markdown, message) => {
    expect(() => readmeCallbackValue(markdown)).toThrow(message);
  });
});
