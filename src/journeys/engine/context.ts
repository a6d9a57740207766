import type { Logger } from 'pino'
import type { Clock, Database } from '../../platform/index.ts'
import type { JourneyPorts } from '../ports.ts'
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

/** What a node executor tells the driver: keep going with the moved run, or stop here. */
export type StepOutcome = { kind: 'continue' } | { kind: 'stop' }

export const CONTINUE: StepOutcome = { kind: 'continue' }
export const STOP: StepOutcome = { kind: 'stop' }
