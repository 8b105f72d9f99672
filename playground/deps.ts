/** What the playground's routes share: the loaded connector and where things are. */
import type { XiaomiSimulator } from '../simulator/index.js';
import type { XiaomiCall } from '../src/index.js';
import type { LogtoConnector } from '../test/support/logto-host/social-library.js';

import type { LoadedConnector } from './connector.js';
import type { HeaderInput, PlaygroundSettings } from './pages/types.js';
import type { SessionApps } from './session.js';

export type PlaygroundDeps = {
  connector: LoadedConnector;
  header: HeaderInput;
  /** The connector id Logto would give this connector: the last part of the callback path. */
  connectorId: string;
  defaultTimeoutMs: number;
  /** The origin the browser sees on the callback (Logto's `window.location.origin`). */
  origin: () => string;
  /** Where Xiaomi sends the browser back: `${origin}/callback/${connectorId}`. */
  callbackUrl: () => string;
  /** The simulated Xiaomi, in simulator mode. */
  simulator: () => XiaomiSimulator | undefined;
  /** The settings a browser session starts with (its own simulated apps' App IDs, if it has them). */
  startSettings: (apps?: SessionApps) => PlaygroundSettings;
};

/**
 * The connector as Logto core holds it: built through Logto's loader with the session's settings
 * as the stored config, and the Console's token storage switch.
 */
export const buildConnector = async (
  deps: PlaygroundDeps,
  settings: PlaygroundSettings,
  calls: XiaomiCall[],
): Promise<LogtoConnector> => {
  const base = deps.simulator()?.baseUrl;
  const connector = await deps.connector.build(
    {
      ...(base ? { accountBaseUrl: base, openApiBaseUrl: base } : {}),
      timeoutMs: settings.timeoutMs,
      onCall: (call) => {
        calls.push(call);
      },
    },
    // What Logto's Console would store for this connector.
    async () => ({
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      scope: settings.scope,
      skipConfirm: settings.skipConfirm,
      skipWarmUp: settings.skipWarmUp,
      redirectUri: settings.redirectUri,
      mobileClientIds: settings.mobileClientIds,
      mobileClientSecrets: settings.mobileClientSecrets,
    }),
  );
  return { id: deps.connectorId, connector, enableTokenStorage: settings.tokenStorage };
};
