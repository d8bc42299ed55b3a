/**
 * What a caller may do. A token carries a list of these; a person's role maps to a list (`scopesOfRole`).
 * A route names the one scope it needs.
 */
export const accessScopes = [
  'tickets:read',
  'tickets:write',
  'jobs:read',
  'jobs:run',
  'jobs:manage',
  'connections:test',
  'notifications:read',
  'quarantine:replay',
] as const;

export type AccessScope = (typeof accessScopes)[number];

/** Mailroom.Admin may do everything; Mailroom.Reader may read everything and change nothing. */
export type AccessRole = 'admin' | 'reader';

export function scopesOfRole(role: AccessRole): readonly AccessScope[] {
  return role === 'admin' ? accessScopes : accessScopes.filter((scope) => scope.endsWith(':read'));
}

export function isAccessScope(value: string): value is AccessScope {
  return (accessScopes as readonly string[]).includes(value);
}
