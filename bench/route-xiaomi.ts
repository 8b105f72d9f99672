/**
 * Sends calls to Xiaomi's hosts to the simulated Xiaomi by wrapping globalThis.fetch (which ky
 * calls), as `e2e/preload/route-xiaomi.mjs` does inside Logto. Every client's calls take this one
 * path, so the official connector (its hosts hard-coded) and this package are compared alike.
 */
const xiaomiHosts = new Set(['account.xiaomi.com', 'open.account.xiaomi.com']);

/**
 * Routes from now on; `calls()` counts the API calls routed so far, `warmUps()` the connector's
 * warm-ups of the open-API connection (a GET of `/`, src/open-api-warm-up.ts).
 */
export const routeXiaomiTo = (
  simulatorUrl: string,
): { calls: () => number; warmUps: () => number } => {
  const realFetch = globalThis.fetch;
  const target = new URL(simulatorUrl);
  let calls = 0;
  let warmUps = 0;
  globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (!xiaomiHosts.has(url.hostname)) {
      return realFetch(input, init);
    }
    if (url.pathname === '/') {
      warmUps++;
    } else {
      calls++;
    }
    const routed = new URL(url.pathname + url.search, target);
    if (!(input instanceof Request)) {
      return realFetch(routed, init);
    }
    // ky hands over a Request whose body is a stream: read it once and send it on.
    const body = ['GET', 'HEAD'].includes(input.method) ? undefined : await input.arrayBuffer();
    const { method, headers, signal, redirect } = input;
    return realFetch(new Request(routed, { method, headers, body, signal, redirect }), init);
  };
  return { calls: () => calls, warmUps: () => warmUps };
};
