/**
 * The install section of a README as an admin copies it: its code blocks, each found by what it
 * does, so the install tests run the commands the README shows and nothing else.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { z } from 'zod';

import { root } from '../support/logto-loader.js';

export const readmeFiles = ['README.md', 'README.zh-CN.md'] as const;
export type Readme = (typeof readmeFiles)[number];
/** Each README's install section heading. */
const installHeadings: Record<Readme, string> = {
  'README.md': 'Install into Logto',
  'README.zh-CN.md': '安装到 Logto',
};

/** The README's stand-in for the Logto folder, replaced by a test folder. */
export const logtoPathPlaceholder = '/path/to/logto';

const nodeGuard: z.ZodType<MarkdownNode> = z.lazy(() =>
  z.object({
    type: z.string(),
    depth: z.number().optional(),
    lang: z.string().nullish(),
    value: z.string().optional(),
    children: z.array(nodeGuard).optional(),
  }),
);
type MarkdownNode = {
  type: string;
  depth?: number;
  lang?: string | null;
  value?: string;
  children?: MarkdownNode[];
};

const textOf = (node: MarkdownNode): string =>
  node.value ?? (node.children ?? []).map((child) => textOf(child)).join('');

export type CodeBlock = { lang: string; code: string };

/** The code blocks between the install section's heading and the next level-2 heading. */
export const installCodeBlocks = (file: Readme): CodeBlock[] => {
  const tree = nodeGuard.parse(
    unified()
      .use(remarkParse)
      .parse(readFileSync(path.join(root, file), 'utf8')),
  );
  const nodes = tree.children ?? [];
  const start = nodes.findIndex(
    (node) => node.type === 'heading' && node.depth === 2 && textOf(node) === installHeadings[file],
  );
  if (start === -1) {
    throw new Error(`${file} has no "${installHeadings[file]}" section`);
  }
  const end = nodes.findIndex(
    (node, index) => index > start && node.type === 'heading' && node.depth === 2,
  );
  return nodes
    .slice(start, end === -1 ? undefined : end)
    .filter((node) => node.type === 'code')
    .map((node) => ({ lang: node.lang ?? '', code: node.value ?? '' }));
};

const theOne = (blocks: CodeBlock[], what: string, matches: (block: CodeBlock) => boolean) => {
  const found = blocks.filter(matches);
  if (found.length !== 1) {
    throw new Error(`expected one ${what} in the install section, found ${found.length}`);
  }
  return found[0]?.code ?? '';
};

const isBash = (block: CodeBlock) => block.lang === 'bash';
const runsTar = (block: CodeBlock) => /^tar /m.test(block.code);

/** Each way to install, as the README writes it. */
export const installCommands = (file: Readme) => {
  const blocks = installCodeBlocks(file);
  return {
    /** Checking a downloaded tarball against its .sha256 file. */
    checksum: theOne(
      blocks,
      'checksum block',
      (block) => isBash(block) && /sha256sum/.test(block.code),
    ),
    /** `npx @logto/cli connector …` lines. */
    cli: theOne(
      blocks,
      'CLI block',
      (block) => isBash(block) && block.code.includes('npx @logto/cli connector add'),
    ),
    /** Unpacking the tarball into the Logto folder. */
    byHand: theOne(
      blocks,
      'tarball block',
      (block) => isBash(block) && runsTar(block) && block.code.includes(logtoPathPlaceholder),
    ),
    /** Unpacking the tarball into the Docker build folder. */
    dockerContext: theOne(
      blocks,
      'Docker build folder block',
      (block) => isBash(block) && runsTar(block) && !block.code.includes(logtoPathPlaceholder),
    ),
    dockerfile: theOne(blocks, 'Dockerfile', (block) => block.lang === 'dockerfile'),
  };
};

/** The lines of a shell block that are commands: comments and blank lines left out. */
export const commandLines = (code: string) =>
  code
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));

/** The Logto releases the README says the package was run on ("Run on: Logto **1.37.1** … **1.41.0**"). */
export const releasesRunOn = () => {
  const runOn = readFileSync(path.join(root, 'README.md'), 'utf8')
    .split('\n')
    .find((line) => line.startsWith('Run on:'));
  return [...(runOn ?? '').matchAll(/\*\*(\d+\.\d+\.\d+)\*\*/g)].map((match) => match[1] ?? '');
};
