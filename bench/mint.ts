/**
 * Mints authorization codes from the simulator over HTTP, the way a browser gets them: an
 * authorize request with `skip_confirm=true` from a browser already signed in to Xiaomi (the
 * simulator's account cookie) is redirected straight back with a code. Should the simulator show
 * its consent page instead, the code is got by pressing Allow (POST /oauth2/authorize/decision).
 */
const accountCookie = 'xiaomi_sim_account';
const mintConcurrency = 16;

export type MintRequest = {
  baseUrl: string;
  clientId: string;
  redirectUri: string;
  state: string;
  scope: string;
  /** Codes are minted for these accounts in turn. */
  userIds: string[];
  count: number;
};

const codeFromRedirect = (response: Response): string => {
  const location = response.headers.get('location');
  if (response.status < 300 || response.status >= 400 || !location) {
    throw new Error(`expected a redirect with a code, got HTTP ${response.status}`);
  }
  const query = new URL(location).searchParams;
  const code = query.get('code');
  if (!code) {
    throw new Error(`the simulator refused the authorization: ${query.get('error') ?? 'no code'}`);
  }
  return code;
};

const pressAllow = async (baseUrl: string, consentPage: string, userId: string) => {
  const requestId = /name="request" value="([^"]+)"/.exec(consentPage)?.[1];
  if (!requestId) {
    throw new Error('the consent page has no request id');
  }
  const response = await fetch(new URL('/oauth2/authorize/decision', baseUrl), {
    method: 'POST',
    body: new URLSearchParams({ request: requestId, decision: 'allow', account: userId }),
    redirect: 'manual',
  });
  await response.body?.cancel();
  return codeFromRedirect(response);
};

const mintOne = async (request: MintRequest, userId: string): Promise<string> => {
  const url = new URL('/oauth2/authorize', request.baseUrl);
  url.search = new URLSearchParams({
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    response_type: 'code',
    scope: request.scope,
    state: request.state,
    skip_confirm: 'true',
  }).toString();
  const response = await fetch(url, {
    redirect: 'manual',
    headers: { cookie: `${accountCookie}=${encodeURIComponent(userId)}` },
  });
  if (response.status === 200) {
    return pressAllow(request.baseUrl, await response.text(), userId);
  }
  await response.body?.cancel();
  return codeFromRedirect(response);
};

export const mintCodes = async (request: MintRequest): Promise<string[]> => {
  const { userIds, count } = request;
  if (userIds.length === 0) {
    throw new Error('the simulator has no accounts');
  }
  const codes: string[] = new Array<string>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      codes[index] = await mintOne(request, userIds[index % userIds.length] ?? '');
    }
  };
  await Promise.all(Array.from({ length: Math.min(mintConcurrency, count) }, worker));
  return codes;
};
