/**
 * The link to the simulated Xiaomi, run in the simulator's process so that the far side of the
 * link is one process, as a remote server is: TLS in front of the simulator, and for each client
 * a delaying relay to each of the two hosts (its connections cold or warm apart from the other
 * clients'), plus one to an echo server for measuring the round trip.
 */
import { readFileSync } from 'node:fs';

import { accountHost, openApiHost } from './certificates.js';
import { startDelayRelay, type DelayRelay } from './delay-relay.js';
import { startEchoRelay } from './ping.js';
import { startTlsFront } from './tls-front.js';

export type LinkOrigins = { accountBaseUrl: string; openApiBaseUrl: string };

export type Link = {
  /** Per client: its account host and open-API host, as https origins. */
  origins: LinkOrigins[];
  /** Where a ping goes: through a relay like the others, to an echo server. */
  echo: { host: string; port: number };
  setRttMs: (rttMs: number) => void;
  close: () => Promise<void>;
};

export const startLink = async ({
  keyPath,
  certPath,
  simulatorUrl,
  clients,
}: {
  keyPath: string;
  certPath: string;
  simulatorUrl: string;
  clients: number;
}): Promise<Link> => {
  const front = await startTlsFront({
    key: readFileSync(keyPath),
    cert: readFileSync(certPath),
    simulatorUrl,
  });
  const target = { host: '127.0.0.1', port: front.port };
  const relays: DelayRelay[] = [];
  const origins: LinkOrigins[] = [];
  for (let client = 0; client < clients; client++) {
    const account = await startDelayRelay({ host: accountHost, target, rttMs: 0 });
    const openApi = await startDelayRelay({ host: openApiHost, target, rttMs: 0 });
    relays.push(account, openApi);
    origins.push({
      accountBaseUrl: `https://${accountHost}:${account.port}`,
      openApiBaseUrl: `https://${openApiHost}:${openApi.port}`,
    });
  }
  const echo = await startEchoRelay();
  relays.push(echo.relay);
  return {
    origins,
    echo: { host: echo.relay.host, port: echo.relay.port },
    setRttMs: (rttMs) => {
      for (const relay of relays) {
        relay.setRttMs(rttMs);
      }
    },
    close: async () => {
      await Promise.all(relays.map(async (relay) => relay.close()));
      await echo.close();
      await front.close();
    },
  };
};
