import type { Generated } from 'kysely'

export interface WorkspacesTable {
  id: string
  name: string
  settings: string
  created_at: number
}

export interface SourcesTable {
  id: string
  workspace_id: string
  name: string
  kind: string
  write_key: string
  created_at: number
}

export interface AdminTokensTable {
  id: string
  workspace_id: string
  name: string
  role: string
  token_hash: string
  created_at: number
  last_used_at: number | null
}

export interface EventsTable {
  seq: Generated<number>
  workspace_id: string
  message_id: string
  type: string
  event: string | null
  profile_id: string | null
  /** Virtual partition 0-63, from the profile id (see `platform/processors`). */
  part: number
  user_id: string | null
  anonymous_id: string | null
  channel: string | null
  timestamp: number
  received_at: number
  source_id: string | null
  /** For completed orders: the amount in minor units, and its currency. */
  order_minor: number | null
  order_currency: string | null
  payload: string
}

export interface IdentitiesTable {
  workspace_id: string
  type: string
  value: string
  profile_id: string
  created_at: number
}

export interface ProfilesTable {
  id: string
  workspace_id: string
  traits: string
  merged_into: string | null
  created_at: number
  updated_at: number
}

export interface MergesTable {
  /** Commit order of audit rows (never reused): what a reader asks for to learn the changes since it last looked. */
  seq: Generated<number>
  id: string
  workspace_id: string
  /** `merged` (two profiles became one), `refused` (a link that would break a rule) or `deleted` (an erasure). */
  kind: string
  survivor_id: string | null
  merged_id: string | null
  message_id: string | null
  identifiers: string
  reason: string
  actor: string
  created_at: number
}

export interface ProcessorCursorsTable {
  processor: string
  partition: number
  position: number
  leased_by: string | null
  lease_until: number | null
  updated_at: number
}

export interface JobsTable {
  id: string
  workspace_id: string | null
  kind: string
  dedupe_key: string
  run_at: number
  locked_until: number | null
  locked_by: string | null
  attempts: number
  max_attempts: number
  payload: string
  last_error: string | null
  created_at: number
}

export interface SuppressionsTable {
  workspace_id: string
  type: string
  value: string
  reason: string
  dropped_events: number
  created_at: number
}

export interface SeenMessagesTable {
  workspace_id: string
  message_id: string
  seen_at: number
}

export interface ItemsTable {
  workspace_id: string
  item_type: string
  item_id: string
  properties: string
  deleted: number
  updated_at: number
}

export interface IdentityRulesTable {
  workspace_id: string
  rules: string
  updated_at: number
}


/** Who wrote identities last; see src/identity/cache.ts. */
export interface IdentityEpochTable {
  id: number
  writer: string
  version: number
}

/** A file uploaded for import, its progress and its report (see src/ingest/import/import-store.ts). */
export interface ImportsTable {
  id: string
  workspace_id: string
  /** The file's name as the uploader gave it. */
  name: string
  format: string
  /** JSON: mapping, type, event, timezone. */
  options: string
  /** `queued`, `running`, `done`, `failed` or `interrupted`. */
  state: string
  bytes_total: number
  bytes_read: number
  rows_read: number
  stored: number
  duplicates: number
  suppressed: number
  rejected: number
  /** JSON: the first rejections, `[{ line, reason }]`. */
  rejections: string
  error: string | null
  /** The uploaded file while the import may still run or resume; null once it ended. */
  temp_path: string | null
  /** `host`, `pid` and start id of the process running it; null while queued for any process holding the file. */
  owner: string | null
  created_by: string
  created_at: number
  started_at: number | null
  finished_at: number | null
  heartbeat_at: number
}
