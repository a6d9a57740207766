import type { ProfileView } from './types.ts'

/** The name to show for a person: name traits, then an email or phone, then the id. */
export function displayName(p: Pick<ProfileView, 'id' | 'traits' | 'identities'>): string {
  for (const key of ['name', 'nickname', 'full_name', 'firstName', 'first_name', 'username']) {
    const value = p.traits[key]
    if (typeof value === 'string' && value.trim()) return value.trim()
  }
  return p.identities.find((i) => i.type === 'email')?.value ?? p.identities.find((i) => i.type === 'phone')?.value ?? p.id
}
