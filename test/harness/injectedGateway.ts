import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { type GatewayOptions, resolveGatewayOptions } from '../../gateway/config/gatewayOptions.ts';
import { uuidV7 } from '../../kernel/events/ids.ts';
import type { GatewayServices } from '../../gateway/gatewayServices.ts';
import { buildHttpApp } from '../../gateway/http/buildHttpApp.ts';
import { openGatewayStore } from '../../gateway/openGatewayStore.ts';
import type { Role } from '../../kernel/roles/permissions.ts';
import { addTestUser, sessionCookieFor, type TestUser } from './sessions.ts';
import { tempDataDir } from './tempDataDir.ts';

/** A gateway clock the test moves by hand. */
export interface ManualClock {
  (): Date;
  advanceSeconds(seconds: number): void;
}

export function manualClock(start = '2026-11-26T08:00:00.000Z'): ManualClock {
  let now = Date.parse(start);
  const clock = (() => new Date(now)) as ManualClock;
  clock.advanceSeconds = (seconds) => {
    now += seconds * 1000;
  };
  return clock;
}

export interface InjectedGateway {
  app: FastifyInstance;
  services: GatewayServices;
  clock: ManualClock;
  dataDir: string;
  /** The nurse signed in for the test (display name in Arabic: it must pass into events intact). */
  nurse: TestUser;
  /** The `cookie` header of her session. */
  nurseHeaders: { cookie: string };
  /** A new user of `role` with a session: the `cookie` header to send. */
  signIn(role: Role): Promise<{ cookie: string }>;
  close(): Promise<void>;
}

/**
 * The HTTP API over a real SQLite file in a fresh data folder, as the gateway
 * builds it (store, read models caught up, Fastify app), driven by
 * `app.inject()` and a clock the test controls. No ports are opened.
 */
export async function buildInjectedGateway(
  overrides: Partial<GatewayOptions> = {},
): Promise<InjectedGateway> {
  const dir = tempDataDir('nilecare-http-');
  const clock = manualClock();
  const services = openGatewayStore(
    resolveGatewayOptions({ dataDir: dir.path, logLevel: 'silent', ...overrides }),
    clock,
    uuidV7,
  );
  services.projections.catchUp(services.log);
  const app = await buildHttpApp(services, pino({ level: 'silent' }));
  const nurse = await addTestUser(services, 'nurse', { username: 'amna', displayName: 'آمنة عثمان' });
  return {
    app,
    services,
    clock,
    dataDir: dir.path,
    nurse,
    nurseHeaders: sessionCookieFor(services, nurse),
    signIn: async (role) => sessionCookieFor(services, await addTestUser(services, role)),
    async close() {
      await app.close();
      services.db.close();
      dir.remove();
    },
  };
}

/** A patient as a registration clerk enters one; national ID and phone are PHI. */
export function newPatient(
  patientId: string,
  phi = { sudanNationalId: 'SD7391046285', phone: '+249912345678' },
) {
  return {
    patientId,
    firstName: 'Fatima',
    lastName: 'Ahmed',
    fatherName: 'Ahmed',
    sex: 'female',
    birthDate: '1988-04-12',
    locality: 'Omdurman',
    ...phi,
  };
}

export async function registerPatient(
  gateway: InjectedGateway,
  patientId: string,
  phi?: { sudanNationalId: string; phone: string },
) {
  const response = await gateway.app.inject({
    method: 'POST',
    url: '/api/v1/patients',
    headers: gateway.nurseHeaders,
    payload: newPatient(patientId, phi),
  });
  if (response.statusCode !== 201)
    throw new Error(`registering ${patientId} answered ${response.statusCode}: ${response.body}`);
  return response.json() as {
    patientId: string;
    events: { eventId: string; eventType: string; seq: number }[];
  };
}

export function errorOf(response: LightMyRequestResponse) {
  return response.json() as {
    code: string;
    message: string;
    statusCode: number;
    details?: { issues?: { field: string; rule: string; message: string }[]; quarantineId?: number };
  };
}

/** Every text cell of a table, as SQLite holds it (BLOBs decoded as UTF-8). */
export function tableText(
  services: GatewayServices,
  table: 'events' | 'projection_docs' | 'quarantine',
): string {
  const rows = services.db.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[];
  return rows
    .map((row) =>
      Object.values(row)
        .map((value) => (Buffer.isBuffer(value) ? value.toString('utf8') : String(value)))
        .join('\u0000'),
    )
    .join('\n');
}

/** The bytes of every file of the database (main file, WAL), as one string to search. */
export function databaseFilesText(dataDir: string): string {
  return readdirSync(dataDir)
    .filter((name) => name.startsWith('gateway.db'))
    .map((name) => readFileSync(join(dataDir, name)).toString('latin1'))
    .join('\n');
}
