import { ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';

import { consoleRedirectUriLabel, redirectUriFieldLabel } from './constant.js';

/** The calls this connector makes to Xiaomi, as named in errors and in the call log. */
export type XiaomiCallName = 'token' | 'refresh' | 'profile' | 'openid' | 'phoneAndEmail';

/** Every way a sign-in or a refresh can fail, named. `toConnectorError` maps each to Logto's codes. */
export type XiaomiFailure =
  | { kind: 'invalid-config'; problems: string[] }
  | { kind: 'refresh-needs-redirect-uri' }
  | { kind: 'missing-refresh-token' }
  | { kind: 'invalid-scope-request' }
  | { kind: 'callback-error'; xiaomiCode: string; description?: string }
  | { kind: 'callback-without-code' }
  | { kind: 'malformed-callback'; problems: string[] }
  | { kind: 'state-mismatch' }
  | { kind: 'missing-redirect-uri' }
  | { kind: 'unknown-mobile-app'; appId: string }
  | { kind: 'refresh-app-not-configured'; appId: string }
  | { kind: 'malformed-stored-refresh-token' }
  | {
      kind: 'xiaomi-error';
      call: XiaomiCallName;
      xiaomiCode: string;
      description?: string;
      status: number;
    }
  | { kind: 'http-status'; call: XiaomiCallName; status: number }
  | { kind: 'redirect'; call: XiaomiCallName; status: number; location?: string }
  | { kind: 'too-large'; call: XiaomiCallName; status: number; limitBytes: number }
  | { kind: 'bad-body'; call: XiaomiCallName; status: number; reason: string }
  | { kind: 'timeout'; call: XiaomiCallName; afterMs: number }
  | { kind: 'unreachable'; call: XiaomiCallName; afterMs: number; cause: string }
  | { kind: 'cut-short'; call: XiaomiCallName };

/** What Xiaomi meant by an error code, how Logto should see it, and what the admin should do. */
type XiaomiErrorRule = { name: string; code: ConnectorErrorCodes; meaning: string; fix?: string };

const invalidConfig = ConnectorErrorCodes.InvalidConfig;
const general = ConnectorErrorCodes.General;

/** Xiaomi's documented error codes: the one table of them (the README's troubleshooting follows it). */
const xiaomiErrors: Record<number, XiaomiErrorRule> = {
  96001: {
    name: 'OA_CLIENT_NOT_EXISTS',
    code: invalidConfig,
    meaning: 'no app has this App ID, or Account Services is not enabled for it',
    fix: 'check clientId and enable Account Services for the app on dev.mi.com',
  },
  96002: {
    name: 'OA_INVALID_REQUEST',
    code: general,
    meaning: 'a required parameter was missing or malformed',
  },
  96003: {
    name: 'OA_INVALID_CLIENT',
    code: invalidConfig,
    meaning: 'the App ID and App Secret do not match',
    fix: 'copy the App Secret again from the app details page into clientSecret',
  },
  96004: {
    name: 'OA_INVALID_GRANT',
    code: ConnectorErrorCodes.SocialAuthCodeInvalid,
    meaning: 'the grant was refused',
  },
  96005: {
    name: 'OA_UNAUTHORIZED_CLIENT',
    code: invalidConfig,
    meaning: 'the app lacks permission for this request',
    fix: 'apply for it under the app’s open interfaces on dev.mi.com, or remove the scope',
  },
  96006: {
    name: 'OA_UNSUPPORTED_GRANT_TYPE',
    code: general,
    meaning: 'grant type not supported',
  },
  96007: {
    name: 'OA_INVALID_SCOPE',
    code: invalidConfig,
    meaning: 'a requested scope is unknown or not granted to the app',
    fix: 'check scope (space-separated numbers such as "1 3")',
  },
  96008: {
    name: 'OA_INVALID_TOKEN',
    code: ConnectorErrorCodes.SocialAccessTokenInvalid,
    meaning: 'the access token is wrong or expired',
  },
  96009: {
    name: 'OA_INVALID_REFRESHTOKEN',
    code: ConnectorErrorCodes.SocialAccessTokenInvalid,
    meaning: 'the refresh token is wrong, expired or already used (each refresh token works once)',
    fix: 'the user must sign in again',
  },
  96010: {
    name: 'OA_INVALID_REDIRECT_URI',
    code: invalidConfig,
    meaning: 'the redirect URI is not registered for the app',
    fix: 'set Callback URL in Xiaomi Account Services to ${your_logto_origin}/callback;${your_logto_origin}/account/callback/social, which covers Logto’s sign-in page and its Account Center for every connector id (same scheme and port)',
  },
  96011: {
    name: 'OA_UNSUPPORTED_RESPONSE_TYPE',
    code: general,
    meaning: 'response type not supported',
  },
  96012: {
    name: 'OA_ACCESS_DENIED',
    code: general,
    meaning: 'access denied (the user refused, or a signature did not verify)',
  },
  96013: {
    name: 'OA_INVALID_CODE',
    code: ConnectorErrorCodes.SocialAuthCodeInvalid,
    meaning: 'the authorization code is wrong, expired (codes live 10 minutes) or already used',
    fix: 'start the sign-in again',
  },
};

/** Xiaomi sometimes names an error instead of numbering it (OAuth names or its own OA_ names). */
const namedCodes: Record<string, number> = {
  invalid_request: 96002,
  invalid_client: 96003,
  invalid_grant: 96004,
  unauthorized_client: 96005,
  unsupported_grant_type: 96006,
  invalid_scope: 96007,
  invalid_token: 96008,
  unsupported_response_type: 96011,
  access_denied: 96012,
  ...Object.fromEntries(
    Object.entries(xiaomiErrors).map(([code, rule]) => [rule.name, Number(code)]),
  ),
};

export const xiaomiCodeNumber = (raw: string): number | undefined => {
  const trimmed = raw.trim();
  if (/^\d+$/.test(trimmed)) {
    return Number(trimmed);
  }
  return namedCodes[trimmed] ?? namedCodes[trimmed.toLowerCase()];
};

/** What a failed call was for: a mobile app's calls name its App ID. */
export type CallContext = { mobileAppId?: string };

/** Where a mobile app's fix differs from the web app's (its own config keys, its SDK's URL). */
const mobileFixes: Record<number, string> = {
  96001:
    'check mobileClientIds and enable Account Services for the Mobile/Tablet app on dev.mi.com',
  96003:
    'copy the Mobile/Tablet app’s App Secret again into mobileClientSecrets, at the position of its App ID in mobileClientIds',
  96010:
    'the app must pass Logto, as redirectUri, the redirect URL registered for the Mobile/Tablet app on dev.mi.com, the one it gives Xiaomi’s SDK (setRedirectUrl)',
};

const adviceOf = ({ meaning, fix }: XiaomiErrorRule, number?: number, context?: CallContext) => {
  const shown = context?.mobileAppId && number !== undefined ? (mobileFixes[number] ?? fix) : fix;
  return shown ? `${meaning}: ${shown}` : meaning;
};

const describeXiaomiError = (xiaomiCode: string, description?: string) => {
  const number = xiaomiCodeNumber(xiaomiCode);
  const rule = number === undefined ? undefined : xiaomiErrors[number];
  const label = rule ? `${number} ${rule.name}` : xiaomiCode;
  const said = description ? ` ("${description}")` : '';
  return { number, rule, text: `Xiaomi error ${label}${said}` };
};

const callLabels: Record<XiaomiCallName, string> = {
  token: 'the code exchange (oauth2/token)',
  refresh: 'the token refresh (oauth2/token)',
  profile: 'the profile API (user/profile)',
  openid: 'the openId API (user/openidV2)',
  phoneAndEmail: 'the phone and email API (user/phoneAndEmail)',
};

const callLabel = (call: XiaomiCallName, context?: CallContext) =>
  context?.mobileAppId
    ? `${callLabels[call]} for the mobile app ${context.mobileAppId}`
    : callLabels[call];

const codeForXiaomiError = (
  call: XiaomiCallName,
  number: number | undefined,
  rule?: XiaomiErrorRule,
) => {
  // On a refresh the grant is the refresh token: a refused grant means the stored token is dead.
  if (call === 'refresh' && (number === 96004 || number === 96013)) {
    return ConnectorErrorCodes.SocialAccessTokenInvalid;
  }
  return rule?.code ?? general;
};

type ErrorData = {
  errorDescription: string;
  xiaomiCode?: string;
  xiaomiDescription?: string;
  httpStatus?: number;
  call?: XiaomiCallName;
  /** The App ID of the mobile app the call was for (not a secret). */
  mobileAppId?: string;
};

const build = (code: ConnectorErrorCodes, data: ErrorData) => new ConnectorError(code, data);

const appOf = (context?: CallContext) =>
  context?.mobileAppId ? { mobileAppId: context.mobileAppId } : {};

/**
 * The one table from a named failure to the ConnectorError Logto shows and logs; a call made for a
 * mobile app says so, with that app's fix.
 */
export const toConnectorError = (failure: XiaomiFailure, context?: CallContext): ConnectorError => {
  const label = 'call' in failure ? callLabel(failure.call, context) : '';
  const about = 'call' in failure ? { call: failure.call, ...appOf(context) } : {};
  switch (failure.kind) {
    case 'invalid-config': {
      return build(invalidConfig, {
        errorDescription: `The Xiaomi connector config is invalid: ${failure.problems.join('; ')}.`,
      });
    }
    case 'refresh-needs-redirect-uri': {
      return build(invalidConfig, {
        errorDescription: `Refreshing a Xiaomi token needs the redirect URI, which Logto does not pass: on the connector’s page in the Logto Console, copy the "${consoleRedirectUriLabel}" into the field "${redirectUriFieldLabel}" (config key redirectUri).`,
      });
    }
    case 'missing-refresh-token': {
      return build(ConnectorErrorCodes.SocialAccessTokenInvalid, {
        errorDescription: 'No refresh token was given: the user must sign in with Xiaomi again.',
      });
    }
    case 'invalid-scope-request': {
      return build(ConnectorErrorCodes.InvalidRequestParameters, {
        errorDescription:
          'The requested scope must be space-separated numeric Xiaomi scope ids, such as "1 3".',
      });
    }
    case 'callback-error': {
      const { number, rule, text } = describeXiaomiError(failure.xiaomiCode, failure.description);
      const denied = number === 96012;
      return build(denied ? ConnectorErrorCodes.AuthorizationFailed : (rule?.code ?? general), {
        errorDescription: denied
          ? `The user did not authorize the app on Xiaomi: ${text}.`
          : `Xiaomi refused the authorization: ${text}${rule ? `: ${adviceOf(rule)}` : ''}.`,
        xiaomiCode: failure.xiaomiCode,
        xiaomiDescription: failure.description,
      });
    }
    case 'callback-without-code': {
      return build(ConnectorErrorCodes.InvalidResponse, {
        errorDescription:
          'The Xiaomi callback carries neither an authorization code nor an error: it did not come from Xiaomi’s authorization page.',
      });
    }
    case 'malformed-callback': {
      return build(ConnectorErrorCodes.InvalidRequestParameters, {
        errorDescription: `The callback data Logto passed is malformed: ${failure.problems.join('; ')}. Each callback query parameter must be passed once, as a string.`,
      });
    }
    case 'state-mismatch': {
      return build(ConnectorErrorCodes.AuthorizationFailed, {
        errorDescription:
          'The callback’s state does not match the state this sign-in started with: the callback was forged or belongs to another sign-in. Start the sign-in again.',
      });
    }
    case 'missing-redirect-uri': {
      return build(ConnectorErrorCodes.InsufficientRequestParameters, {
        errorDescription:
          'No redirect URI is known for this callback: Xiaomi needs the one used to authorize.',
      });
    }
    case 'unknown-mobile-app': {
      return build(ConnectorErrorCodes.InvalidRequestParameters, {
        errorDescription: `The code was issued to Xiaomi App ID ${failure.appId}, which this connector is not configured for: add it to mobileClientIds with its App Secret in mobileClientSecrets.`,
      });
    }
    case 'refresh-app-not-configured': {
      return build(invalidConfig, {
        errorDescription: `The stored Xiaomi token was issued to the mobile app ${failure.appId}, which mobileClientIds no longer holds: add it back with its App Secret in mobileClientSecrets, or the user must sign in with Xiaomi again.`,
      });
    }
    case 'malformed-stored-refresh-token': {
      return build(ConnectorErrorCodes.SocialAccessTokenInvalid, {
        errorDescription:
          'The stored refresh token names a mobile app but cannot be read: the user must sign in with Xiaomi again.',
      });
    }
    case 'xiaomi-error': {
      const { number, rule, text } = describeXiaomiError(failure.xiaomiCode, failure.description);
      return build(codeForXiaomiError(failure.call, number, rule), {
        errorDescription: `${text} in ${label}${rule ? `: ${adviceOf(rule, number, context)}` : ''}.`,
        xiaomiCode: failure.xiaomiCode,
        xiaomiDescription: failure.description,
        httpStatus: failure.status,
        ...about,
      });
    }
    case 'http-status': {
      const serverSide = failure.status >= 500;
      return build(serverSide ? general : ConnectorErrorCodes.InvalidResponse, {
        errorDescription: `Xiaomi answered HTTP ${failure.status} to ${label}${
          serverSide ? ': Xiaomi’s service is failing, try again later' : ' without an error code'
        }.`,
        httpStatus: failure.status,
        ...about,
      });
    }
    case 'redirect': {
      return build(ConnectorErrorCodes.InvalidResponse, {
        errorDescription: `Xiaomi answered HTTP ${failure.status} to ${label}, a redirect to ${
          failure.location ?? 'an unreadable location'
        }: Xiaomi’s APIs never redirect, so it was not followed (check for a proxy between Logto and Xiaomi).`,
        httpStatus: failure.status,
        ...about,
      });
    }
    case 'too-large': {
      return build(ConnectorErrorCodes.InvalidResponse, {
        errorDescription: `Xiaomi’s answer to ${label} (HTTP ${failure.status}) is larger than ${
          failure.limitBytes / 1024
        } KiB, far beyond what Xiaomi sends: it was refused without being read further.`,
        httpStatus: failure.status,
        ...about,
      });
    }
    case 'bad-body': {
      return build(ConnectorErrorCodes.InvalidResponse, {
        errorDescription: `Xiaomi’s answer to ${label} (HTTP ${failure.status}) is not what Xiaomi documents: ${failure.reason}.`,
        httpStatus: failure.status,
        ...about,
      });
    }
    case 'timeout': {
      return build(general, {
        errorDescription: `Xiaomi could not be reached: no answer to ${label} within ${failure.afterMs} ms.`,
        ...about,
      });
    }
    case 'unreachable': {
      return build(general, {
        errorDescription: `Xiaomi could not be reached: ${label} failed after ${failure.afterMs} ms (${failure.cause}).`,
        ...about,
      });
    }
    case 'cut-short': {
      return build(general, {
        errorDescription: `The sign-in ended before ${callLabels[failure.call]} did, so that call was stopped.`,
        call: failure.call,
      });
    }
  }
};

export const fail = (failure: XiaomiFailure, context?: CallContext): never => {
  throw toConnectorError(failure, context);
};
