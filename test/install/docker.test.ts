/**
 * The README's Docker install, applied as written: its build-folder commands run in an empty
 * folder holding the tarball, then its Dockerfile's RUN and COPY lines applied to a folder laid
 * out like /etc/logto in the image it starts FROM (the official Xiaomi connector linked in, as
 * Logto's image has it), then every connector there loaded with Logto's loader.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { readPackageJson, root, usePackedPackage } from '../support/logto-loader.js';

import { applyDockerfile, baseImage, imageProblem, parseDockerfile } from './dockerfile.js';
import {
  expectThisXiaomiConnectorOnly,
  makeLogtoInstall,
  xiaomiFactories,
} from './logto-install.js';
import { installCommands, readmeFiles, releasesRunOn } from './readme-install.js';

const { name = '' } = readPackageJson(root);
const { dockerContext, dockerfile } = installCommands('README.md');
const instructions = parseDockerfile(dockerfile);
/**
 * The images whose /etc/logto this test can lay out: Logto 1.41.0 and 1.42.0 both ship the official
 * 1.2.5, linked in by their Dockerfile's `pnpm cli connector link`.
 */
const etcLogtoOf: Record<string, (dir: string) => ReturnType<typeof makeLogtoInstall>> = {
  'svhd/logto:1.41.0': (dir) => makeLogtoInstall(dir, 'image'),
  'svhd/logto:1.42.0': (dir) => makeLogtoInstall(dir, 'image'),
};

/** The Docker build folder: the tarball, and what the README unpacks beside it. */
const packed = usePackedPackage('logto-docker-', 'build');

beforeAll(() => {
  execFileSync('bash', ['-euo', 'pipefail', '-c', dockerContext], { cwd: packed.packDir });
});

let images = 0;
const etcLogto = () => {
  const image = baseImage(instructions);
  const layOut = etcLogtoOf[image];
  if (!layOut) {
    throw new Error(`no /etc/logto of ${image} in this test: add its layout to etcLogtoOf`);
  }
  images += 1;
  return layOut(path.join(packed.workDir, `etc-logto-${images}`));
};

describe('the image the README’s Dockerfile starts from', () => {
  it.each([
    ['svhd/logto:latest', 'a different Logto every month'],
    ['svhd/logto', "not Logto's image with a tag"],
    ['svhd/logto:1.40.0', 'not a release the README says the package ran on'],
    ['node:22-alpine', "not Logto's image with a tag"],
  ])('would be refused as %s', (image, problem) => {
    expect(imageProblem(image, ['1.37.1', '1.41.0'])).toContain(problem);
  });

  it('is a Logto release the README says the package ran on', () => {
    expect(releasesRunOn().length).toBeGreaterThan(0);
    expect(imageProblem(baseImage(instructions), releasesRunOn())).toBeUndefined();
  });

  it.each(readmeFiles)('is the only Logto image %s names', (file) => {
    const text = readFileSync(path.join(root, file), 'utf8');
    const named = new Set(text.match(/svhd\/logto:(?:latest|\d[\w.-]*)/g));
    expect([...named]).toEqual([baseImage(instructions)]);
    expect(installCommands(file).dockerfile).toBe(dockerfile);
  });
});

describe('the README’s Dockerfile, applied to the image’s /etc/logto', () => {
  it('leaves Logto one Xiaomi connector, this package, and a user signs in through it', async () => {
    const { home, connectors } = etcLogto();
    applyDockerfile(instructions, { context: packed.packDir, etcLogto: home });

    await expectThisXiaomiConnectorOnly(connectors);
  });

  it('without its RUN line, would leave Logto two Xiaomi connectors (what core refuses)', async () => {
    const { home, connectors } = etcLogto();
    applyDockerfile(
      instructions.filter(({ keyword }) => keyword !== 'RUN'),
      { context: packed.packDir, etcLogto: home },
    );
    const { xiaomi } = await xiaomiFactories(connectors);
    expect(xiaomi.map((factory) => factory.name).sort()).toEqual(['@logto/connector-xiaomi', name]);
  });
});
