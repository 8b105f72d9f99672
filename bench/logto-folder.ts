/**
 * Both connectors as they sit in a Logto: in packages/core/connectors without node_modules of their
 * own, importing what core's node_modules has. Every Logto release from 1.20 to 1.42 locks ky at
 * 1.2.3 (pnpm-lock.yaml), so that is the ky they run on here, as in Logto.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Core's node_modules, played by this repository's packages (Logto 1.41.0 ships kit 5.1.0). */
const coreModules: Record<string, string> = {
  '@logto/connector-kit': 'connector-kit-5-latest',
  ky: 'ky-1.2.3',
  zod: 'zod',
  'snakecase-keys': 'snakecase-keys',
  '@silverhand/essentials': '@silverhand/essentials',
};

/** What Logto's loader reads of a connector package. */
const packageFiles = ['package.json', 'lib', 'logo.svg', 'README.md'];

/** A fresh Logto-like folder: `install` copies a package into its connectors, `remove` deletes it. */
export const createLogtoFolder = () => {
  const home = mkdtempSync(join(tmpdir(), 'xiaomi-bench-logto-'));
  for (const [name, folder] of Object.entries(coreModules)) {
    const link = join(home, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(join(root, 'node_modules', folder), link, 'dir');
  }
  return {
    install: (name: string, packageDir: string): string => {
      const target = join(home, 'packages', 'core', 'connectors', name);
      for (const file of packageFiles) {
        cpSync(join(packageDir, file), join(target, file), { recursive: true });
      }
      return target;
    },
    remove: () => {
      rmSync(home, { recursive: true, force: true });
    },
  };
};
