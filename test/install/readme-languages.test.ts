/**
 * Both READMEs offer the same install: the commands, the Dockerfile and the compose snippet are
 * the same in English and Chinese (comment lines aside), and the tarball they name is the one
 * `npm pack` writes for this version.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { readPackageJson, root } from '../support/logto-loader.js';

import { installCodeBlocks, readmeFiles } from './readme-install.js';

const { name = '', version } = readPackageJson(root);

/** A block without its comment lines: what a reader in either language runs. */
const withoutComments = ({ lang, code }: { lang: string; code: string }) => ({
  lang,
  code: code
    .split('\n')
    .filter((line) => !line.trim().startsWith('#'))
    .join('\n'),
});

describe('the install sections', () => {
  it('show the same commands in README.zh-CN.md as in README.md', () => {
    const english = installCodeBlocks('README.md').map(withoutComments);
    expect(english.map(({ lang }) => lang)).toEqual(
      expect.arrayContaining(['bash', 'dockerfile', 'yaml']),
    );
    expect(installCodeBlocks('README.zh-CN.md').map(withoutComments)).toEqual(english);
  });

  it.each(readmeFiles)('of %s name the tarball npm pack writes for this version', (file) => {
    const text = readFileSync(path.join(root, file), 'utf8');
    const named = new Set(text.match(/connector-xiaomi-\d+\.\d+\.\d+[\w.-]*?\.tgz/g));
    expect([...named]).toEqual([`${name}-${version}.tgz`]);
  });
});
