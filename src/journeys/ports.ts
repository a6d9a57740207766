import type { Category, MessageSpec } from './definition/schema.ts'

/**
 * The edges of the journey engine: delivery (channels) and audience membership (audiences). The
 * engine is written against these ports only; `adapters/` holds the implementations — one over
 * the channels module, one that posts to an HTTP endpoint, one that reads membership from the log.
 */

/** Where a send comes from; passed to the channel so delivery events can be tied back. */
export interface SendAttribution {
  journeyId?: string
  version?: number
  nodeId?: string
  runId?: string
  broadcastId?: string
}

export interface SendRequest {
  workspaceId: string
  profileId: string
  /**
   * Stable for one send (journey run + node + visit, or broadcast + person). Stored by the engine
   * before this call; a sender must deliver at most once per key, even when called again with it.
   */
  idempotencyKey: string
  /** The channel guard rails were applied for (the one `resolveChannel` chose). */
  channel: string
  category: Category
  message: MessageSpec
  /** What the message may use besides the profile: the entry event's properties, for example. */
  context: Record<string, unknown>
  attribution: SendAttribution
  /** The person as the engine just read them (surviving profile, traits); senders may use it instead of reading again. */
  person?: { profileId: string; traits: Record<string, unknown> }
}

/**
 * A sender's answer. `blocked` is a decision not to send (unsubscribed, do-not-contact, no
 * address): final, recorded with its reason. `failed` is a delivery error; `retryable` says whether
 * calling again with the same key may succeed. `logged` says the sender has already written the
 * `Message Sent` / `Message Blocked` event to the log; otherwise the engine writes it.
 */
export type SendOutcome =
  | { kind: 'sent'; channel: string; providerMessageId: string | null; logged: boolean }
  | { kind: 'blocked'; reason: string; logged: boolean }
  | { kind: 'failed'; retryable: boolean; reason: string }

export type ChannelChoice = { kind: 'resolved'; channel: string } | { kind: 'unreachable'; reason: string; detail?: string }

export interface MessageSender {
  /** Channels this sender can deliver on (validation rejects others). */
  readonly channels: readonly string[]
  /**
   * Picks the channel for a person from a preference list (the first they can be reached on and
   * have not opted out of), so guard rails are applied to the channel that will really be used.
   */
  resolveChannel(input: { workspaceId: string; profileId: string; preferred: readonly string[]; category: Category }): Promise<ChannelChoice>
  send(request: SendRequest): Promise<SendOutcome>
  /** Optional: many sends in one call (broadcasts); outcomes in the same order. */
  sendBatch?(requests: readonly SendRequest[]): Promise<SendOutcome[]>
}

export interface AudienceMembership {
  isMember(workspaceId: string, audienceId: string, profileId: string): Promise<boolean>
  /** Members in a stable order, a page at a time; `after` is the last profile id of the previous page. */
  members(workspaceId: string, audienceId: string, page: { after: string | null; limit: number }): Promise<string[]>
  /** Whether the audience exists (validation); omitted when the adapter cannot tell. */
  exists?(workspaceId: string, audienceId: string): Promise<boolean>
}

export interface WebhookCall {
  url: string
  method: 'POST' | 'PUT' | 'PATCH'
  headers: Record<string, string>
  body: unknown
  idempotencyKey: string
}

export type WebhookResult = { kind: 'ok'; status: number } | { kind: 'failed'; retryable: boolean; reason: string }

/** Calls the URL of a journey's webhook node (a CRM, a coupon service…). */
export interface WebhookCaller {
  call(request: WebhookCall): Promise<WebhookResult>
}

/** What the engine needs from the outside world; passed explicitly, never global. */
export interface JourneyPorts {
  sender: MessageSender
  audiences: AudienceMembership
  webhooks: WebhookCaller
}
