export interface AudiencesTable {
  id: string
  workspace_id: string
  name: string
  description: string | null
  /** `dynamic` (kept up to date from a definition) or `static` (uploaded members). */
  kind: string
  definition: string | null
  /** `active` or `paused` (membership frozen). */
  status: string
  version: number
  next_check_at: number | null
  swept_at: number | null
  created_at: number
  updated_at: number
}

export interface AudienceMembersTable {
  workspace_id: string
  audience_id: string
  profile_id: string
  entered_at: number
}

export interface AudienceRecomputesTable {
  id: string
  workspace_id: string
  audience_id: string
  audience_version: number
  /** `queued`, `running`, `done` or `failed`. */
  status: string
  reason: string
  matched: number | null
  total: number | null
  done: number
  entered: number
  exited: number
  error: string | null
  created_at: number
  started_at: number | null
  finished_at: number | null
}
