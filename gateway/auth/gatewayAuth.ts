import type { GatewayServices } from '../gatewayServices.ts';
import { createLoginThrottle, type LoginThrottle } from './loginThrottle.ts';
import { defaultSignInLimits } from './signInLimits.ts';
import { createSessionStore, type SessionStore } from './sessionStore.ts';
import { createUserStore, type UserStore } from './userStore.ts';

/** Users, sessions and the sign-in throttle over the gateway's database and clock. */
export interface GatewayAuth {
  users: UserStore;
  sessions: SessionStore;
  throttle: LoginThrottle;
}

export function createGatewayAuth(services: GatewayServices): GatewayAuth {
  const { db, clock, newId, options } = services;
  const users = createUserStore(db, clock, newId);
  return {
    users,
    sessions: createSessionStore(db, users, clock, {
      idleMs: options.sessionIdleMinutes * 60_000,
      maxMs: options.sessionMaxHours * 3_600_000,
    }),
    throttle: createLoginThrottle(db, clock, newId, defaultSignInLimits),
  };
}
