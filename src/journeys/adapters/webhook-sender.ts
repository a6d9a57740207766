import type { Database } from '../../platform/index.ts'
import { loadPeople, workspaceTimeZone } from '../delivery/people.ts'
import { renderScope, renderTemplate } from '../engine/render.ts'
import type { ChannelChoice, MessageSender, SendOutcome, SendRequest } from '../ports.ts'

export interface WebhookSenderOptions {
  /** Where messages are POSTed: a message gateway that takes `{ messages: [...] }`. */
  url: string
  database: Database
  /** Channels this gateway delivers on (default: `webhook`). */
  channels?: readonly string[]
  /** Extra headers, e.g. an Authorization for the gateway. */
  headers?: Record<string, string>
  /** Messages per HTTP request for batches. */
  batchSize?: number
  timeoutMs?: number
}

/** One message as the gateway receives it, content rendered for the person. */
export interface GatewayMessage {
  idempotencyKey: string
  profileId: string
  channel: string
  category: string
  subject?: string
  text?: string
  html?: string
  url?: string
  templateId?: string
  data?: Record<string, string>
  traits: Record<string, unknown>
  attribution: SendRequest['attribution']
}

/**
 * A sender that hands rendered messages to an HTTP message gateway — a company's own SMS/push
 * relay, or a test sink. Each request is `POST <url>` with `{ "messages": [...] }` (one or many);
 * the gateway answers `{ "results": [{ "idempotencyKey", "id" } | { "idempotencyKey", "error", "retryable" }] }`
 * and must deliver at most once per `idempotencyKey` (also sent as the `Idempotency-Key` header
 * for single messages) — after a crash Chorus repeats a send with the same key. Content is
 * Liquid in the channel templates' scope (`profile.name`, `event.properties.sku`). Consent and channel preference are the
 * channels module's: this gateway takes the first preferred channel it serves.
 *
 * @example const sender = new WebhookSender({ url: 'http://127.0.0.1:9000/messages', database })
 */
export class WebhookSender implements MessageSender {
  readonly channels: readonly string[]
  readonly #options: WebhookSenderOptions

  constructor(options: WebhookSenderOptions) {
    this.#options = options
    this.channels = options.channels ?? ['webhook']
  }

  async resolveChannel(input: { preferred: readonly string[] }): Promise<ChannelChoice> {
    const channel = input.preferred.find((c) => this.channels.includes(c))
    return channel ? { kind: 'resolved', channel } : { kind: 'unreachable', reason: 'no_channel' }
  }

  async send(request: SendRequest): Promise<SendOutcome> {
    const [outcome] = await this.sendBatch([request])
    return outcome!
  }

  async sendBatch(requests: readonly SendRequest[]): Promise<SendOutcome[]> {
    const out: SendOutcome[] = []
    const size = this.#options.batchSize ?? 500
    for (let i = 0; i < requests.length; i += size) out.push(...(await this.#post(requests.slice(i, i + size))))
    return out
  }

  async #post(requests: readonly SendRequest[]): Promise<SendOutcome[]> {
    const messages = await this.#render(requests)
    const headers: Record<string, string> = { 'content-type': 'application/json', ...this.#options.headers }
    if (messages.length === 1) headers['idempotency-key'] = messages[0]!.idempotencyKey
    let response: Response
    try {
      response = await fetch(this.#options.url, { method: 'POST', headers, body: JSON.stringify({ messages }), signal: AbortSignal.timeout(this.#options.timeoutMs ?? 30_000) })
    } catch (error) {
      const reason = `gateway unreachable: ${(error as Error).message}`
      return requests.map(() => ({ kind: 'failed', retryable: true, reason }))
    }
    const text = await response.text()
    if (!response.ok) {
      const retryable = response.status >= 500 || response.status === 429 || response.status === 408
      return requests.map(() => ({ kind: 'failed', retryable, reason: `gateway answered ${response.status}: ${text.slice(0, 200)}` }))
    }
    let results: Array<{ idempotencyKey?: string; id?: string; error?: string; retryable?: boolean }>
    try {
      results = (JSON.parse(text) as { results: typeof results }).results
      if (!Array.isArray(results)) throw new Error('no results array')
    } catch (error) {
      return requests.map(() => ({ kind: 'failed', retryable: true, reason: `gateway answer is not {"results": [...]}: ${(error as Error).message}` }))
    }
    const byKey = new Map(results.map((r) => [r.idempotencyKey, r]))
    return requests.map((request) => {
      const result = byKey.get(request.idempotencyKey)
      if (!result) return { kind: 'failed', retryable: true, reason: 'gateway gave no result for this message' }
      if (result.error) return { kind: 'failed', retryable: result.retryable ?? false, reason: result.error }
      return { kind: 'sent', channel: request.channel, providerMessageId: result.id ?? null, logged: false }
    })
  }

  async #render(requests: readonly SendRequest[]): Promise<GatewayMessage[]> {
    const { database } = this.#options
    const workspaceId = requests[0]!.workspaceId
    const unknown = requests.filter((r) => !r.person).map((r) => r.profileId)
    const people = unknown.length > 0 ? await loadPeople(database.db, workspaceId, unknown, await workspaceTimeZone(database.db, workspaceId)) : new Map()
    return requests.map((r) => {
      const person = r.person ?? people.get(r.profileId)
      const scope = renderScope(person?.profileId ?? r.profileId, person?.traits ?? {}, (r.context.eventName as string | null) ?? null, (r.context.event as Record<string, unknown>) ?? {})
      const m = r.message
      const message: GatewayMessage = { idempotencyKey: r.idempotencyKey, profileId: scope.profile.id, channel: r.channel, category: r.category, traits: scope.traits, attribution: r.attribution }
      if (m.subject !== undefined) message.subject = renderTemplate(m.subject, scope)
      if (m.text !== undefined) message.text = renderTemplate(m.text, scope)
      if (m.html !== undefined) message.html = renderTemplate(m.html, scope)
      if (m.url !== undefined) message.url = renderTemplate(m.url, scope)
      if (m.templateId !== undefined) message.templateId = m.templateId
      if (m.data !== undefined) message.data = Object.fromEntries(Object.entries(m.data).map(([k, v]) => [k, renderTemplate(v, scope)]))
      return message
    })
  }
}
