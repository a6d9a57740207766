import type { Kysely } from 'kysely'
import { readJson, type Schema } from '../../platform/index.ts'
import { JourneyDefinition, type JourneyNode } from '../definition/schema.ts'

export interface CompiledJourney {
  journeyId: string
  version: number
  definition: JourneyDefinition
  nodes: Map<string, JourneyNode>
}

/** Journeys a workspace's events may concern right now. */
export interface WorkspaceCatalog {
  /** The current version of every published journey: what events may enter. */
  entries: CompiledJourney[]
  /** Every version people may still be in (published or superseded, journey not archived). */
  live: CompiledJourney[]
  /** Event names that matter to any of them: entry, goal, or a wait. */
  eventNames: Set<string>
  entryEvents: Set<string>
  goalEvents: Set<string>
  waitEvents: Set<string>
}

/**
 * Parsed definitions by journey and version. A published version never changes, so it is parsed
 * once per process.
 */
export class DefinitionCache {
  readonly #compiled = new Map<string, CompiledJourney>()

  compile(journeyId: string, version: number, raw: unknown): CompiledJourney {
    const key = `${journeyId}:${version}`
    let compiled = this.#compiled.get(key)
    if (!compiled) {
      const definition = JourneyDefinition.parse(readJson(raw, {}))
      compiled = { journeyId, version, definition, nodes: new Map(definition.nodes.map((n) => [n.id, n])) }
      if (this.#compiled.size > 5_000) this.#compiled.clear()
      this.#compiled.set(key, compiled)
    }
    return compiled
  }

  async get(db: Kysely<Schema>, journeyId: string, version: number): Promise<CompiledJourney | null> {
    const cached = this.#compiled.get(`${journeyId}:${version}`)
    if (cached) return cached
    const row = await db.selectFrom('journey_versions').select('definition').where('journey_id', '=', journeyId).where('version', '=', version).executeTakeFirst()
    return row ? this.compile(journeyId, version, row.definition) : null
  }

  /** One query for every workspace in a batch of events. */
  async catalog(db: Kysely<Schema>, workspaceIds: readonly string[]): Promise<Map<string, WorkspaceCatalog>> {
    const out = new Map<string, WorkspaceCatalog>()
    if (workspaceIds.length === 0) return out
    const rows = await db
      .selectFrom('journeys as j')
      .innerJoin('journey_versions as v', 'v.journey_id', 'j.id')
      .select(['j.id', 'j.workspace_id', 'j.status', 'j.current_version', 'v.version'])
      .where('j.workspace_id', 'in', [...workspaceIds])
      .where('j.status', 'in', ['published', 'paused'])
      .where('v.state', 'in', ['published', 'superseded'])
      .execute()
    // Definitions travel only the first time a version is seen; published ones never change.
    const unseen = rows.filter((r) => !this.#compiled.has(`${r.id}:${r.version}`))
    for (const r of unseen) await this.get(db, r.id, r.version)
    for (const r of rows) {
      let catalog = out.get(r.workspace_id)
      if (!catalog) out.set(r.workspace_id, (catalog = { entries: [], live: [], eventNames: new Set(), entryEvents: new Set(), goalEvents: new Set(), waitEvents: new Set() }))
      const compiled = this.#compiled.get(`${r.id}:${r.version}`) ?? (await this.get(db, r.id, r.version))
      if (!compiled) continue
      catalog.live.push(compiled)
      const d = compiled.definition
      if (r.status === 'published' && r.current_version === r.version) {
        catalog.entries.push(compiled)
        catalog.entryEvents.add('event' in d.entry ? d.entry.event : AUDIENCE_ENTERED)
      }
      if (d.goal) catalog.goalEvents.add(d.goal.event)
      for (const node of d.nodes) if (node.type === 'wait_for_event') catalog.waitEvents.add(node.event)
    }
    for (const catalog of out.values()) {
      for (const names of [catalog.entryEvents, catalog.goalEvents, catalog.waitEvents]) for (const name of names) catalog.eventNames.add(name)
    }
    return out
  }
}

export const AUDIENCE_ENTERED = 'Audience Entered'
