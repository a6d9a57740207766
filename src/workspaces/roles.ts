/**
 * Roles and what each may do. The API refuses what a role may not do; the dashboard hides it.
 * `write` covers creating and changing things; `delete` covers deletions and privacy erasure.
 */
export const ROLES = ['admin', 'marketer', 'analyst', 'content_reviewer', 'viewer'] as const
export type Role = (typeof ROLES)[number]

export type Permission = 'read' | 'write' | 'delete' | 'admin' | 'review'

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: ['read', 'write', 'delete', 'admin', 'review'],
  marketer: ['read', 'write', 'delete'],
  analyst: ['read'],
  content_reviewer: ['read', 'review'],
  viewer: ['read'],
}

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission)
}
