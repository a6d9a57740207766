import type { Logger } from 'pino'
import type { Clock, Database } from '../../platform/index.ts'
import type { JourneyPorts } from '../ports.ts'
import type { Run } from './runs.ts'
import type { DefinitionCache } from './definitions.ts'
import type { SendBatcher } from './send-batcher.ts'

/** What the engine's parts share; built once per process and passed explicitly. */
export interface EngineContext {
  database: Database
  clock: Clock
  logger: Logger
  ports: JourneyPorts
  definitions: DefinitionCache
  /** Journey sends of runs driven together go out in one delivery. */
  sends: SendBatcher
}

/**
 * What a node executor tells the driver: keep going (with the run as it just moved it, when it
 * knows it and nothing outside could have changed meanwhile; else the driver reads it — and with
 * its journey's status when it read that afresh), or stop.
 */
export type StepOutcome = { kind: 'continue'; run?: Run; journeyStatus?: string | null } | { kind: 'stop' }

export const CONTINUE: StepOutcome = { kind: 'continue' }
export const STOP: StepOutcome = { kind: 'stop' }
