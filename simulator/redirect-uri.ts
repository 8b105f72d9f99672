/**
 * Xiaomi's redirect URI rules: the URI sent must have the registered scheme and port; its host may
 * be the registered host or a subdomain of it, its path the registered path or below it. One
 * registered entry may list several URIs separated by `;`.
 */

const defaultPorts: Readonly<Record<string, string>> = { 'http:': '80', 'https:': '443' };

const parseUrl = (value: string): URL | undefined => {
  try {
    return new URL(value.trim());
  } catch {
    return undefined;
  }
};

const effectivePort = (url: URL): string => url.port || (defaultPorts[url.protocol] ?? '');

const hostMatches = (sent: string, registered: string): boolean =>
  sent === registered || sent.endsWith(`.${registered}`);

const pathMatches = (sent: string, registered: string): boolean => {
  if (registered === '' || registered === '/') {
    return true;
  }
  const base = registered.endsWith('/') ? registered.slice(0, -1) : registered;
  return sent === base || sent.startsWith(`${base}/`);
};

/** Splits registered entries on `;` and drops empty ones. */
export const expandRegisteredUris = (registered: readonly string[]): string[] =>
  registered
    .flatMap((entry) => entry.split(';'))
    .flatMap((entry) => {
      const trimmed = entry.trim();
      return trimmed ? [trimmed] : [];
    });

/** Whether `sent` matches one registered URI under Xiaomi's rules. */
export const matchesRedirectUri = (sent: string, registered: string): boolean => {
  const sentUrl = parseUrl(sent);
  const registeredUrl = parseUrl(registered);
  if (!sentUrl || !registeredUrl) {
    return false;
  }
  if (!(sentUrl.protocol in defaultPorts)) {
    return false;
  }
  // A fragment is never allowed in a redirect URI, and credentials in a URL are a phishing trick.
  if (sentUrl.hash || sentUrl.username || sentUrl.password) {
    return false;
  }
  return (
    sentUrl.protocol === registeredUrl.protocol &&
    effectivePort(sentUrl) === effectivePort(registeredUrl) &&
    hostMatches(sentUrl.hostname, registeredUrl.hostname) &&
    pathMatches(sentUrl.pathname, registeredUrl.pathname)
  );
};

/** Whether `sent` matches any of the app's registered redirect URIs. */
export const isRegisteredRedirectUri = (sent: string, registered: readonly string[]): boolean =>
  expandRegisteredUris(registered).some((entry) => matchesRedirectUri(sent, entry));
