/**
 * One playground session per browser: a random id in an HttpOnly cookie (Koa's cookies), the data
 * in memory on the server (the App Secret and the connector session never leave it). In simulator
 * mode each session gets its own simulated app, so its fault switches reach no other browser.
 */
import { randomBytes } from 'node:crypto';

import type { Middleware } from 'koa';

import type { SimulatorFaults } from '../simulator/index.js';
import type { Interaction } from '../test/support/logto-host/interaction.js';
import {
  createSignInPageStorage,
  type SignInPageStorage,
} from '../test/support/logto-host/sign-in-page.js';

import type { Outcome, PlaygroundSettings } from './pages/types.js';

/** A browser session's own simulated apps (simulator mode). */
export type SessionApps = {
  /** Its web app. */
  appClientId?: string;
  /** Its Mobile/Tablet app. */
  mobileAppClientId?: string;
};

export type PlaygroundSession = SessionApps & {
  /** What the Android page was last run with: the app's SDK settings and the phone's account. */
  android?: AndroidSettings;
  settings: PlaygroundSettings;
  /** This browser's fault switches, applied to its own app only. */
  faults: SimulatorFaults;
  /** What Logto's sign-in page keeps in this browser: the state per connector id. */
  signInPage: SignInPageStorage;
  /** The OIDC interaction of the last sign-in started: core keeps the connector session there. */
  interaction?: Interaction;
  outcome?: Outcome;
  refreshToken?: string;
  lastSeen: number;
};

/** The values an Android app gives Xiaomi's SDK, and the account signed in on the phone. */
export type AndroidSettings = { appId: string; redirectUrl: string; account: string };

export type PlaygroundState = { session: PlaygroundSession };

const cookieName = 'xiaomi_playground_sid';
const maxSessions = 500;

export type SessionStoreOptions = {
  /** A new session's settings and, in simulator mode, its own app's client id. */
  create: () => Pick<PlaygroundSession, 'settings' | 'appClientId' | 'mobileAppClientId'>;
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
        signInPage: createSignInPageStorage(),
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
