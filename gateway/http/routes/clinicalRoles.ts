/**
 * The roles each clinical route needs, declared as route config
 * (`config: { roles }`). The auth layer reads `request.routeOptions.config.roles`
 * and refuses a session whose role is not listed; the routes themselves only
 * declare it.
 */
export const staffRoles = { roles: ['nurse', 'physician', 'admin'] };
export const nurseRoles = { roles: ['nurse', 'physician'] };
export const physicianRoles = { roles: ['physician'] };

/** The route config type that carries the roles: pass it as the route's second type argument. */
export type RoleConfig = { roles: readonly string[] };
