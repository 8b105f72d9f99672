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
  redirectUri: string;
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
  by: 'connector' | 'sign-in page' | 'Logto' | 'other';
  description: string;
  xiaomiCode?: string;
  data: unknown;
};

export type Outcome = {
  action: 'authorize' | 'sign-in' | 'refresh';
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
  /** Secrets (tokens, App Secret, code) found in what Logto would store or log: must stay empty. */
  leaks?: string[];
};

export type HeaderInput = {
  mode: PlaygroundMode;
  connectorName: string;
  logo: string;
};
