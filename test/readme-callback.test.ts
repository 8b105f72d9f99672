/**
 * The Callback URL value the README tells admins to register at Xiaomi (step 5), as
 * `npm run e2e:logto` reads it (e2e/readme-callback.ts): one value, the same in both languages,
 * that covers both callback URIs Logto uses under Xiaomi's matching rule.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { readmeCallbackValue, readmeExampleOrigin, setUpSections } from '../e2e/readme-callback.js';
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
  const steps = (five: string) =>
    [
      section,
      '',
      '4. Add the connector.',
      `5. Set the Callback URL:\n\n${five}\n`,
      '6. Next.',
    ].join('\n');

  it('reads the one line of step 5', () => {
    expect(readmeCallbackValue(steps(fence(`${readmeExampleOrigin}/callback`)))).toBe(
      `${readmeExampleOrigin}/callback`,
    );
  });

  it.each([
    ['no set-up section', '## Configuration\n\n5. x', 'no section "Set up the Xiaomi app"'],
    ['no step 5', `${section}\n\n1. Sign in.`, 'no step 5'],
    ['no text block in step 5', steps('   Use your callback.'), 'no ```text block'],
    [
      'a block in step 6 only',
      `${steps('   x')}\n\n${fence(readmeExampleOrigin)}`,
      'no ```text block',
    ],
    [
      'a value without the example origin',
      steps(fence('https://other.example/callback')),
      'https://other.example/callback',
    ],
  ])('fails with a clear message on %s', (_case, markdown, message) => {
    expect(() => readmeCallbackValue(markdown)).toThrow(message);
  });
});
