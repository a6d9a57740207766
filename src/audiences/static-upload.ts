import { chunked, type Clock, type Database } from '../platform/index.ts'
import { getIdentityRules, normaliseIdentifierValue } from '../identity/index.ts'
import { parseCsv } from './csv.ts'
import { addMembers, MembershipChanges, removeMembers } from './membership-writer.ts'
import { dependentsOf, flushMembershipEvents, reevaluate } from './reevaluate.ts'
import { workspaceAudiences } from './store.ts'
import { workspaceFacts } from './workspace-facts.ts'

export type UploadMode = 'replace' | 'append'

export interface UploadReport {
  mode: UploadMode
  /** Data rows read (the header not counted). */
  rows: number
  /** Rows whose identifier found a profile. */
  matched: number
  /** Distinct people those rows found. */
  people: number
  /** The first 1,000 rows that found nobody, with their line in the file and why. */
  unmatched: Array<{ line: number; reason: string }>
  unmatchedCount: number
  entered: number
  exited: number
}

export type UploadOutcome = { kind: 'Uploaded'; report: UploadReport } | { kind: 'BadFile'; message: string }

const KNOWN_TYPES = ['user_id', 'anonymous_id', 'email', 'phone', 'wechat_openid', 'wechat_unionid', 'device_id']
const TYPE_NAME = /^[a-z][a-z0-9_]{0,63}$/
const MAX_REPORTED = 1_000
const CHANGES_PER_TRANSACTION = 5_000

/**
 * Sets a static audience's members from a CSV of identifiers. The header names the columns:
 * `type,value` (a row per identifier, any type), or a column named after one identifier type
 * (`email`, `phone`, `user_id`…). Values are normalised as at ingest (emails lower-cased, phones
 * to E.164). `append` adds the people found; `replace` makes them the whole membership (others
 * leave). Entries, exits and the audiences that read this one are written a chunk per
 * transaction; the report lists rows that found nobody by line.
 *
 * @example await uploadStaticMembers({ database, clock, audience, csv: 'email\na@example.com\n', mode: 'append' })
 */
export async function uploadStaticMembers(input: {
  database: Database
  clock: Clock
  audience: { id: string; name: string; workspaceId: string }
  csv: string
  mode: UploadMode
}): Promise<UploadOutcome> {
  const { database, audience, mode } = input
  const db = database.db
  const records = parseCsv(input.csv)
  const header = records.next()
  if (header.done) return { kind: 'BadFile', message: 'The file is empty: send a header row (type,value — or one column named email, phone, user_id…) then one identifier per row' }
  const columns = readHeader(header.value.fields)
  if (typeof columns === 'string') return { kind: 'BadFile', message: columns }

  const rules = await getIdentityRules(db, audience.workspaceId)
  const report: UploadReport = { mode, rows: 0, matched: 0, people: 0, unmatched: [], unmatchedCount: 0, entered: 0, exited: 0 }
  const miss = (line: number, reason: string) => {
    report.unmatchedCount++
    if (report.unmatched.length < MAX_REPORTED) report.unmatched.push({ line, reason })
  }
  const wanted = new Map<string, Array<{ line: number; value: string }>>()
  for (const record of records) {
    report.rows++
    const type = columns.type !== null ? columns.type : (record.fields[columns.typeColumn!] ?? '').trim().toLowerCase()
    const raw = record.fields[columns.valueColumn] ?? ''
    if (!TYPE_NAME.test(type)) {
      miss(record.line, type === '' ? 'no identifier type' : `"${type}" is not an identifier type`)
      continue
    }
    if (raw.trim() === '') {
      miss(record.line, 'no value')
      continue
    }
    const value = normaliseIdentifierValue(type, raw, rules.defaultCountryCode)
    if (value === null) {
      miss(record.line, `"${raw.trim()}" is not a valid ${type}`)
      continue
    }
    let list = wanted.get(type)
    if (!list) wanted.set(type, (list = []))
    list.push({ line: record.line, value })
  }

  const people = new Set<string>()
  for (const [type, rows] of wanted) {
    const found = new Map<string, string>()
    for (const part of chunked([...new Set(rows.map((r) => r.value))], 5_000)) {
      const hits = await db.selectFrom('identities').select(['value', 'profile_id']).where('workspace_id', '=', audience.workspaceId).where('type', '=', type).where('value', 'in', part).execute()
      for (const h of hits) found.set(h.value, h.profile_id)
    }
    for (const row of rows) {
      const profileId = found.get(row.value)
      if (profileId === undefined) miss(row.line, `no profile has ${type} ${row.value}`)
      else {
        report.matched++
        people.add(profileId)
      }
    }
  }
  report.unmatched.sort((a, b) => a.line - b.line)
  report.people = people.size

  const current = new Set((await db.selectFrom('audience_members').select('profile_id').where('audience_id', '=', audience.id).execute()).map((r) => r.profile_id))
  const toAdd = [...people].filter((id) => !current.has(id))
  const toRemove = mode === 'replace' ? [...current].filter((id) => !people.has(id)) : []
  const facts = await workspaceFacts(db, audience.workspaceId)
  for (const [kind, ids] of [['add', toAdd], ['remove', toRemove]] as const) {
    for (const part of chunked(ids, CHANGES_PER_TRANSACTION)) {
      await db.transaction().execute(async (trx) => {
        const now = input.clock.now()
        const changes = new MembershipChanges()
        let changed: string[]
        if (kind === 'add') changed = await addMembers(trx, database.dialect, audience, part, now, changes)
        else {
          const existing = new Set((await trx.selectFrom('profiles').select('id').where('workspace_id', '=', audience.workspaceId).where('id', 'in', part).execute()).map((r) => r.id))
          changed = await removeMembers(trx, audience, part, now, changes, new Set(part.filter((id) => !existing.has(id))))
        }
        report.entered += changes.byAudience.get(audience.id)?.entered ?? 0
        report.exited += changes.byAudience.get(audience.id)?.exited ?? 0
        const audiences = await workspaceAudiences(trx, audience.workspaceId)
        const scope = { trx, dialect: database.dialect, workspaceId: audience.workspaceId, now, ...facts, audiences }
        await reevaluate(scope, new Map(dependentsOf(audiences, audience.id).map((d) => [d.id, new Set(changed)])), changes)
        await flushMembershipEvents(scope, changes)
      })
    }
  }
  return { kind: 'Uploaded', report }
}

type Columns = { type: string; typeColumn: null; valueColumn: number } | { type: null; typeColumn: number; valueColumn: number }

function readHeader(fields: string[]): Columns | string {
  const names = fields.map((f) => f.trim().toLowerCase())
  const typeColumn = names.indexOf('type')
  const valueColumn = names.indexOf('value')
  if (typeColumn >= 0 && valueColumn >= 0) return { type: null, typeColumn, valueColumn }
  const known = names.findIndex((n) => KNOWN_TYPES.includes(n))
  if (known >= 0) return { type: names[known]!, typeColumn: null, valueColumn: known }
  if (names.length === 1 && TYPE_NAME.test(names[0]!)) return { type: names[0]!, typeColumn: null, valueColumn: 0 }
  return `The header row ${JSON.stringify(fields.join(','))} names no identifier column: use "type,value" (one identifier type and value per row) or a column named after the type (${KNOWN_TYPES.join(', ')})`
}
