import type { Generated } from 'kysely'

/**
 * The tables every module shares, as Kysely sees them. Times are epoch milliseconds (UTC);
 * JSON columns are `text` on SQLite and `jsonb` on PostgreSQL — write them as strings and read
 * them with `readJson`.
 */
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
  id: string
  workspace_id: string
  /** `merged` (two profiles became one) or `refused` (a link that would break a rule). */
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

/** Saved funnel definitions (measurement/customers). */
export interface CustomerFunnelsTable {
  id: string
  workspace_id: string
  name: string
  definition: string
  created_at: number
  updated_at: number
}

/** One model run (LTV, propensity, churn): its options, progress and, once done, its result. */
export interface CustomerModelsTable {
  id: string
  workspace_id: string
  kind: string
  /** `queued`, `running`, `succeeded` or `failed`. */
  status: string
  /** 0–1. */
  progress: number
  stage: string
  options: string
  result: string | null
  error: string | null
  created_at: number
  updated_at: number
  finished_at: number | null
}

/** The latest score of each kind per canonical profile (propensity, churn, predicted LTV…). */
export interface CustomerScoresTable {
  workspace_id: string
  kind: string
  profile_id: string
  score: number
  model_id: string
  computed_at: number
}

export interface CustomerLifecycleRulesTable {
  workspace_id: string
  rules: string
  updated_at: number
}

/** Dashboard users: sign-in name, scrypt password hash, role and department (src/users). */
export interface UsersTable {
  id: string
  workspace_id: string
  name: string
  display_name: string
  role: string
  department: string
  password_hash: string
  disabled: number
  failed_logins: number
  locked_until: number | null
  last_login_at: number | null
  created_at: number
  updated_at: number
}

/** Dashboard sessions, keyed by the SHA-256 of the cookie value (src/users). */
export interface SessionsTable {
  id_hash: string
  workspace_id: string
  user_id: string | null
  token_id: string | null
  csrf_token: string
  created_at: number
  last_seen_at: number
  expires_at: number
}

export interface ChannelSettingsTable {
  workspace_id: string
  /** HMAC key for tracking, unsubscribe and receipt tokens; never returned by the API. */
  token_secret: string
  public_url: string | null
  require_opt_in: string
  inbox_verification: number
  updated_at: number
}

export interface ChannelProvidersTable {
  id: string
  workspace_id: string
  name: string
  kind: string
  channel: string
  settings: string
  secrets: string
  is_default: number
  created_at: number
  updated_at: number
}

export interface ChannelProviderTokensTable {
  provider_id: string
  workspace_id: string
  access_token: string
  expires_at: number
  updated_at: number
}

export interface ChannelTemplatesTable {
  id: string
  workspace_id: string
  name: string
  description: string | null
  variants: string
  created_at: number
  updated_at: number
}

export interface ChannelMessagesTable {
  id: string
  workspace_id: string
  idempotency_key: string
  profile_id: string | null
  channel: string
  /** marketing or transactional */
  category: string
  provider_id: string | null
  provider_kind: string | null
  template_id: string | null
  journey_id: string | null
  node_id: string | null
  broadcast_id: string | null
  campaign: string | null
  recipient: string | null
  content: string | null
  links: string
  /** pending, sending, sent, failed, blocked or unknown (see docs/channels.md). */
  status: string
  retryable: number
  reason_code: string | null
  reason: string | null
  attempts: number
  provider_message_id: string | null
  lease_until: number | null
  last_attempt_at: number | null
  sent_at: number | null
  delivered_at: number | null
  created_at: number
  updated_at: number
}

export interface ChannelConsentsTable {
  workspace_id: string
  profile_id: string
  channel: string
  state: string
  updated_at: number
  source: string
}

export interface ChannelDoNotContactTable {
  workspace_id: string
  profile_id: string
  reason: string
  source: string
  created_at: number
}

export interface ChannelInboxTable {
  message_id: string
  workspace_id: string
  profile_id: string
  title: string
  body: string
  url: string | null
  data: string
  created_at: number
  read_at: number | null
}

/** Content hub (src/content/store): a message house and its versions (each save is a new version). */
export interface ContentHousesTable {
  id: string
  workspace_id: string
  name: string
  brand: string
  campaign_id: string | null
  current_version: number
  created_at: number
  updated_at: number
}

export interface ContentHouseVersionsTable {
  workspace_id: string
  house_id: string
  version: number
  house: string
  note: string | null
  created_by: string
  created_at: number
}

export interface ContentHouseReportsTable {
  house_id: string
  workspace_id: string
  house_version: number
  score: number | null
  report: string
  computed_at: number
}

/** A workspace's own version of a channel profile (an edited default, or a channel of its own). */
export interface ContentChannelProfilesTable {
  workspace_id: string
  channel_id: string
  profile: string
  updated_by: string
  updated_at: number
}

/** One cell of the content matrix: a house × channel × journey stage, with its review state. */
export interface ContentVariantsTable {
  id: string
  workspace_id: string
  house_id: string
  channel: string
  stage: string
  /** `draft`, `in_review`, `approved` or `published`. */
  state: string
  current_version: number
  created_at: number
  updated_at: number
}

export interface ContentVariantVersionsTable {
  workspace_id: string
  variant_id: string
  version: number
  persona: string | null
  fields: string
  hashtags: string
  house_version: number | null
  report: string | null
  score: number | null
  blocks: number | null
  warnings: number | null
  checked_at: number | null
  created_by: string
  created_at: number
}

/** The review trail: who moved which version of a variant to which state, when, and why. */
export interface ContentVariantEventsTable {
  seq: Generated<number>
  id: string
  workspace_id: string
  variant_id: string
  version: number
  action: string
  from_state: string | null
  to_state: string
  actor: string
  role: string
  comment: string | null
  at: number
}

export interface ContentAssetsTable {
  id: string
  workspace_id: string
  kind: string
  url: string
  title: string
  description: string | null
  tags: string
  meta: string
  created_by: string
  created_at: number
  updated_at: number
}

export interface ContentAssetTagsTable {
  workspace_id: string
  tag: string
  asset_id: string
}

export interface ContentAssetUsagesTable {
  workspace_id: string
  asset_id: string
  variant_id: string
  placement: string
  created_by: string
  created_at: number
}

/** Full-text search: a document (variant, house, asset, lesson) and its inverted-index terms. */
export interface ContentSearchDocsTable {
  workspace_id: string
  doc_id: string
  kind: string
  ref_id: string
  title: string
  body: string
  length: number
  updated_at: number
}

export interface ContentSearchTermsTable {
  workspace_id: string
  term: string
  doc_id: string
  tf: number
}

/** Campaign planner (src/campaigns): the plan is one validated JSON document per campaign. */
export interface CampaignsTable {
  id: string
  workspace_id: string
  name: string
  brand: string
  /** `planning`, `running` or `finished`. */
  status: string
  starts_at: number
  ends_at: number
  timezone: string
  currency: string
  house_id: string | null
  plan: string
  plan_version: number
  created_by: string
  created_at: number
  updated_at: number
}

export interface CampaignPlanEditsTable {
  id: string
  workspace_id: string
  campaign_id: string
  plan_version: number
  section: string
  changes: string
  reason: string | null
  actor: string
  at: number
}

export interface CampaignAlertsTable {
  id: string
  workspace_id: string
  campaign_id: string
  kind: string
  subject: string
  /** `open`, `confirmed`, `dismissed` or `resolved`. */
  status: string
  message: string
  data: string
  actions: string
  raised_at: number
  decided_at: number | null
  decided_by: string | null
  decision: string | null
}

export interface CampaignReviewsTable {
  campaign_id: string
  workspace_id: string
  report: string
  markdown: string
  generated_by: string
  generated_at: number
}

export interface CampaignLessonsTable {
  id: string
  workspace_id: string
  campaign_id: string | null
  title: string
  body: string
  channels: string
  metrics: string
  tags: string
  created_by: string
  created_at: number
}

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

/** Each workspace's ordered channel rules (measurement/grouping); `version` guards concurrent edits. */
export interface MeasurementChannelRulesTable {
  workspace_id: string
  rules: string
  version: number
  updated_at: number
}

/** Named conversion definitions (measurement/touchpoints). */
export interface MeasurementConversionsTable {
  workspace_id: string
  key: string
  definition: string
  created_at: number
  updated_at: number
}

/** Daily ad spend per channel and campaign, money in minor units (measurement/spend). */
export interface MeasurementSpendTable {
  workspace_id: string
  /** The ad account's local date, YYYY-MM-DD. */
  date: string
  channel: string
  /** '' when the export has no campaign. */
  campaign: string
  impressions: number
  clicks: number
  cost_minor: number
  currency: string
  source: string | null
  updated_at: number
}

/** Events per quarter hour and touch facts (see `src/events`); `facts` is '' for events that are not touches. */
export interface EventCountsTable {
  workspace_id: string
  /** Start of the quarter hour, epoch ms (UTC). */
  bucket: number
  facts: string
  events: number
}

/** Media-mix model runs (measurement/media-mix): job progress, the fitted model and its report. */
export interface MeasurementMmmModelsTable {
  id: string
  workspace_id: string
  /** `queued`, `running`, `fitted`, `insufficient_history` or `failed`. */
  status: string
  /** 0–1. */
  progress: number
  stage: string
  options: string
  dataset: string | null
  model: string | null
  result: string | null
  error: string | null
  created_by: string | null
  created_at: number
  updated_at: number
  finished_at: number | null
}

/** Who wrote identities last; see src/identity/cache.ts. */
export interface IdentityEpochTable {
  id: number
  writer: string
  version: number
}

export interface Schema {
  identity_epoch: IdentityEpochTable
  workspaces: WorkspacesTable
  sources: SourcesTable
  admin_tokens: AdminTokensTable
  events: EventsTable
  identities: IdentitiesTable
  profiles: ProfilesTable
  merges: MergesTable
  processor_cursors: ProcessorCursorsTable
  jobs: JobsTable
  suppressions: SuppressionsTable
  seen_messages: SeenMessagesTable
  items: ItemsTable
  identity_rules: IdentityRulesTable
  measurement_channel_rules: MeasurementChannelRulesTable
  measurement_conversions: MeasurementConversionsTable
  measurement_spend: MeasurementSpendTable
  measurement_mmm_models: MeasurementMmmModelsTable
  customer_funnels: CustomerFunnelsTable
  customer_models: CustomerModelsTable
  customer_scores: CustomerScoresTable
  customer_lifecycle_rules: CustomerLifecycleRulesTable
  users: UsersTable
  sessions: SessionsTable
  channel_settings: ChannelSettingsTable
  channel_providers: ChannelProvidersTable
  channel_provider_tokens: ChannelProviderTokensTable
  channel_templates: ChannelTemplatesTable
  channel_messages: ChannelMessagesTable
  channel_consents: ChannelConsentsTable
  channel_do_not_contact: ChannelDoNotContactTable
  channel_inbox: ChannelInboxTable
  content_houses: ContentHousesTable
  content_house_versions: ContentHouseVersionsTable
  content_house_reports: ContentHouseReportsTable
  content_channel_profiles: ContentChannelProfilesTable
  content_variants: ContentVariantsTable
  content_variant_versions: ContentVariantVersionsTable
  content_variant_events: ContentVariantEventsTable
  content_assets: ContentAssetsTable
  content_asset_tags: ContentAssetTagsTable
  content_asset_usages: ContentAssetUsagesTable
  content_search_docs: ContentSearchDocsTable
  content_search_terms: ContentSearchTermsTable
  campaigns: CampaignsTable
  campaign_plan_edits: CampaignPlanEditsTable
  campaign_alerts: CampaignAlertsTable
  campaign_reviews: CampaignReviewsTable
  campaign_lessons: CampaignLessonsTable
  journeys: JourneysTable
  journey_versions: JourneyVersionsTable
  journey_runs: JourneyRunsTable
  journey_sends: JourneySendsTable
  journey_facts: JourneyFactsTable
  journey_settings: JourneySettingsTable
  broadcasts: BroadcastsTable
  audiences: AudiencesTable
  audience_members: AudienceMembersTable
  audience_recomputes: AudienceRecomputesTable
  event_counts: EventCountsTable
  imports: ImportsTable
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
  temp_path: string | null
  created_by: string
  created_at: number
  started_at: number | null
  finished_at: number | null
  heartbeat_at: number
}
