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
