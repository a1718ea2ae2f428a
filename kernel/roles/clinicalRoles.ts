/**
 * What each clinical route needs, declared as route config: the roles that
 * may call it, and the name of that permission in the auth layer's role
 * matrix. The auth layer reads `request.routeOptions.config` and refuses a
 * session whose role may not; the routes themselves only declare it.
 */
export const readChart = { roles: ['nurse', 'physician', 'admin'], permission: 'clinical.read' } as const;
export const admitPatients = {
  roles: ['nurse', 'physician', 'admin'],
  permission: 'patients.write',
} as const;
export const updateEncounters = {
  roles: ['physician', 'admin'],
  permission: 'encounters.write',
} as const;
export const writeDiagnoses = { roles: ['physician', 'admin'], permission: 'diagnoses.write' } as const;
export const writePrescriptions = {
  roles: ['physician', 'admin'],
  permission: 'prescriptions.write',
} as const;
export const chooseNews2Scale = { roles: ['physician', 'admin'], permission: 'news2Scale.write' } as const;
export const administerMedications = {
  roles: ['nurse', 'physician', 'admin'],
  permission: 'medications.administer',
} as const;
export const orderLabTests = { roles: ['physician', 'admin'], permission: 'labOrders.write' } as const;
export const collectSpecimens = {
  roles: ['nurse', 'physician', 'admin'],
  permission: 'specimens.collect',
} as const;

/** The route config type that carries them: pass it as the route's second type argument. */
export type RoleConfig = { readonly roles: readonly string[]; readonly permission: string };
