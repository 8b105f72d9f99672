/**
 * One playground session per browser: a random id in an HttpOnly cookie (Koa's cookies), the data
 * in memory on the server (the App Secret and the connector session never leave it). In simulator
 * mode each session gets its own simulated app, so its fault switches reach no other browser.
 */
import { randomBytes } from 'node:crypto';

import type { ConnectorSession } from '@logto/connector-kit';
import type { Middleware } from 'koa';

import type { SimulatorFaults } from '../simulator/index.js';

import type { Outcome, PlaygroundSettings } from './pages/types.js';
import type { StateStorage } from './sign-in-page.js';

export type PlaygroundSession = {
  /** This browser's own simulated app (simulator mode). */
  appClientId?: string;
  settings: PlaygroundSettings;
  /** This browser's fault switches, applied to its own app only. */
  faults: SimulatorFaults;
  /** What the sign-in page keeps in sessionStorage: the state per connector id. */
  states: StateStorage;
  /** What getAuthorizationUri stored with setSession; getSession hands it over once. */
  connectorSession?: ConnectorSession;
  outcome?: Outcome;
  refreshToken?: string;
  lastSeen: number;
};

export type PlaygroundState = { session: PlaygroundSession };

const cookieName = 'xiaomi_playground_sid';
const maxSessions = 500;

export type SessionStoreOptions = {
  /** A new session's settings and, in simulator mode, its own app's client id. */
  create: () => Pick<PlaygroundSession, 'settings' | 'appClientId'>;
  /** Called when a session is dropped (the oldest, beyond `maxSessions`). */
  onDrop: (session: PlaygroundSession) => void;
};

export const createSessionStore = ({ create, onDrop }: SessionStoreOptions) => {
  const sessions = new Map<string, PlaygroundSession>();

  const dropOldest = () => {
    let oldest: [string, PlaygroundSession] | undefined;
    for (const entry of sessions) {
      if (!oldest || entry[1].lastSeen < oldest[1].lastSeen) {
        oldest = entry;
      }
    }
    if (oldest) {
      sessions.delete(oldest[0]);
      onDrop(oldest[1]);
    }
  };

  const middleware: Middleware<PlaygroundState> = async (ctx, next) => {
    const id = ctx.cookies.get(cookieName);
    const existing = id ? sessions.get(id) : undefined;
    if (existing) {
      existing.lastSeen = Date.now();
      ctx.state.session = existing;
    } else {
      if (sessions.size >= maxSessions) {
        dropOldest();
      }
      const newId = randomBytes(18).toString('base64url');
      const session: PlaygroundSession = {
        ...create(),
        faults: {},
        states: new Map(),
        lastSeen: Date.now(),
      };
      sessions.set(newId, session);
      ctx.cookies.set(cookieName, newId, { httpOnly: true, sameSite: 'lax', path: '/' });
      ctx.state.session = session;
    }
    await next();
  };

  return {
    middleware,
    dropAll() {
      for (const session of sessions.values()) {
        onDrop(session);
      }
      sessions.clear();
    },
  };
};
