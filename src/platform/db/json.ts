/**
 * PostgreSQL's driver parses `jsonb` into objects; SQLite hands back the text. Every JSON column
 * is read through this so callers see the same value on both.
 */
export function readJson<T = unknown>(value: unknown, fallback: T): T {
  if (value === null || value === undefined) return fallback
  if (typeof value === 'string') {
    if (value === '') return fallback
    return JSON.parse(value) as T
  }
  return value as T
}

export function writeJson(value: unknown): string {
  return JSON.stringify(value ?? null)
}
