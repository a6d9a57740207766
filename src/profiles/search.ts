import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { sql, type Kysely } from 'kysely'
import { z } from 'zod'
import { readJson, type Schema } from '../platform/index.ts'
import { getIdentityRules, normaliseIdentifierValue } from '../identity/index.ts'
import type { AppContext } from '../server/context.ts'
import { requirePermission, principalOf } from '../server/auth.ts'
import { HttpError } from '../server/errors.ts'

export const ProfileSearch = z.object({
  q: z.string().trim().max(200).optional().describe('Any identifier (phone, email, user id, openid…; exact or prefix) or text in a trait value'),
  identifierType: z.string().max(50).optional().describe('Only people with an identifier of this type, e.g. email, phone, wechat_openid'),
  trait: z
    .string()
    .max(300)
    .regex(/^[^=]+=.*$/, 'Write the trait filter as key=value, e.g. city=上海')
    .optional()
    .describe('Only people whose trait equals a value, written key=value'),
  limit: z.coerce.number().int().min(1).max(200).default(25),
  cursor: z.string().max(200).optional(),
})
export type ProfileSearch = z.infer<typeof ProfileSearch>

export interface ProfileSummary {
  id: string
  displayName: string
  traits: Record<string, unknown>
  identities: Array<{ type: string; value: string }>
  createdAt: string
  updatedAt: string
  /** How the search found this person: by an identifier, or by text in a trait. */
  match: 'identifier' | 'trait' | null
}

const IDENTIFIER_MATCHES = 50

/**
 * People search for the dashboard: an identifier typed in full or in part finds its person first
 * (normalised as at ingest, so `138 0013 8000` finds `+8613800138000`), then people with the
 * text in a trait value, most recently updated first. Only surviving profiles are listed (a
 * merged profile's identifiers belong to the person it was merged into).
 *
 * @example
 * const page = await searchProfiles(db, workspaceId, { q: '13800138000', limit: 25 })
 * page.items[0]?.match // 'identifier'
 */
export async function searchProfiles(db: Kysely<Schema>, workspaceId: string, search: ProfileSearch): Promise<{ items: ProfileSummary[]; nextCursor: string | null }> {
  const q = search.q ?? ''
  const after = decodeCursor(search.cursor)
  const byIdentifier = q ? await identifierMatches(db, workspaceId, q) : []

  let query = db.selectFrom('profiles').select(['id', 'traits', 'created_at', 'updated_at']).where('workspace_id', '=', workspaceId).where('merged_into', 'is', null)
  if (search.identifierType) {
    const type = search.identifierType
    query = query.where((eb) =>
      eb.exists(eb.selectFrom('identities as i').select('i.type').whereRef('i.profile_id', '=', 'profiles.id').where('i.workspace_id', '=', workspaceId).where('i.type', '=', type)),
    )
  }
  if (search.trait) {
    const eq = search.trait.indexOf('=')
    const key = JSON.stringify(search.trait.slice(0, eq).trim())
    const raw = search.trait.slice(eq + 1).trim()
    const value = /^-?\d+(\.\d+)?$|^(true|false)$/.test(raw) ? raw : JSON.stringify(raw)
    // Text match on the stored JSON: compact on SQLite (`"k":"v"`), `"k": "v"` from PostgreSQL's jsonb.
    const compact = likeContains(`${key}:${value}`)
    const spaced = likeContains(`${key}: ${value}`)
    query = query.where(sql<boolean>`(cast(traits as text) like ${compact} escape '\\' or cast(traits as text) like ${spaced} escape '\\')`)
  }
  if (q) {
    const pattern = likeContains(q.toLowerCase())
    query = query.where(sql<boolean>`lower(cast(traits as text)) like ${pattern} escape '\\'`)
    if (byIdentifier.length > 0) query = query.where('id', 'not in', byIdentifier)
  }
  if (after) query = query.where((eb) => eb.or([eb('updated_at', '<', after.updatedAt), eb.and([eb('updated_at', '=', after.updatedAt), eb('id', '<', after.id)])]))
  const rows = await query.orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(search.limit + 1).execute()
  const page = rows.slice(0, search.limit)
  const last = page[page.length - 1]
  const nextCursor = rows.length > search.limit && last ? encodeCursor(Number(last.updated_at), last.id) : null

  // Identifier matches lead the first page (and respect the other filters).
  let leading: typeof rows = []
  if (!after && byIdentifier.length > 0) {
    let lead = db.selectFrom('profiles').select(['id', 'traits', 'created_at', 'updated_at']).where('workspace_id', '=', workspaceId).where('id', 'in', byIdentifier)
    if (search.identifierType) {
      const type = search.identifierType
      lead = lead.where((eb) => eb.exists(eb.selectFrom('identities as i').select('i.type').whereRef('i.profile_id', '=', 'profiles.id').where('i.workspace_id', '=', workspaceId).where('i.type', '=', type)))
    }
    const found = await lead.execute()
    leading = byIdentifier.map((id) => found.find((r) => r.id === id)).filter((r) => r !== undefined)
  }
  const all = [...leading.map((r) => ({ row: r, match: 'identifier' as const })), ...page.map((r) => ({ row: r, match: q ? ('trait' as const) : null }))]
  const ids = all.map((entry) => entry.row.id)
  const identities =
    ids.length === 0
      ? []
      : await db.selectFrom('identities').select(['profile_id', 'type', 'value']).where('workspace_id', '=', workspaceId).where('profile_id', 'in', ids).orderBy('type').orderBy('value').execute()
  const items = all.map(({ row, match }) => {
    const traits = readJson<Record<string, unknown>>(row.traits, {})
    const own = identities.filter((i) => i.profile_id === row.id).map((i) => ({ type: i.type, value: i.value }))
    return { id: row.id, displayName: displayNameOf(traits, own, row.id), traits, identities: own.slice(0, 8), createdAt: iso(row.created_at), updatedAt: iso(row.updated_at), match }
  })
  return { items, nextCursor }
}

/** Profiles (surviving ones) holding an identifier equal to, or starting with, what was typed. */
async function identifierMatches(db: Kysely<Schema>, workspaceId: string, q: string): Promise<string[]> {
  const rules = await getIdentityRules(db, workspaceId)
  const exact = new Set<string>([q])
  for (const type of ['email', 'phone']) {
    const normalised = normaliseIdentifierValue(type, q, rules.defaultCountryCode)
    if (normalised) exact.add(normalised)
  }
  const prefixes = [q]
  const digits = q.replace(/[\s()-]/g, '')
  if (/^\d{3,}$/.test(digits)) prefixes.push(`+${rules.defaultCountryCode}${digits}`)
  if (/^\+\d{3,}$/.test(digits)) prefixes.push(digits)
  const rows = await db
    .selectFrom('identities')
    .select(['profile_id', 'value'])
    .where('workspace_id', '=', workspaceId)
    .where((eb) => eb.or([eb('value', 'in', [...exact]), ...prefixes.map((p) => eb.and([eb('value', '>=', p), eb('value', '<', `${p}\uffff`)]))]))
    .limit(IDENTIFIER_MATCHES * 4)
    .execute()
  // Exact matches first; identifiers of merged profiles lead to the person they were merged into.
  rows.sort((a, b) => Number(!exact.has(a.value)) - Number(!exact.has(b.value)))
  const ids = [...new Set(rows.map((r) => r.profile_id))]
  if (ids.length === 0) return []
  const profiles = await db.selectFrom('profiles').select(['id', 'merged_into']).where('workspace_id', '=', workspaceId).where('id', 'in', ids).execute()
  const canonical = new Map(profiles.map((p) => [p.id, p.merged_into ?? p.id]))
  return [...new Set(ids.map((id) => canonical.get(id)).filter((id): id is string => id !== undefined))].slice(0, IDENTIFIER_MATCHES)
}

/** A name to show: the name traits, then an email or phone, then the id. */
export function displayNameOf(traits: Record<string, unknown>, identities: Array<{ type: string; value: string }>, id: string): string {
  for (const key of ['name', 'nickname', 'full_name', 'firstName', 'first_name', 'username']) {
    const value = traits[key]
    if (typeof value === 'string' && value.trim()) return value.trim()
  }
  return identities.find((i) => i.type === 'email')?.value ?? identities.find((i) => i.type === 'phone')?.value ?? id
}

function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

const iso = (ms: number) => new Date(Number(ms)).toISOString()

function encodeCursor(updatedAt: number, id: string): string {
  return Buffer.from(`${updatedAt}:${id}`).toString('base64url')
}

function decodeCursor(cursor: string | undefined): { updatedAt: number; id: string } | null {
  if (!cursor) return null
  const text = Buffer.from(cursor, 'base64url').toString('utf8')
  const colon = text.indexOf(':')
  const updatedAt = Number(text.slice(0, colon))
  if (colon < 0 || !Number.isSafeInteger(updatedAt)) throw new HttpError(400, 'InvalidCursor', 'The cursor is not one this API returned')
  return { updatedAt, id: text.slice(colon + 1) }
}

/** `GET /profiles`: list, filter and search people. */
export async function profileSearchRoutes(fastify: FastifyInstance, ctx: AppContext): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const db = ctx.database.db
  app.get(
    '/profiles',
    {
      preHandler: requirePermission(db, 'read'),
      schema: { description: 'Find people by any identifier or trait text; filter by identifier type or a trait value; cursor-paginated', tags: ['profiles'], querystring: ProfileSearch },
    },
    async (request) => searchProfiles(db, principalOf(request).workspaceId, request.query),
  )
}
