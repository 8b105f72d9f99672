/**
 * The simulated Xiaomi's memory: registered apps, accounts, pending consent requests, codes,
 * tokens, faults and the call log. Routes read and change it; nothing here speaks HTTP.
 */
import { createHash, randomBytes } from 'node:crypto';

import {
  accessTokenLifetimeSeconds,
  type IssuedSecret,
  type SimulatorAccount,
  type SimulatorApp,
  type SimulatorCall,
  type SimulatorFaults,
} from './data.js';
import { createFaultBoard, type FaultBoard } from './faults.js';

export type Consent = {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state: string | null;
};

type AuthorizationCode = Consent & { userId: string; expiresAt: number; used: boolean };
type AccessGrant = { clientId: string; userId: string; scopes: string[]; expiresAt: number };
type RefreshGrant = { clientId: string; userId: string; scopes: string[] };

const pendingConsentTtlMs = 30 * 60 * 1000;

export const randomToken = (bytes: number): string => randomBytes(bytes).toString('base64url');

export type StoreOptions = {
  apps: SimulatorApp[];
  faults?: SimulatorFaults;
  codeTtlMs: number;
  /** The token answer also carries `union_id`, as some deployments' do. */
  tokenUnionId?: boolean;
  onCall?: (call: SimulatorCall) => void;
};

export const createStore = (options: StoreOptions) => {
  const { apps, codeTtlMs } = options;
  const accounts: SimulatorAccount[] = [];
  const faults: FaultBoard = createFaultBoard(options.faults);
  const codes = new Map<string, AuthorizationCode>();
  const accessTokens = new Map<string, AccessGrant>();
  const refreshTokens = new Map<string, RefreshGrant>();
  const pending = new Map<string, Consent & { expiresAt: number }>();
  const timers = new Set<NodeJS.Timeout>();
  let calls: SimulatorCall[] = [];
  /** Every access token, refresh token and MAC key handed out, for tests that check none leaks. */
  let issued: IssuedSecret[] = [];
  let closed = false;

  const findApp = (clientId: string | undefined): SimulatorApp | undefined =>
    clientId ? apps.find((app) => app.clientId === clientId) : undefined;
  const findAccount = (userId: string | undefined): SimulatorAccount | undefined =>
    userId ? accounts.find((account) => account.userId === userId) : undefined;

  /** Xiaomi's open id: stable per app and account. */
  const openIdFor = (app: SimulatorApp, account: SimulatorAccount): string =>
    createHash('sha256')
      .update(`${app.clientId}\n${account.openIdSeed}`)
      .digest('base64url')
      .slice(0, 28);

  return {
    apps,
    accounts,
    faults,
    findApp,
    findAccount,
    openIdFor,

    get closed() {
      return closed;
    },

    /** Waits, unless the simulator closes first (then `close` clears the timer). */
    wait: async (ms: number): Promise<void> =>
      new Promise((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, ms);
        timers.add(timer);
      }),

    /** Keeps a consent request for the decision POST; returns its id. */
    startConsent(consent: Consent): string {
      const now = Date.now();
      for (const [id, entry] of pending) {
        if (entry.expiresAt < now) {
          pending.delete(id);
        }
      }
      const requestId = randomToken(18);
      pending.set(requestId, { ...consent, expiresAt: now + pendingConsentTtlMs });
      return requestId;
    },

    /** The consent request, once: a second decision on it finds nothing. */
    takeConsent(requestId: string): Consent | undefined {
      const consent = pending.get(requestId);
      pending.delete(requestId);
      return consent && consent.expiresAt >= Date.now() ? consent : undefined;
    },

    /** A fresh code for the consent and account. */
    issueCode(consent: Consent, account: SimulatorAccount): string {
      const code = randomBytes(16).toString('hex').toUpperCase();
      codes.set(code, {
        ...consent,
        userId: account.userId,
        expiresAt: Date.now() + codeTtlMs,
        used: false,
      });
      return code;
    },

    code: (code: string): AuthorizationCode | undefined => codes.get(code),
    dropCode(code: string) {
      codes.delete(code);
    },

    /** New access and refresh tokens; the token endpoint's success body. */
    issueTokens(app: SimulatorApp, account: SimulatorAccount, scopes: string[]) {
      const accessToken = `V3_${randomToken(32)}`;
      const refreshToken = `R3_${randomToken(32)}`;
      const grant = { clientId: app.clientId, userId: account.userId, scopes };
      accessTokens.set(accessToken, {
        ...grant,
        expiresAt: Date.now() + accessTokenLifetimeSeconds * 1000,
      });
      refreshTokens.set(refreshToken, grant);
      const macKey = randomToken(24);
      issued.push(
        { kind: 'access token', value: accessToken, clientId: app.clientId },
        { kind: 'refresh token', value: refreshToken, clientId: app.clientId },
        { kind: 'MAC key', value: macKey, clientId: app.clientId },
      );
      return {
        access_token: accessToken,
        expires_in: accessTokenLifetimeSeconds,
        refresh_token: refreshToken,
        scope: scopes.join(' '),
        token_type: 'mac',
        mac_key: macKey,
        mac_algorithm: 'HmacSha1',
        openId: openIdFor(app, account),
        ...(options.tokenUnionId && { union_id: account.unionId }),
      };
    },

    accessGrant: (token: string): AccessGrant | undefined => accessTokens.get(token),
    refreshGrant: (token: string): RefreshGrant | undefined => refreshTokens.get(token),
    dropRefreshToken(token: string) {
      refreshTokens.delete(token);
    },

    record(call: SimulatorCall) {
      calls.push(call);
      options.onCall?.(call);
    },
    calls: (): SimulatorCall[] => [...calls],
    issuedSecrets: (): IssuedSecret[] => [...issued],

    reset() {
      faults.clear();
      calls = [];
      issued = [];
      codes.clear();
      accessTokens.clear();
      refreshTokens.clear();
      pending.clear();
    },

    close() {
      closed = true;
      for (const timer of timers) {
        clearTimeout(timer);
      }
      timers.clear();
    },
  };
};

export type SimulatorStore = ReturnType<typeof createStore>;
