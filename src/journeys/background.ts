import type { Logger } from 'pino'
import type { Clock, Database, JobHandler, LogProcessor } from '../platform/index.ts'
import type { JourneyPorts } from './ports.ts'
import { DefinitionCache } from './engine/definitions.ts'
import { SendBatcher } from './engine/send-batcher.ts'
import type { EngineContext } from './engine/context.ts'
import { journeyEventProcessor } from './engine/event-processor.ts'
import { StepRunner } from './engine/step-runner.ts'
import { stepJobHandler } from './engine/step-jobs.ts'
import { ENTRY_STEPS_JOB, entryStepsJobHandler } from './engine/entry-steps.ts'
import { STEP_JOB } from './engine/runs.ts'
import { archiveRuns, resumeRuns } from './engine/lifecycle-jobs.ts'
import { ARCHIVE_JOB, RESUME_JOB } from './store/journeys-store.ts'
import { BROADCAST_JOB } from './broadcasts/store.ts'
import { runBroadcastPass } from './broadcasts/dispatcher.ts'

export interface JourneyWork {
  processors: LogProcessor[]
  jobHandlers: Record<string, JobHandler>
  /** The engine's shared state, for callers that drive runs directly (tests, the benchmark). */
  engine: EngineContext
  steps: StepRunner
}

/**
 * Everything journeys and broadcasts run in the background: the log processor (entries, waits
 * woken by events, goals, delivery metrics) and the job handlers (run steps and timers, broadcast
 * passes, resume and archive sweeps). `serve --role worker` runs them; so do tests, by hand.
 *
 * @example
 * const work = journeyBackgroundWork({ database, clock, logger }, { sender, audiences, webhooks })
 * new JobWorker({ queue, logger, handlers: work.jobHandlers }).start()
 */
export function journeyBackgroundWork(base: { database: Database; clock: Clock; logger: Logger }, ports: JourneyPorts): JourneyWork {
  const sends = new SendBatcher(() => ({ database: base.database, clock: base.clock, sender: ports.sender, logger: base.logger }))
  const engine: EngineContext = { ...base, ports, definitions: new DefinitionCache(), sends }
  const steps = new StepRunner(engine)
  return {
    processors: [journeyEventProcessor({ dialect: base.database.dialect, clock: base.clock, definitions: engine.definitions })],
    jobHandlers: {
      [STEP_JOB]: stepJobHandler(engine, steps),
      [ENTRY_STEPS_JOB]: entryStepsJobHandler(engine, steps),
      [BROADCAST_JOB]: (job) => runBroadcastPass(engine, job),
      [RESUME_JOB]: (job) => resumeRuns(engine, job),
      [ARCHIVE_JOB]: (job) => archiveRuns(engine, job),
    },
    engine,
    steps,
  }
}
