/**
 * Preloaded into Logto (`node --import`) by `npm run e2e:logto`: sends the connector's calls to
 * Xiaomi's hosts to the simulated Xiaomi at XIAOMI_SIMULATOR_URL, without changing the package.
 * Logto's outbound HTTP (ky included) goes through globalThis.fetch. Every other request passes
 * through untouched. Each routed call is logged as method + path only: queries may hold secrets.
 */
/* global Request, URL */
const simulator = process.env.XIAOMI_SIMULATOR_URL;
const xiaomiHosts = new Set(['account.xiaomi.com', 'open.account.xiaomi.com']);

if (simulator) {
  const realFetch = globalThis.fetch;
  const target = new URL(simulator);

  /** @param {URL} url */
  const toSimulator = (url) => {
    const routed = new URL(url.pathname + url.search, target);
    return routed.href;
  };

  /**
   * @param {string | URL | Request} input
   * @param {RequestInit} [init]
   */
  const routedFetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (!xiaomiHosts.has(url.hostname)) {
      return realFetch(input, init);
    }
    console.error(
      `[xiaomi-route] ${(input instanceof Request ? input.method : init?.method) ?? 'GET'} ${url.host}${url.pathname} → simulator`,
    );
    if (input instanceof Request) {
      // ky hands over a Request whose body is a stream: read it once and send it on.
      const body = ['GET', 'HEAD'].includes(input.method) ? undefined : await input.arrayBuffer();
      return realFetch(
        new Request(toSimulator(url), {
          method: input.method,
          headers: input.headers,
          body,
          signal: input.signal,
          redirect: input.redirect,
        }),
        init,
      );
    }
    return realFetch(toSimulator(url), init);
  };

  globalThis.fetch = routedFetch;
  console.error(`[xiaomi-route] account.xiaomi.com and open.account.xiaomi.com → ${target.origin}`);
}
