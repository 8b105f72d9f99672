/** What the playground's pages show: settings, outcomes of connector calls, errors. */
import type { SocialUserInfo, TokenResponse } from '@logto/connector-kit';

import type { XiaomiCall } from '../../src/index.js';

export type PlaygroundMode = 'simulator' | 'real';

export type PlaygroundSettings = {
  clientId: string;
  /** Never rendered into a page. */
  clientSecret: string;
  scope: string;
  skipConfirm: boolean;
  skipWarmUp: boolean;
  redirectUri: string;
  /** Space-separated App IDs of Mobile/Tablet apps (config key mobileClientIds). */
  mobileClientIds: string;
  /** Their App Secrets, in the same order; never rendered into a page. */
  mobileClientSecrets: string;
  /** Logto's "store tokens" switch: getTokenResponseAndUserInfo instead of getUserInfo. */
  tokenStorage: boolean;
  /** Pass the callback through with its state, as an API client would, instead of the sign-in page's check. */
  apiClient: boolean;
  timeoutMs: number;
};

export type ShownError = {
  /** ConnectorError code, the sign-in page's or core's error code, or the error's name. */
  code: string;
  /** Who raised it. */
  by: 'connector' | 'sign-in page' | 'Logto' | 'Xiaomi SDK' | 'other';
  description: string;
  xiaomiCode?: string;
  data: unknown;
};

/** One call an Android app makes (to Logto, or Xiaomi's SDK on the phone), as the page shows it. */
export type AppStep = {
  id: 'authorization-uri' | 'sdk' | 'verify';
  /** Who is called: Logto's Experience API, or Xiaomi's SDK on the phone (the simulator here). */
  to: 'Logto' | 'Xiaomi SDK';
  /** `POST /api/…`, or the SDK call. */
  call: string;
  /** What the app sends (the code masked). */
  body: unknown;
  /** What it answers (the code masked); absent when it failed. */
  answer?: unknown;
};

export type Outcome = {
  action: 'authorize' | 'sign-in' | 'refresh' | 'android';
  /** The connector method the playground called (or would have). */
  method: string;
  at: number;
  durationMs: number;
  calls: XiaomiCall[];
  /** The callback's query as the browser brought it (the code masked). */
  callbackQuery?: Record<string, string>;
  /** What the sign-in page did with `state`. */
  stateCheck?: string;
  /** The object handed to the connector (the code masked). */
  connectorData?: Record<string, string>;
  userInfo?: SocialUserInfo;
  tokenResponse?: TokenResponse;
  error?: ShownError;
  /** After a refresh: whether Xiaomi sent a new refresh token (the used one is then spent). */
  refreshTokenRotated?: boolean;
  /** An Android app's calls, in order (the Android flow only). */
  appSteps?: AppStep[];
  /** Secrets (tokens, App Secret, code) found in what Logto would store or log: must stay empty. */
  leaks?: string[];
};

export type HeaderInput = {
  mode: PlaygroundMode;
  connectorName: string;
  logo: string;
};
