import { z } from 'zod'
import { rankBySimilarity, worthSuggesting, type Similar } from './knowledge/similarity.ts'
import type { SectionDeps } from './plan-sections.ts'
import { GoalMetric } from './plan/schema.ts'
import type { CampaignRecord } from './store/campaigns.ts'
import { insertLesson, readLessons, type Lesson } from './store/lessons.ts'
import { invalidPlan, ok, type Outcome } from './store/outcome.ts'

/**
 * The knowledge base around campaigns: lessons written during or after a review, searchable in
 * Chinese and English, and suggested while planning a campaign with similar channels, goal
 * metrics or words (knowledge/similarity.ts).
 */
export const LessonInput = z.object({
  title: z.string().trim().min(1),
  body: z.string().trim().min(1),
  channels: z.array(z.string().trim().min(1)).optional().describe('Defaults to the campaign\'s channel mix'),
  metrics: z.array(GoalMetric).optional().describe('Defaults to the campaign\'s goal metrics'),
  tags: z.array(z.string().trim().min(1)).default([]),
})
export type LessonInput = z.input<typeof LessonInput>

export async function addLesson(deps: SectionDeps, input: { workspaceId: string; campaign: CampaignRecord | null; lesson: unknown; actor: string; now: number }): Promise<Outcome<Lesson>> {
  const parsed = LessonInput.safeParse(input.lesson)
  if (!parsed.success) {
    return invalidPlan(parsed.error.issues.map((i) => ({ code: 'input', message: `lesson.${i.path.map(String).join('.')}: ${i.message}`, subjects: [] })), 'the lesson is not valid')
  }
  const plan = input.campaign?.plan
  const lesson = await insertLesson(deps.database.db, deps.hub.searchIndex, {
    workspaceId: input.workspaceId,
    campaignId: input.campaign?.id ?? null,
    title: parsed.data.title,
    body: parsed.data.body,
    channels: parsed.data.channels ?? plan?.strategy.channelMix.map((m) => m.channel) ?? [],
    metrics: parsed.data.metrics ?? [...new Set((plan?.insight.goals ?? []).flatMap((g) => (g.metric ? [g.metric] : [])))],
    tags: parsed.data.tags,
    actor: input.actor,
    now: input.now,
  })
  return ok(lesson)
}

/** Lessons whose words match the query (BM25 over the content hub's index), best first. */
export async function searchLessons(deps: SectionDeps, input: { workspaceId: string; query: string; limit: number; cursor?: string | null }) {
  const page = await deps.hub.search({ workspaceId: input.workspaceId, query: input.query, kinds: ['lesson'], limit: input.limit, cursor: input.cursor ?? null })
  const lessons = new Map((await readLessons(deps.database.db, input.workspaceId, { ids: page.items.map((i) => i.refId) })).map((l) => [l.id, l]))
  return {
    items: page.items.flatMap((hit) => {
      const lesson = lessons.get(hit.refId)
      return lesson ? [{ lesson, score: hit.score, snippet: hit.snippet, highlights: hit.highlights }] : []
    }),
    total: page.total,
    nextCursor: page.nextCursor,
  }
}

/** The words a plan is compared on: its name, goals, personas, competitor notes, constraints, test hypothesis. */
export function planText(campaign: CampaignRecord): string {
  const { plan } = campaign
  return [
    campaign.name,
    ...plan.insight.goals.flatMap((g) => [g.statement, g.why ?? '']),
    ...plan.insight.personas.flatMap((p) => [p.name, p.description ?? '', ...p.needs]),
    ...plan.insight.competitors.map((c) => `${c.name} ${c.notes}`),
    ...plan.insight.resources.constraints,
    plan.strategy.budget?.test?.hypothesis ?? '',
  ]
    .filter(Boolean)
    .join('\n')
}

/** Lessons from other campaigns worth reading before this one, with why each was suggested. */
export async function suggestLessons(deps: SectionDeps, campaign: CampaignRecord, limit = 5): Promise<Array<{ lesson: Lesson; similarity: Similar }>> {
  const lessons = (await readLessons(deps.database.db, campaign.workspaceId)).filter((l) => l.campaignId !== campaign.id)
  if (lessons.length === 0) return []
  const plan = {
    channels: campaign.plan.strategy.channelMix.map((m) => m.channel),
    metrics: campaign.plan.insight.goals.flatMap((g) => (g.metric ? [g.metric] : [])),
    text: planText(campaign),
  }
  const ranked = rankBySimilarity(
    deps.hub.analyzer,
    plan,
    lessons.map((l) => ({ ...l, text: [l.title, l.body, ...l.tags].join('\n') })),
  )
  return ranked
    .filter((r) => worthSuggesting(r.similarity))
    .slice(0, limit)
    .map(({ item, similarity }) => {
      const { text: _text, ...lesson } = item
      return { lesson, similarity }
    })
}
