/**
 * The READMEs are what an admin reads inside Logto's Console: `metadata.readme` is rendered in the
 * "Check README" drawer and the connector creation guide (packages/console/src/components/Markdown,
 * react-markdown with remark-gfm). A link there resolves against the Console's own URL, and every
 * image `src` is prefixed with Logto's GitHub raw URL (components/GithubRawImage), so only absolute
 * links work and no image does. The README is read from the packed package, as Logto reads it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { parseMetadata } from '@logto/cli/lib/connector/utils.js';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { defaultMetadata } from '../src/constant.js';

const root = path.resolve(import.meta.dirname, '..');

/** The Markdown tree as the Console's renderer sees it. */
type Node = {
  type: string;
  url?: string;
  value?: string;
  depth?: number;
  children?: Node[];
};

const parse = (markdown: string): Node => unified().use(remarkParse).use(remarkGfm).parse(markdown);

const walk = (node: Node): Node[] => [node, ...(node.children ?? []).flatMap(walk)];

const textOf = (node: Node): string =>
  node.value ?? (node.children ?? []).map((child) => textOf(child)).join('');

/** A target that means the same wherever the page is rendered. */
const isAbsolute = (target: string) => {
  try {
    return ['https:', 'http:', 'mailto:'].includes(new URL(target).protocol);
  } catch {
    return false;
  }
};

/** Every place a README points somewhere: Markdown links, link definitions, images, raw HTML. */
const targetsOf = (markdown: string) =>
  walk(parse(markdown)).flatMap((node) => {
    if (node.type === 'link' || node.type === 'definition') {
      return [{ kind: node.type, target: node.url ?? '' }];
    }
    if (node.type === 'image' || node.type === 'imageReference') {
      return [{ kind: 'image', target: node.url ?? '' }];
    }
    if (node.type === 'html') {
      return [...(node.value ?? '').matchAll(/\b(href|src)\s*=\s*["']?([^"'\s>]*)/gi)].map(
        (match) => ({ kind: `html ${match[1] ?? ''}`, target: match[2] ?? '' }),
      );
    }
    return [];
  });

/** Targets that would not work inside the Console. */
const brokenInConsole = (markdown: string) =>
  targetsOf(markdown).filter(({ kind, target }) => kind === 'image' || !isAbsolute(target));

const sectionsOf = (markdown: string) =>
  walk(parse(markdown))
    .filter((node) => node.type === 'heading' && node.depth === 2)
    .map((node) => textOf(node));

/**
 * Each language's level-2 sections by who reads them. An admin opens README.md in the Console's
 * drawer to set the connector up, so `setUp` comes first and in this order (what to register at
 * Xiaomi, each field, then the troubleshooting table); `reference` follows in any order; what
 * serves only someone choosing or installing the package comes after all of it.
 */
const sections = {
  'README.md': {
    setUp: ['Set up the Xiaomi app', 'Configuration', 'Troubleshooting'],
    reference: [
      'The callback URIs Logto uses',
      'Scopes',
      'Token storage',
      'Sign in from an Android app',
      'Where the callback is checked',
      'Timeouts',
      'The connection warm-up',
    ],
    choosing: [
      'Install into Logto',
      'Supported Logto releases',
      'What it adds over the official connector',
      'Versions and breaking changes',
      'Tested in a real Logto',
      'For developers',
      'License',
    ],
  },
  'README.zh-CN.md': {
    setUp: ['创建小米应用', '配置项', '故障排查'],
    reference: [
      'Logto 使用的回调 URI',
      '权限范围',
      '令牌存储',
      '从 Android 应用登录',
      '回调在哪里校验',
      '超时',
      '连接预热',
    ],
    choosing: [
      '安装到 Logto',
      '支持的 Logto 版本',
      '相比官方连接器的改进',
      '版本与不兼容变更',
      '在真实 Logto 中测试',
      '开发者',
      '许可证',
    ],
  },
};

/** What may stand above the set-up in the drawer's first screen: the title and a short intro. */
const maxIntroCharacters = 600;

/** How a fresh clone is set up: the README's developer pointer keeps both commands. */
const setUpCommands = ['npm install && npm start', 'npm ci && npm test'];

describe('link checks', () => {
  it.each([
    ['a relative link', '[简体中文](./README.zh-CN.md)'],
    ['an in-page anchor', 'see [Scopes](#scopes)'],
    ['a root-relative link', '[x](/docs)'],
    ['a relative link definition', '[x][d]\n\n[d]: docs/a.md'],
    ['an image, even an absolute one', '![logo](https://example.com/logo.svg)'],
    ['a relative HTML href', '<a href="DEVELOPING.md">x</a>'],
    ['a relative HTML src', '<img src="./logo.svg">'],
  ])('catch %s', (_name, markdown) => {
    expect(brokenInConsole(markdown)).not.toEqual([]);
  });

  it.each([
    ['an absolute link', '[MPL-2.0](https://www.mozilla.org/MPL/2.0/)'],
    ['an autolink literal', 'https://dev.mi.com/'],
    ['a path in code', '`./README.zh-CN.md` and `#configuration`'],
  ])('accept %s', (_name, markdown) => {
    expect(brokenInConsole(markdown)).toEqual([]);
  });
});

describe.each(['README.md', 'README.zh-CN.md'] as const)('%s in the source tree', (file) => {
  const markdown = readFileSync(path.join(root, file), 'utf8');

  it('has no link or image that depends on where it is rendered', () => {
    expect(brokenInConsole(markdown)).toEqual([]);
  });

  it('keeps the two set-up commands in its developer pointer', () => {
    for (const command of setUpCommands) {
      expect(markdown).toContain(command);
    }
    for (const developing of ['DEVELOPING.md', 'DEVELOPING.zh-CN.md']) {
      expect(markdown).toContain(developing);
      expect(existsSync(path.join(root, developing))).toBe(true);
    }
  });
});

describe('the READMEs the package ships', () => {
  let packageDir = '';
  let host = '';

  beforeAll(() => {
    host = mkdtempSync(path.join(tmpdir(), 'readme-pack-'));
    const packOutput = execFileSync(
      'npm',
      ['pack', '--json', '--ignore-scripts', '--pack-destination', host, '--loglevel', 'error'],
      { cwd: root, encoding: 'utf8' },
    );
    const [packed] = z.array(z.object({ filename: z.string() })).parse(JSON.parse(packOutput));
    packageDir = path.join(host, 'package');
    execFileSync('tar', ['-xzf', path.join(host, packed?.filename ?? ''), '-C', host]);
  }, 60_000);

  afterAll(() => {
    rmSync(host, { recursive: true, force: true });
  });

  it('lets Logto read README.md through metadata.readme', async () => {
    // Logto's loader replaces `readme` with the file's text, or leaves the path if there is none.
    const { readme } = await parseMetadata(defaultMetadata, packageDir);
    expect(readme).not.toBe(defaultMetadata.readme);
    expect(readme).toBe(readFileSync(path.join(packageDir, 'README.md'), 'utf8'));
  });

  it.each(Object.entries(sections))(
    '%s opens with the set-up, then the reference, then what serves choosing or installing',
    async (file, { setUp, reference, choosing }) => {
      const markdown =
        file === 'README.md'
          ? (await parseMetadata(defaultMetadata, packageDir)).readme
          : readFileSync(path.join(packageDir, file), 'utf8');
      const headings = sectionsOf(markdown);
      expect(headings.slice(0, setUp.length)).toEqual(setUp);
      const firstChoosing = headings.indexOf(choosing[0] ?? '');
      expect(headings.slice(firstChoosing)).toEqual(choosing);
      expect(headings.slice(setUp.length, firstChoosing)).toEqual(
        expect.arrayContaining(reference),
      );
      const intro = markdown.slice(0, markdown.indexOf(`\n## ${setUp[0] ?? ''}`));
      expect(intro.length).toBeLessThan(maxIntroCharacters);
    },
  );
});
