/** What a Logto admin would do about each ConnectorError the connector can raise. */

const byConnectorCode: Readonly<Record<string, string>> = {
  invalid_config:
    'Fix the connector settings in Logto Console → Connectors → Social → Xiaomi: the description names the field or the Xiaomi setting at fault. Users cannot sign in with Xiaomi until then.',
  authorization_failed:
    'Nothing to fix in the settings: the user refused on Xiaomi’s page, or the callback did not belong to this sign-in. The user can simply try again.',
  social_auth_code_invalid:
    'Ask the user to sign in again. Codes live 5 minutes and work once: if this happens every time, look for something that replays the callback (a double submit, a proxy retrying GETs).',
  social_invalid_access_token:
    'Xiaomi rejected the token. After a sign-in, retry; if it repeats, check that the App ID belongs to the same app the user authorized. After a refresh, the stored refresh token is dead: the user must sign in with Xiaomi again.',
  general:
    'Xiaomi or the network failed (timeout, HTTP 5xx, unreachable). Retry later, and check that the Logto server can reach account.xiaomi.com and open.account.xiaomi.com.',
  invalid_response:
    'Xiaomi answered something it does not document. Retry; if it persists, report it to the connector’s maintainers with the timeline below (it holds no secret).',
  insufficient_request_parameters:
    'Logto did not pass what the connector needs (the redirect URI): check the Logto version and the connector’s callback URL.',
  invalid_request_parameters:
    'A sign-in asked for a malformed scope: scopes are space-separated numbers such as "1 3".',
};

const byXiaomiCode: Readonly<Record<string, string>> = {
  '96001':
    'Check the App ID (clientId) and that Account Services is enabled for the app on the Xiaomi Open Platform.',
  '96003': 'Copy the App Secret (clientSecret) again from the app details page on Xiaomi.',
  '96005': 'Apply for the missing permission on the Xiaomi Open Platform, or remove the scope.',
  '96007':
    'Remove the scope Xiaomi does not grant to the app, or apply for it (4 and 6 need a review).',
  '96010':
    'Register the callback URL (same scheme, host or subdomain, port, path or below) for the app on Xiaomi; for refreshes set redirectUri to it.',
};

export const adviceFor = (connectorCode: string, xiaomiCode?: string): string => {
  const specific = xiaomiCode ? byXiaomiCode[xiaomiCode] : undefined;
  const general =
    byConnectorCode[connectorCode] ?? 'Read the description: it says what failed and where.';
  return specific ? `${specific} ${general}` : general;
};
