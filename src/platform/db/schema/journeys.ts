/** A journey: its status and which version is live (journeys). */
export interface JourneysTable {
  id: string
  workspace_id: string
  name: string
  /** draft, published, paused or archived. */
  status: string
  current_version: number | null
  latest_version: number
  created_at: number
  updated_at: number
}

/** One version of a journey's graph; immutable once published. */
export interface JourneyVersionsTable {
  journey_id: string
  version: number
  workspace_id: string
  definition: string
  /** draft, published (the current one) or superseded. */
  state: string
  created_at: number
  published_at: number | null
}

/** One person's way through one journey version (journeys). */
export interface JourneyRunsTable {
  id: string
  workspace_id: string
  journey_id: string
  version: number
  profile_id: string
  state: string
  node_id: string
  token: number
  node_token: number
  mark_seq: number
  wait_event: string | null
  wait_until: number | null
  wake_at: number | null
  entry_seq: number
  entry_key: string
  entered_at: number
  updated_at: number
  ended_at: number | null
  end_reason: string | null
  converted_at: number | null
  goal_until: number | null
  active_key: string | null
  context: string
}

/** The send outbox: one row per idempotency key, stored before any provider is called. */
export interface JourneySendsTable {
  key: string
  workspace_id: string
  /** message or webhook. */
  kind: string
  journey_id: string | null
  version: number | null
  node_id: string | null
  run_id: string | null
  broadcast_id: string | null
  profile_id: string
  category: string
  channel: string | null
  /** queued, sending, sent, blocked, failed or cancelled. */
  state: string
  reason: string | null
  due_at: number
  attempts: number
  decided_at: number | null
  sent_at: number | null
  provider_id: string | null
  created_at: number
  updated_at: number
}

/** What happened at a node or to a broadcast's send; metrics are counted from these rows. */
export interface JourneyFactsTable {
  workspace_id: string
  journey_id: string | null
  version: number | null
  node_id: string | null
  broadcast_id: string | null
  run_id: string | null
  send_key: string | null
  kind: string
  detail: string | null
  at: number
}

/** Per-workspace guard rails for journey and broadcast sends (caps, quiet hours). */
export interface JourneySettingsTable {
  workspace_id: string
  guard_rails: string
  updated_at: number
}

/** One message to an audience, now or at a time, rate-limited. */
export interface BroadcastsTable {
  id: string
  workspace_id: string
  name: string
  audience_id: string
  spec: string
  status: string
  send_at: number
  rate_per_second: number | null
  fanout_cursor: string | null
  fanout_done: number
  total: number
  rate_tokens: number
  rate_at: number
  created_at: number
  updated_at: number
  paused_at: number | null
  finished_at: number | null
}
