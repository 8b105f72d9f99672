/**
 * The Callback URL value README.md tells admins to register at Xiaomi ("Set up the Xiaomi app",
 * the step with its ```text block), with the run's Logto origin in place of the README's example
 * one. The simulated Xiaomi app registers exactly that, so a README that leaves a path out fails
 * the journeys that need it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The origin the README's value is written for. */
export const readmeExampleOrigin = 'https://auth.example.com';

/** The set-up section in each README. */
export const setUpSections = {
  'README.md': '## Set up the Xiaomi app',
  'README.zh-CN.md': '## 创建小米应用',
} as const;

/** The numbered step whose ```text block gives the value, and that one line. */
export type ReadmeCallbackValue = { step: number; value: string };

/** The one ```text block of the set-up section, inside a numbered step; throws, naming what is wrong. */
export const readmeCallbackStep = (
  readme: string,
  section: string = setUpSections['README.md'],
): ReadmeCallbackValue => {
  const lines = readme.split('\n');
  const start = lines.findIndex((line) => line.trim() === section);
  if (start === -1) {
    throw new Error(`no section "${section.slice(3)}"`);
  }
  const end = lines.findIndex((line, index) => index > start && /^#{1,2} /.test(line));
  const body = lines.slice(start + 1, end === -1 ? undefined : end);
  const opens = body.flatMap((line, index) => (line.trim() === '```text' ? [index] : []));
  const where = `"${section.slice(3)}"`;
  if (opens.length !== 1) {
    throw new Error(
      `${where}: expected one \`\`\`text block, found ${opens.length === 0 ? 'no ```text block' : `${opens.length}`}`,
    );
  }
  const open = opens[0] ?? 0;
  const close = body.findIndex((line, index) => index > open && line.trim() === '```');
  const stepLine = body
    .slice(0, open)
    .map((line) => /^(\d+)\.\s/.exec(line)?.[1])
    .findLast((number) => number !== undefined);
  const value = body
    .slice(open + 1, close === -1 ? open + 1 : close)
    .map((line) => line.trim())
    .filter(Boolean);
  if (stepLine === undefined) {
    throw new Error(`${where}: the \`\`\`text block is not in a numbered step`);
  }
  if (value.length !== 1 || !value[0]?.includes(readmeExampleOrigin)) {
    throw new Error(
      `${where}, step ${stepLine}: expected one line with ${readmeExampleOrigin} in the \`\`\`text block, found ${JSON.stringify(value)}`,
    );
  }
  return { step: Number(stepLine), value: value[0] };
};

/** The value alone. */
export const readmeCallbackValue = (readme: string, section?: string): string =>
  readmeCallbackStep(readme, section).value;

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
