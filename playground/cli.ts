/** `npm start`: the playground on PORT/HOST, against the simulated Xiaomi or, with credentials, the real one. */
import { startPlayground, type RealXiaomiOptions } from './server.js';

const realOptionsFromEnv = (): RealXiaomiOptions | undefined => {
  const clientId = process.env.XIAOMI_CLIENT_ID ?? '';
  const clientSecret = process.env.XIAOMI_CLIENT_SECRET ?? '';
  const redirectUri = process.env.PLAYGROUND_REDIRECT_URI ?? '';
  const given = [clientId, clientSecret, redirectUri].filter(Boolean).length;
  if (given === 0) {
    return undefined;
  }
  if (given < 3) {
    throw new Error(
      'Real mode needs all of XIAOMI_CLIENT_ID, XIAOMI_CLIENT_SECRET and PLAYGROUND_REDIRECT_URI.',
    );
  }
  if (!URL.canParse(redirectUri)) {
    throw new Error('PLAYGROUND_REDIRECT_URI must be an absolute URL.');
  }
  return { clientId, clientSecret, redirectUri };
};

const portFromEnv = (name: string, fallback: number): number => {
  const value = process.env[name] ? Number(process.env[name]) : fallback;
  if (!Number.isInteger(value) || value < 0 || value > 65_535) {
    throw new Error(`${name} must be a port number, not ${process.env[name] ?? ''}.`);
  }
  return value;
};

const main = async () => {
  const port = portFromEnv('PORT', 3000);
  const playground = await startPlayground({
    port,
    host: process.env.HOST ?? '127.0.0.1',
    publicHost: process.env.PUBLIC_HOST || undefined,
    portFallback: true,
    real: realOptionsFromEnv(),
    simulatorPort: portFromEnv('SIMULATOR_PORT', 0),
  });
  if (playground.port !== port) {
    console.log(`Port ${port} is busy; using ${playground.port} instead.`);
  }
  console.log(`Xiaomi connector playground: ${playground.url}`);
  if (playground.simulator) {
    console.log(`Simulated Xiaomi:            ${playground.simulator.baseUrl}`);
  } else {
    // Opened under another origin, its session cookie would not come back with the callback.
    console.log(`Listening on:                ${playground.listenUrl}`);
    console.log(`Real Xiaomi, callback URL:   ${playground.callbackUrl}`);
    console.log('Open the playground at the first URL, the callback URL’s origin.');
  }
  console.log('Press Ctrl+C to stop.');
  const stop = () => {
    void playground.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
