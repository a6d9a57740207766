import type { JourneyResult } from './review/retrospective.ts'

/**
 * What the planner asks of the journeys module, when it is installed: whether a journey exists
 * (a task's deliverable may name one) and how the campaign's journeys did (for the review).
 * Without it, journey deliverables are taken as written and the review says journeys are not
 * available.
 */
export interface JourneyResultsPort {
  exists(workspaceId: string, journeyId: string): Promise<boolean>
  results(input: { workspaceId: string; journeyIds: readonly string[]; from: number; to: number }): Promise<JourneyResult[]>
}
