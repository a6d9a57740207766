import type { Kysely } from 'kysely'
import { chunked, type Schema } from '../platform/index.ts'

/**
 * Erases what channels keep about people being deleted (PIPL art. 47, GDPR art. 17): their inbox,
 * consent records and do-not-contact flags, and the address and rendered content of every message
 * sent to them. The message rows themselves stay, emptied, so counts and idempotency keys hold.
 * Runs in the caller's transaction, beside the deletion of the profile.
 *
 * @example await eraseChannelData(trx, workspaceId, ['prf_…', 'prf_…'])
 */
export async function eraseChannelData(db: Kysely<Schema>, workspaceId: string, profileIds: string[]): Promise<{ messages: number }> {
  let messages = 0
  for (const part of chunked(profileIds, 1000)) {
    await db.deleteFrom('channel_inbox').where('workspace_id', '=', workspaceId).where('profile_id', 'in', part).execute()
    await db.deleteFrom('channel_consents').where('workspace_id', '=', workspaceId).where('profile_id', 'in', part).execute()
    await db.deleteFrom('channel_do_not_contact').where('workspace_id', '=', workspaceId).where('profile_id', 'in', part).execute()
    const result = await db
      .updateTable('channel_messages')
      .set({ recipient: null, content: null, links: '[]', profile_id: null })
      .where('workspace_id', '=', workspaceId)
      .where('profile_id', 'in', part)
      .executeTakeFirst()
    messages += Number(result.numUpdatedRows)
  }
  return { messages }
}
