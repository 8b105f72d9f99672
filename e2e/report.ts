/**
 * The run's steps: each is timed and ends passed, failed (with why) or skipped: because a step it
 * needs failed, or because this Logto lacks what it tries (`notInThisLogto`, the only skip a passing
 * run may have). The table is printed and written to the run's folder as report.md and report.json.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { isStopping } from './cleanup.js';

export type StepStatus = 'pass' | 'fail' | 'skip';
export type StepResult = {
  name: string;
  status: StepStatus;
  ms: number;
  detail: string;
  /** Skipped because this Logto does not have the feature (an older release). */
  notInThisLogto?: boolean;
};

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
const cell = (text: string) => oneLine(text).replaceAll('|', '\\|');

export const createReport = () => {
  const results: StepResult[] = [];

  return {
    results,
    /**
     * Runs a step; `detail` is shown in the table. Resolves to undefined when it threw. An action
     * may also end `failed` with a value, when later steps can still run (a diagnostics run).
     */
    step: async <T>(
      name: string,
      action: () => Promise<{ detail: string; value: T; failed?: boolean }>,
    ): Promise<T | undefined> => {
      if (isStopping()) {
        results.push({ name, status: 'skip', ms: 0, detail: 'interrupted' });
        return undefined;
      }
      const started = performance.now();
      console.log(`… ${name}`);
      try {
        const { detail, value, failed = false } = await action();
        const ms = Math.round(performance.now() - started);
        results.push({ name, status: failed ? 'fail' : 'pass', ms, detail });
        console.log(
          `${failed ? '✘' : '✔'} ${name} (${(ms / 1000).toFixed(1)} s): ${oneLine(detail)}`,
        );
        return value;
      } catch (error: unknown) {
        const ms = Math.round(performance.now() - started);
        const detail = error instanceof Error ? error.message : String(error);
        results.push({ name, status: 'fail', ms, detail });
        console.log(`✘ ${name} (${(ms / 1000).toFixed(1)} s): ${oneLine(detail)}`);
        return undefined;
      }
    },
    /** A failure outside any step (the run itself broke). */
    fail: (name: string, detail: string) => {
      results.push({ name, status: 'fail', ms: 0, detail });
      console.log(`✘ ${name}: ${oneLine(detail)}`);
    },
    skip: (name: string, reason: string, { notInThisLogto = false } = {}) => {
      results.push({
        name,
        status: 'skip',
        ms: 0,
        detail: reason,
        ...(notInThisLogto && { notInThisLogto }),
      });
      console.log(`- ${name}: skipped (${reason})`);
    },
    allPassed: () =>
      results.some(({ status }) => status === 'pass') &&
      results.every(
        ({ status, notInThisLogto }) => status === 'pass' || (status === 'skip' && notInThisLogto),
      ),
  };
};
export type Report = ReturnType<typeof createReport>;

const mark: Record<StepStatus, string> = { pass: '✅ pass', fail: '❌ FAIL', skip: '⏭ skipped' };

export const renderTable = (results: StepResult[]): string =>
  [
    '| # | step | result | time | detail |',
    '| --- | --- | --- | ---: | --- |',
    ...results.map(
      ({ name, status, ms, detail }, index) =>
        `| ${index + 1} | ${cell(name)} | ${mark[status]} | ${(ms / 1000).toFixed(1)} s | ${cell(detail)} |`,
    ),
  ].join('\n');

export const writeReport = (
  folder: string,
  results: StepResult[],
  header: Record<string, string>,
): string => {
  const total = results.reduce((sum, { ms }) => sum + ms, 0);
  const count = (status: StepStatus) => results.filter((result) => result.status === status).length;
  const notInThisLogto = results.filter((result) => result.notInThisLogto).length;
  const summary = [
    `${count('pass')}/${results.length} passed`,
    ...(notInThisLogto ? [`${notInThisLogto} skipped (not in this Logto)`] : []),
    ...(count('skip') > notInThisLogto
      ? [`${count('skip') - notInThisLogto} skipped (blocked)`]
      : []),
    ...(count('fail') ? [`${count('fail')} failed`] : []),
  ].join(', ');
  const lines = [
    '# npm run e2e:logto',
    '',
    ...Object.entries(header).map(([key, value]) => `- ${key}: ${value}`),
    `- steps: ${summary}, ${(total / 1000).toFixed(1)} s`,
    '',
    renderTable(results),
    '',
  ];
  const markdown = lines.join('\n');
  writeFileSync(path.join(folder, 'report.md'), markdown);
  writeFileSync(path.join(folder, 'report.json'), JSON.stringify({ header, results }, null, 2));
  return markdown;
};
