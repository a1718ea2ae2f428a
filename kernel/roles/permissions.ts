/**
 * Who may do what: the one role matrix of the gateway's API (every
 * API route checks the role it needs). A route names the permission it needs
 * in its options, `config: { permission: 'clinical.read' }`; the session guard
 * (sessionGuard.ts) refuses a route that names none, so a forgotten
 * declaration fails closed. docs/security-access.md explains each one.
 */
export const roles = ['nurse', 'physician', 'technician', 'admin'] as const;
export type Role = (typeof roles)[number];

export const permissions = [
  /** Patients, charts, timelines, encounters, alerts, vitals, diagnoses, medications, lab results: reading. */
  'clinical.read',
  /** Register and update patients; admit, transfer, discharge; beds. */
  'patients.write',
  /** Vital signs entered by hand. */
  'vitals.write',
  /** Acknowledge an alert. */
  'alerts.acknowledge',
  /** Record that a medication was given. */
  'medications.administer',
  /** Change an open encounter's attending physician, class or reason. */
  'encounters.write',
  /** Add, update, resolve diagnoses. */
  'diagnoses.write',
  /** Prescribe and discontinue medications. */
  'prescriptions.write',
  /** Order laboratory tests, cancel an order. */
  'labOrders.write',
  /** Choose a patient's NEWS2 SpO2 scale (scale 2: hypercapnic respiratory failure, a clinician's judgement). */
  'news2Scale.write',
  /** Record that an ordered specimen was drawn and labelled. */
  'specimens.collect',
  /** A patient's national ID in clear (each reveal is audited). */
  'nationalId.reveal',
  /** The live stream of readings, alerts and device state (no demographics). */
  'stream.read',
  /** Devices: registration, binding, connection state. */
  'devices.read',
  'devices.manage',
  /** Whether the clinic's data has reached the hub. */
  'sync.read',
  /** Refused input with its reason. */
  'quarantine.read',
  /** Create, list and disable users. */
  'users.manage',
  /** Any signed-in user: one's own session. */
  'session',
] as const;
export type Permission = (typeof permissions)[number];

/** What a route declares: a permission, or `public` for the few routes anyone may call. */
export type RouteAccess = Permission | 'public';

const clinicalCare: readonly Permission[] = [
  'session',
  'clinical.read',
  'patients.write',
  'vitals.write',
  'alerts.acknowledge',
  'medications.administer',
  'specimens.collect',
  'nationalId.reveal',
  'stream.read',
  'devices.read',
  'sync.read',
];

/**
 * The matrix. A technician keeps the devices and the link running and sees no
 * patient data: no national IDs, no clinical reads or writes.
 */
export const rolePermissions: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  nurse: new Set(clinicalCare),
  physician: new Set([
    ...clinicalCare,
    'encounters.write',
    'diagnoses.write',
    'prescriptions.write',
    'labOrders.write',
    'news2Scale.write',
  ]),
  technician: new Set([
    'session',
    'stream.read',
    'devices.read',
    'devices.manage',
    'sync.read',
    'quarantine.read',
  ]),
  admin: new Set(permissions),
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}

export function roleMay(role: Role, permission: Permission): boolean {
  return rolePermissions[role].has(permission);
}

/**
 * Routes registered by plugins that take no route options (the static UI
 * files, the OpenAPI pages): public by their URL. Everything else declares
 * its access on the route.
 */
export const publicUrlPrefixes: readonly string[] = ['/ui/', '/docs'];

export function isPublicUrl(routeUrl: string): boolean {
  return publicUrlPrefixes.some(
    (prefix) => routeUrl === prefix.replace(/\/$/, '') || routeUrl.startsWith(prefix),
  );
}
