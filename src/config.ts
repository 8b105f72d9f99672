import type { GetConnectorConfig } from '@logto/connector-kit';

import { defaultMetadata } from './constant.js';
import { fail } from './errors.js';
import { mobileAppsOf, type AppsConfig } from './mobile-apps.js';
import { xiaomiConfigGuard, type XiaomiConfig } from './types.js';

/** The config as the connector uses it: checked, and the mobile apps parsed once. */
export type LoadedConfig = XiaomiConfig & AppsConfig;

/** Reads and checks the stored config; a bad one fails with InvalidConfig naming each field. */
export const loadConfig = async (getConfig: GetConnectorConfig): Promise<LoadedConfig> => {
  const result = xiaomiConfigGuard.safeParse((await getConfig(defaultMetadata.id)) ?? {});
  // Messages name the field and what it expects, never the value (it may be the secret).
  return result.success
    ? { ...result.data, mobileApps: mobileAppsOf(result.data) }
    : fail({
        kind: 'invalid-config',
        problems: result.error.issues.map(({ path, message }) =>
          path.length > 0 ? `${path.join('.')} ${message}` : message,
        ),
      });
};
