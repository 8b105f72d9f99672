/**
 * The ESLint rule that keeps src/ the connector alone (eslint.config.js): a file under src/ that
 * imports from outside src/ fails the lint, with the reason; imports inside src/ and of packages
 * pass, and files outside src/ may import from it.
 */
import path from 'node:path';

import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: root });

/** The messages of the rule for a snippet linted as if it were the given file. */
const restrictedImports = async (file: string, code: string) => {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? [])
    .filter(({ ruleId }) => ruleId === 'no-restricted-imports')
    .map(({ message }) => message);
};

describe('imports from src/ to outside src/', () => {
  it.each([
    ['src/index.ts', "import { startPlayground } from '../playground/server.js';\n"],
    [
      'src/mock.ts',
      "import { createInteraction } from '../test/support/logto-host/interaction.js';\n",
    ],
    ['src/index.test.ts', "import type { XiaomiSimulator } from '../simulator/index.js';\n"],
    ['src/errors.ts', "export { page } from '../simulator/web/html.js';\n"],
  ])('fail in %s: %s', async (file, code) => {
    const messages = await restrictedImports(file, code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('src/ imports only from src/ and packages');
  });

  it.each([
    ['src/index.ts', "import { mockConfig } from './mock.js';\n"],
    ['src/index.test.ts', "import nock from 'nock';\n"],
    ['test/host-replay.test.ts', "import { mockConfig } from '../src/mock.js';\n"],
    ['playground/deps.ts', "import type { XiaomiCall } from '../src/index.js';\n"],
  ])('pass in %s: %s', async (file, code) => {
    expect(await restrictedImports(file, code)).toEqual([]);
  });
});
