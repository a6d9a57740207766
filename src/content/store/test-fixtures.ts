import { createAdminToken } from '../../workspaces/index.ts'
import type { Kysely } from 'kysely'
import type { Schema } from '../../platform/index.ts'

/**
 * A small message house for the hub's tests: the demo brand's launch idea, with a mandatory
 * brand mention and a forbidden word, in Chinese with an English translation.
 */
export const TEST_HOUSE = {
  brand: '和声优品',
  coreMessage: '活力元气水补充电解质，让活力健康每一天。',
  coreMessageTranslations: { en: 'Yuanqi Water restores electrolytes for hydration and healthy energy every day.' },
  pillars: [
    { name: '补充电解质', keyPhrases: ['补充电解质'], synonyms: { 补充: ['补足'] }, proofPoints: ['每瓶含钠钾镁三种电解质'] },
    { name: '0糖0脂', keyPhrases: ['0糖0脂'], synonyms: { '0糖': ['零糖'] } },
    { name: '活力健康', keyPhrases: ['活力健康'] },
  ],
  mandatoryElements: [{ name: 'brand', kind: 'brand', anyOf: ['和声优品', '活力元气水'] }],
  forbiddenWords: [{ text: '治愈', reason: '饮料不得宣称疗效' }],
}

/** Another admin token with a role in an existing workspace (a second person on the team). */
export async function tokenFor(db: Kysely<Schema>, workspaceId: string, role: 'admin' | 'marketer' | 'content_reviewer' | 'viewer' | 'analyst', now: number) {
  const { token } = await createAdminToken(db, { workspaceId, name: `${role}-token`, role, now })
  return { authorization: `Bearer ${token}` }
}
