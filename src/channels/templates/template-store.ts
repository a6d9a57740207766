import type { Kysely } from 'kysely'
import { newId, readJson, writeJson, type Schema } from '../../platform/index.ts'
import { CHANNELS } from '../channel.ts'
import { checkLiquidSyntax } from './liquid.ts'
import { compileMjml } from './mjml.ts'
import { TemplateInput, type StoredTemplate, type TemplateVariants } from './template.ts'

export type TemplateWrite = { kind: 'Saved'; template: StoredTemplate; warnings: string[] } | { kind: 'Invalid'; issues: string[] } | { kind: 'NotFound' }

/**
 * Checks a template before it is stored: the schema, Liquid syntax of every field (unknown filters
 * included), and MJML validation of email bodies (reported as warnings: Liquid inside MJML can
 * only be judged once rendered, which the preview does).
 */
export async function validateTemplate(input: unknown): Promise<{ kind: 'Valid'; template: TemplateInput; warnings: string[] } | { kind: 'Invalid'; issues: string[] }> {
  const parsed = TemplateInput.safeParse(input)
  if (!parsed.success) return { kind: 'Invalid', issues: parsed.error.issues.map((i) => `${i.path.join('.') || '(template)'}: ${i.message}`) }
  const issues: string[] = []
  for (const [field, source] of liquidFields(parsed.data.variants)) {
    const problem = checkLiquidSyntax(field, source)
    if (problem) issues.push(problem.message)
  }
  if (issues.length > 0) return { kind: 'Invalid', issues }
  const warnings: string[] = []
  const mjml = parsed.data.variants.email?.mjml
  if (mjml !== undefined) warnings.push(...(await compileMjml(mjml)).errors.map((e) => `email.mjml ${e}`))
  return { kind: 'Valid', template: parsed.data, warnings }
}

/** Every Liquid string of the variants with its field path (`email.subject`, `sms.params.code`…). */
export function liquidFields(variants: TemplateVariants): Array<[string, string]> {
  const out: Array<[string, string]> = []
  const walk = (path: string, value: unknown) => {
    if (typeof value === 'string') out.push([path, value])
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(path ? `${path}.${k}` : k, v)
  }
  walk('', variants)
  return out
}

/**
 * Validates and stores a new template; `Invalid` lists what to fix.
 *
 * @example const saved = await createTemplate(db, { workspaceId, template: { name: 'Welcome', variants: { inbox: { title: 'Hi {{ profile.name }}', body: '…' } } }, now })
 */
export async function createTemplate(db: Kysely<Schema>, input: { workspaceId: string; template: unknown; now: number }): Promise<TemplateWrite> {
  const checked = await validateTemplate(input.template)
  if (checked.kind === 'Invalid') return checked
  const id = newId('tpl', input.now)
  await db
    .insertInto('channel_templates')
    .values({
      id,
      workspace_id: input.workspaceId,
      name: checked.template.name,
      description: checked.template.description ?? null,
      variants: writeJson(checked.template.variants),
      created_at: input.now,
      updated_at: input.now,
    })
    .execute()
  return { kind: 'Saved', template: (await getTemplate(db, input.workspaceId, id))!, warnings: checked.warnings }
}

/**
 * Replaces a template (name, description and every variant).
 *
 * @example await updateTemplate(db, { workspaceId, id: 'tpl_…', template: input, now })
 */
export async function updateTemplate(db: Kysely<Schema>, input: { workspaceId: string; id: string; template: unknown; now: number }): Promise<TemplateWrite> {
  const checked = await validateTemplate(input.template)
  if (checked.kind === 'Invalid') return checked
  const result = await db
    .updateTable('channel_templates')
    .set({ name: checked.template.name, description: checked.template.description ?? null, variants: writeJson(checked.template.variants), updated_at: input.now })
    .where('workspace_id', '=', input.workspaceId)
    .where('id', '=', input.id)
    .executeTakeFirst()
  if (Number(result.numUpdatedRows) === 0) return { kind: 'NotFound' }
  return { kind: 'Saved', template: (await getTemplate(db, input.workspaceId, input.id))!, warnings: checked.warnings }
}

/**
 * One template of the workspace.
 *
 * @example const template = await getTemplate(db, workspaceId, 'tpl_…') // null when absent
 */
export async function getTemplate(db: Kysely<Schema>, workspaceId: string, id: string): Promise<StoredTemplate | null> {
  const row = await db.selectFrom('channel_templates').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst()
  return row ? fromRow(row) : null
}

/**
 * Templates oldest first, cursor-paginated by id.
 *
 * @example const { items, nextCursor } = await listTemplates(db, workspaceId, { limit: 50 })
 */
export async function listTemplates(db: Kysely<Schema>, workspaceId: string, options: { limit: number; cursor?: string }): Promise<{ items: StoredTemplate[]; nextCursor: string | null }> {
  let query = db.selectFrom('channel_templates').selectAll().where('workspace_id', '=', workspaceId)
  if (options.cursor) query = query.where('id', '>', options.cursor)
  const rows = await query.orderBy('id').limit(options.limit + 1).execute()
  const items = rows.slice(0, options.limit).map(fromRow)
  return { items, nextCursor: rows.length > options.limit ? items[items.length - 1]!.id : null }
}

/**
 * Deletes a template; sent messages keep their rendered content.
 *
 * @example await deleteTemplate(db, workspaceId, 'tpl_…') // false when absent
 */
export async function deleteTemplate(db: Kysely<Schema>, workspaceId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('channel_templates').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}

export function templateView(t: StoredTemplate) {
  return {
    id: t.id,
    name: t.name,
    description: t.description ?? null,
    variants: t.variants,
    channels: CHANNELS.filter((c) => t.variants[c] !== undefined),
    createdAt: new Date(t.createdAt).toISOString(),
    updatedAt: new Date(t.updatedAt).toISOString(),
  }
}

function fromRow(row: Schema['channel_templates']): StoredTemplate {
  const template: StoredTemplate = {
    id: row.id,
    workspaceId: row.workspace_id,
    name: row.name,
    variants: readJson<TemplateVariants>(row.variants, {}),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  }
  if (row.description !== null) template.description = row.description
  return template
}
