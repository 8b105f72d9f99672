/**
 * Types, sample data and constant tables of the simulated Xiaomi account service.
 */

export type SimulatorApp = {
  clientId: string;
  clientSecret: string;
  name: string;
  redirectUris: string[];
  allowedScopes: string[];
  /**
   * A web app (the default) signs in through the browser; a Mobile/Tablet app also gets codes the
   * way Xiaomi's Android SDK does on the phone (`/__simulator/sdk-code`).
   */
  kind?: 'web' | 'mobile';
  /** A mobile app's Android package name, as registered at Xiaomi (shown only). */
  packageName?: string;
};

export type SimulatorAccount = {
  userId: string;
  unionId: string;
  nickname: string;
  /** Avatar URL; empty when the account has no avatar. */
  icon: string;
  phone: string;
  email: string;
  /** Mixed with the App ID to derive the account's stable per-app open id. */
  openIdSeed: string;
  /** A short description shown on the consent page and in tests. */
  label: string;
};

export type SimulatorFaults = {
  /** The token endpoint answers 96003 whatever the secret. */
  wrongSecret?: boolean;
  /** Authorize and token answer 96010. */
  redirectUriNotRegistered?: boolean;
  /** The token endpoint answers 96013 for a code exchange. */
  codeAlreadyUsed?: boolean;
  /** Open APIs answer 96008 (HTTP 200, result "error", code as the string "96008"). */
  profileTokenRejected?: boolean;
  /** Every API endpoint (token and open APIs) answers 502 with an HTML page. */
  badGateway?: boolean;
  /** Delay in milliseconds before every API answer. */
  delayMs?: number;
  /** API endpoints never answer; their sockets stay open until the simulator closes. */
  hang?: boolean;
};

/** The on/off fault switches of `SimulatorFaults` (the rest, `delayMs`, takes a number). */
export const faultFlags = [
  'wrongSecret',
  'redirectUriNotRegistered',
  'codeAlreadyUsed',
  'profileTokenRejected',
  'badGateway',
  'hang',
] as const;

export type SimulatorCall = {
  at: number;
  method: string;
  /** The path only: queries are never recorded, they may hold secrets. */
  path: string;
  /**
   * The `redirect_uri` an authorize or token request carried (not a secret), so a test can tell
   * which Logto callback a flow used; absent when the request had none.
   */
  redirectUri?: string;
  /** The token endpoint's `grant_type` (authorization_code or refresh_token), when one was sent. */
  grantType?: string;
  /**
   * The App ID an authorize, token or open-API request named (`client_id`, `clientId`; not a
   * secret), so a test can tell which app a call was made for; absent when the request had none.
   */
  clientId?: string;
  /** 0 when the request was never answered (hang, or the client went away). */
  status: number;
  durationMs: number;
};

/** A secret the simulator handed out, what it is and the App ID it was issued to (never print the value). */
export type IssuedSecret = {
  kind: 'access token' | 'refresh token' | 'MAC key';
  value: string;
  clientId: string;
};

export const defaultPlaygroundPort = 3000;

/**
 * The app the playground and the CLI use when given none. Its redirect URIs follow Xiaomi's rules
 * (same scheme and port; the path or below), so they accept the playground's
 * `http://127.0.0.1:3000/callback/…` on its default port. Callers on another port pass their own
 * app: `{ ...defaultSimulatorApp, redirectUris: ['http://127.0.0.1:4321/callback'] }`.
 */
export const defaultSimulatorApp: SimulatorApp = {
  clientId: '2882303761517000001',
  clientSecret: 'fake-sim-secret',
  name: 'Logto Playground',
  redirectUris: [
    `http://127.0.0.1:${defaultPlaygroundPort}/callback`,
    `http://localhost:${defaultPlaygroundPort}/callback`,
  ],
  allowedScopes: ['1', '3', '4', '6'],
};

/**
 * A Mobile/Tablet app beside the web one: its own App ID, App Secret and registered redirect URL,
 * the one an Android app gives Xiaomi's SDK (`setRedirectUrl`) and Logto.
 */
export const defaultSimulatorMobileApp: SimulatorApp = {
  kind: 'mobile',
  clientId: '2882303761517000002',
  clientSecret: 'fake-sim-mobile-secret',
  name: 'Logto Playground (Android)',
  packageName: 'com.example.logto.playground',
  redirectUris: ['https://app.example.com/xiaomi/oauth'],
  allowedScopes: ['1', '3', '4', '6'],
};

/** Sample accounts; `avatarBaseUrl` is the simulator's base URL, where it serves the avatars. */
export const createSampleAccounts = (avatarBaseUrl: string): SimulatorAccount[] => [
  {
    userId: '2233445566',
    unionId: 'sim-union-Oz7q2Xk9LmP4',
    nickname: '小米用户🍊',
    icon: `${avatarBaseUrl}/avatars/2233445566.svg`,
    phone: '',
    email: '',
    openIdSeed: 'seed-orange',
    label: 'Chinese nickname with emoji, no phone or email',
  },
  {
    userId: '3344556677',
    unionId: 'sim-union-Bq1Wn8Rt5Yc3',
    nickname: 'Li Lei',
    icon: '',
    phone: '',
    email: 'lilei@example.com',
    openIdSeed: 'seed-no-avatar',
    label: 'No avatar, email only',
  },
  {
    userId: '4455667788',
    unionId: 'sim-union-Hk6Vd2Ps9Ge1',
    nickname: 'Han Meimei',
    icon: `${avatarBaseUrl}/avatars/4455667788.svg`,
    phone: '+86 138 0013 8000',
    email: 'hanmeimei@example.com',
    openIdSeed: 'seed-phone-email',
    label: 'Phone and email',
  },
];

/** Xiaomi's scope ids in words, as the consent page shows them. */
export const scopeDescriptions: Readonly<Record<string, string>> = {
  '1': 'Your profile: nickname and avatar',
  '2': 'Your MiChat friend list',
  '3': 'Your open ID for this app',
  '4': 'Your phone number',
  '6': 'Your email address',
  '1000': 'Your Mi Router',
  '1001': 'Your Mi Router (extended)',
  '2000': 'Your contacts in Mi Cloud',
  '2001': 'Your calendar in Mi Cloud',
  '2002': 'Your alarms',
  '6000': 'Your Mi Home devices',
  '6002': 'Your Mi Home devices (control)',
  '6003': 'Your Mi Home devices (scenes)',
  '6004': 'Your Mi Home devices (data)',
  '7000': 'Following in Yellow Pages',
  '11000': 'Your cloud photos',
  '12001': 'App data in Mi Cloud',
  '12005': 'Your health ECG data',
  '13002': 'Your fitness data',
  '16000': 'Your Mi Wallet passes',
  '20000': 'XiaoAI',
  '40000': 'Cloud AI (internal)',
};

export const errorCodes = {
  clientNotExists: 96001,
  invalidRequest: 96002,
  invalidClient: 96003,
  invalidGrant: 96004,
  unauthorizedClient: 96005,
  unsupportedGrantType: 96006,
  invalidScope: 96007,
  invalidToken: 96008,
  invalidRefreshToken: 96009,
  invalidRedirectUri: 96010,
  unsupportedResponseType: 96011,
  accessDenied: 96012,
  invalidCode: 96013,
} as const;

export type ErrorCode = (typeof errorCodes)[keyof typeof errorCodes];

export const errorNames: Readonly<Record<ErrorCode, string>> = {
  96001: 'OA_CLIENT_NOT_EXISTS',
  96002: 'OA_INVALID_REQUEST',
  96003: 'OA_INVALID_CLIENT',
  96004: 'OA_INVALID_GRANT',
  96005: 'OA_UNAUTHORIZED_CLIENT',
  96006: 'OA_UNSUPPORTED_GRANT_TYPE',
  96007: 'OA_INVALID_SCOPE',
  96008: 'OA_INVALID_TOKEN',
  96009: 'OA_INVALID_REFRESHTOKEN',
  96010: 'OA_INVALID_REDIRECT_URI',
  96011: 'OA_UNSUPPORTED_RESPONSE_TYPE',
  96012: 'OA_ACCESS_DENIED',
  96013: 'OA_INVALID_CODE',
};

/** Seconds an access token lives: 90 days. */
export const accessTokenLifetimeSeconds = 7_776_000;
