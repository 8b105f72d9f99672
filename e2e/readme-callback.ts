/**
 * The Callback URL value README.md tells admins to register at Xiaomi ("Set up the Xiaomi app",
 * step 5, its ```text block), with the run's Logto origin in place of the README's example one.
 * The simulated Xiaomi app registers exactly that, so a README that leaves a path out fails the
 * journeys that need it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The origin the README's value is written for. */
export const readmeExampleOrigin = 'https://auth.example.com';

/** The section of step 5 in each README. */
export const setUpSections = {
  'README.md': '## Set up the Xiaomi app',
  'README.zh-CN.md': '## 创建小米应用',
} as const;

/** Step 5's ```text block under the set-up section; throws, naming what is missing, if absent. */
export const readmeCallbackValue = (
  readme: string,
  section: string = setUpSections['README.md'],
): string => {
  const lines = readme.split('\n');
  const start = lines.findIndex((line) => line.trim() === section);
  if (start === -1) {
    throw new Error(`no section "${section.slice(3)}"`);
  }
  const end = lines.findIndex((line, index) => index > start && /^#{1,2} /.test(line));
  const body = lines.slice(start + 1, end === -1 ? undefined : end);
  const step = body.findIndex((line) => /^5\.\s/.test(line));
  const next = body.findIndex((line, index) => index > step && /^\d+\.\s/.test(line));
  const stepLines = step === -1 ? [] : body.slice(step, next === -1 ? undefined : next);
  const open = stepLines.findIndex((line) => line.trim() === '```text');
  const close = stepLines.findIndex((line, index) => index > open && line.trim() === '```');
  const value = (open === -1 || close === -1 ? [] : stepLines.slice(open + 1, close))
    .map((line) => line.trim())
    .filter(Boolean);
  if (value.length !== 1 || !value[0]?.includes(readmeExampleOrigin)) {
    throw new Error(
      `"${section.slice(3)}", step 5: expected one line in a \`\`\`text block with ${readmeExampleOrigin} in it, found ${
        step === -1 ? 'no step 5' : value.length === 0 ? 'no ```text block' : JSON.stringify(value)
      }`,
    );
  }
  return value[0];
};

/** The value for this run's Logto: every occurrence of the example origin replaced. */
export const callbackValueFor = (packageRoot: string, logtoOrigin: string): string => {
  const readme = readFileSync(path.join(packageRoot, 'README.md'), 'utf8');
  try {
    return readmeCallbackValue(readme).replaceAll(readmeExampleOrigin, logtoOrigin);
  } catch (error: unknown) {
    throw new Error(
      `README.md gives no Callback URL value to register: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
};
