import type { GetConnectorConfig } from '@logto/connector-kit';

import { defaultMetadata } from './constant.js';
import { fail } from './errors.js';
import { xiaomiConfigGuard, type XiaomiConfig } from './types.js';

/**
 * The last stored config that passed, by its JSON text. Logto reads the config again for every
 * call (and builds the connector per request); the same text needs checking only once.
 */
let lastChecked: { text: string; config: XiaomiConfig } | undefined;

/** Reads and checks the stored config; a bad one fails with InvalidConfig naming each field. */
export const loadConfig = async (getConfig: GetConnectorConfig): Promise<XiaomiConfig> => {
  const stored = (await getConfig(defaultMetadata.id)) ?? {};
  const text = JSON.stringify(stored);
  if (lastChecked?.text === text) {
    return lastChecked.config;
  }
  const result = xiaomiConfigGuard.safeParse(stored);
  if (result.success) {
    lastChecked = { text, config: Object.freeze(result.data) };
    return lastChecked.config;
  }
  // Messages name the field and what it expects, never the value (it may be the secret).
  return fail({
    kind: 'invalid-config',
    problems: result.error.issues.map(({ path, message }) =>
      path.length > 0 ? `${path.join('.')} ${message}` : message,
    ),
  });
};
