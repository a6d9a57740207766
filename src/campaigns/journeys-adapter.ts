import type { Kysely } from 'kysely'
import { getJourney } from '../journeys/index.ts'
import type { Schema } from '../platform/index.ts'
import type { JourneyResultsPort } from './ports.ts'

/**
 * Journey results for the review, from the journeys module: a journey exists when the journeys
 * store knows it; its results are its runs that entered within the campaign — how many people
 * entered, how many runs reached the end of the journey or its goal, and how many converted
 * (the journey's own conversion, `converted_at` on the run).
 */
export function journeysFromModule(db: Kysely<Schema>): JourneyResultsPort {
  return {
    async exists(workspaceId, journeyId) {
      return (await getJourney(db, workspaceId, journeyId)) !== null
    },
    async results({ workspaceId, journeyIds, from, to }) {
      const out = []
      for (const journeyId of journeyIds) {
        const journey = await getJourney(db, workspaceId, journeyId)
        if (!journey) continue
        const row = await db
          .selectFrom('journey_runs')
          .select((eb) => [
            eb.fn.countAll<number>().as('entered'),
            eb.fn.count<number>('converted_at').as('converted'),
            eb.fn.sum<number>(eb.case().when('end_reason', 'in', ['exit', 'goal']).then(1).else(0).end()).as('completed'),
          ])
          .where('workspace_id', '=', workspaceId)
          .where('journey_id', '=', journeyId)
          .where('entered_at', '>=', from)
          .where('entered_at', '<', to)
          .executeTakeFirstOrThrow()
        out.push({ journeyId, name: journey.name, entered: Number(row.entered), completed: Number(row.completed ?? 0), converted: Number(row.converted) })
      }
      return out
    },
  }
}
