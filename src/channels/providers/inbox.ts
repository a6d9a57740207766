import type { Kysely } from 'kysely'
import { writeJson, type Schema } from '../../platform/index.ts'
import { failed, sent, type ChannelProvider, type OutboundMessage, type ProviderResult } from '../provider.ts'

/** The built-in inbox needs no configuration; this id stands for it wherever a provider id goes. */
export const INBOX_PROVIDER_ID = 'inbox'

/**
 * The in-app inbox: "sending" stores the message for the person, and apps read it through
 * `GET /api/v1/inbox`. The row is keyed by Chorus's message id, so storing twice stores once —
 * this provider is idempotent by construction.
 *
 * @example new InboxProvider(db, clock).send({ messageId, idempotencyKey, workspaceId, profileId, to: profileId, content: { channel: 'inbox', title, body, data: {} } })
 */
export class InboxProvider implements ChannelProvider {
  readonly kind = 'inbox'
  readonly channel = 'inbox' as const
  readonly idempotency = { kind: 'key', windowMs: null } as const
  readonly #db: Kysely<Schema>
  readonly #clock: { now(): number }

  constructor(db: Kysely<Schema>, clock: { now(): number }) {
    this.#db = db
    this.#clock = clock
  }

  async send(message: OutboundMessage): Promise<ProviderResult> {
    const content = message.content
    if (content.channel !== 'inbox') return failed(false, `The inbox stores inbox content, not ${content.channel}`)
    if (!message.profileId) return failed(false, 'An inbox message needs a profile')
    await this.#db
      .insertInto('channel_inbox')
      .values({
        message_id: message.messageId,
        workspace_id: message.workspaceId,
        profile_id: message.profileId,
        title: content.title,
        body: content.body,
        url: content.url ?? null,
        data: writeJson(content.data ?? {}),
        created_at: this.#clock.now(),
        read_at: null,
      })
      .onConflict((oc) => oc.column('message_id').doNothing())
      .execute()
    return sent(message.messageId)
  }
}
