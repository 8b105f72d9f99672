/**
 * `npm run check:publint`: publint on the package as npm packs it. publint's own exit code ignores
 * suggestions; here any message, a suggestion included, fails the check, so the package stays clean.
 */
import path from 'node:path';

import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const root = path.resolve(import.meta.dirname, '..');
const { messages, pkg } = await publint({ pkgDir: root, pack: 'npm', strict: true });

for (const message of messages) {
  console.error(
    `${message.type}: ${formatMessage(message, pkg, { color: false }) ?? message.code}`,
  );
}
console.log(
  messages.length === 0
    ? 'publint: no suggestions, warnings or errors'
    : `publint: ${messages.length} messages`,
);
process.exitCode = messages.length === 0 ? 0 : 1;
