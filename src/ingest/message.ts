/**
 * The one shape every tracking protocol is normalised into before the writer stores it: the
 * Segment Spec's common fields (https://segment.com/docs/connections/spec/common/), plus what
 * Chorus derives on the way in — typed identifiers, trait operations, the order amount.
 */
export type MessageType = 'identify' | 'track' | 'page' | 'screen' | 'group' | 'alias'

/**
 * A typed identifier as found on a message: `user_id`, `anonymous_id`, `email`, `phone`,
 * `wechat_openid`, `wechat_unionid`, `device_id`, or a custom type. Values are raw here; the
 * identity module normalises and filters them.
 */
export interface Identifier {
  type: string
  value: string
}

/** Profile trait operations (Segment identify = `set`; Sensors profile_* map one to one). */
export type TraitOp =
  | { op: 'set'; traits: Record<string, unknown> }
  | { op: 'set_once'; traits: Record<string, unknown> }
  | { op: 'increment'; traits: Record<string, number> }
  | { op: 'append'; traits: Record<string, unknown[]> }
  | { op: 'unset'; keys: string[] }
  | { op: 'delete' }

export interface IngestMessage {
  messageId: string
  type: MessageType
  /** Track: the event name; page/screen: the page name. */
  event: string | null
  userId: string | null
  anonymousId: string | null
  /** When it happened (epoch ms), corrected for client clock skew. */
  timestamp: number
  receivedAt: number
  /** The normalised message as stored in the log (Segment-shaped JSON). */
  payload: Record<string, unknown>
  /** `payload` already serialised, when a normaliser or another thread has done it. */
  payloadJson?: string
  /** Identifiers that may link this message to a profile. */
  identifiers: Identifier[]
  traitOps: TraitOp[]
  /** Identifiers to detach from their profile (Sensors track_id_unbind). */
  unlink: Identifier[]
  /** The acquisition channel as the message itself says (UTM source, SDK platform), lower-case. */
  channel: string | null
  /** From `Order Completed`: the amount in minor units and its currency. */
  order: { amountMinor: number; currency: string } | null
}

/** A message that could not be accepted, with the reason a person can act on. */
export interface Rejection {
  index: number
  messageId?: string
  reason: string
}
