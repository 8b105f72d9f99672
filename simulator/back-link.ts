/**
 * A local site that sends browsers to the simulator (the playground): an authorize request that
 * ends on the simulator's error page gets a link back to it there, which Xiaomi's own page lacks.
 * The link goes to `href`, fixed when the simulator starts, never to the request's redirect_uri:
 * that may be unregistered, and Xiaomi never sends a browser to an unregistered URI.
 */
export type BackLink = {
  /** The site's origins: a request whose redirect_uri is on one of them came from it. */
  origins: readonly string[];
  href: string;
  label: string;
};

/** The back link for an authorize request with this redirect_uri, if it came from the site. */
export const backLinkFor = (
  backLink: BackLink | undefined,
  redirectUri: string | undefined,
): BackLink | undefined => {
  if (!backLink || !redirectUri || !URL.canParse(redirectUri)) {
    return undefined;
  }
  return backLink.origins.includes(new URL(redirectUri).origin) ? backLink : undefined;
};
