import type { Kysely } from 'kysely'
import type { Clock, Database, JobQueue, Schema } from '../../platform/index.ts'
import { createAudience, uploadStaticMembers } from '../../audiences/index.ts'
import { InvalidMeasurementInput } from './input-error.ts'

/**
 * Saves a list of people (a funnel step's drop-offs or converters) as a static audience, through
 * the audiences module: the audience is created empty, then filled by its identifier upload. Each
 * person is named by one of their identifiers — the most stable they have, in the order below —
 * which the upload resolves back to the same person. People with no identifier left (all detached)
 * cannot be named and are counted.
 */
const PREFERRED_TYPES = ['user_id', 'wechat_unionid', 'phone', 'email', 'wechat_openid', 'device_id', 'anonymous_id']

export interface SavedAudience {
  audienceId: string
  name: string
  people: number
  members: number
  withoutIdentifier: number
}

/**
 * @example await saveStaticAudience(ctx, { workspaceId, name: 'Dropped at checkout', people: ids })
 */
export async function saveStaticAudience(
  ctx: { database: Database; jobs: JobQueue; clock: Clock },
  input: { workspaceId: string; name: string; description?: string; people: readonly string[] },
): Promise<SavedAudience> {
  const identifiers = await oneIdentifierEach(ctx.database.db, input.workspaceId, input.people)
  const created = await createAudience(ctx, input.workspaceId, { name: input.name, description: input.description ?? null, kind: 'static' })
  if (created.kind === 'NameTaken') throw new InvalidMeasurementInput(`An audience named "${input.name}" already exists; choose another name`, { status: 409, code: 'NameTaken' })
  if (created.kind !== 'Saved') throw new InvalidMeasurementInput(`The audience could not be created: ${created.kind === 'Invalid' ? created.issues.map((i) => `${i.path} ${i.message}`).join('; ') : created.kind}`)
  const csv = ['type,value', ...[...identifiers.values()].map(({ type, value }) => `${csvField(type)},${csvField(value)}`)].join('\n') + '\n'
  const upload = await uploadStaticMembers({ database: ctx.database, clock: ctx.clock, audience: { id: created.audience.id, name: input.name, workspaceId: input.workspaceId }, csv, mode: 'replace' })
  if (upload.kind !== 'Uploaded') throw new Error(`Uploading generated members failed: ${upload.message}`)
  return { audienceId: created.audience.id, name: input.name, people: input.people.length, members: upload.report.people, withoutIdentifier: input.people.length - identifiers.size }
}

async function oneIdentifierEach(db: Kysely<Schema>, workspaceId: string, people: readonly string[]): Promise<Map<string, { type: string; value: string }>> {
  const out = new Map<string, { type: string; value: string }>()
  const rank = (type: string) => {
    const i = PREFERRED_TYPES.indexOf(type)
    return i < 0 ? PREFERRED_TYPES.length : i
  }
  for (let i = 0; i < people.length; i += 5000) {
    const rows = await db.selectFrom('identities').select(['profile_id', 'type', 'value']).where('workspace_id', '=', workspaceId).where('profile_id', 'in', people.slice(i, i + 5000)).execute()
    for (const r of rows) {
      const current = out.get(r.profile_id)
      if (!current || rank(r.type) < rank(current.type) || (rank(r.type) === rank(current.type) && r.value < current.value)) out.set(r.profile_id, { type: r.type, value: r.value })
    }
  }
  return out
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value
}
