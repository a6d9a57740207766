/**
 * A journeys worker as its own process, for the crash tests: `node bin/run-ts.js
 * test/journeys/support/journey-worker.ts <database url> <gateway url | channels>`. Runs the
 * journeys' log processor and job handlers against the database until killed, delivering through
 * the webhook sender to the gateway, or with `channels` through the channels module and the
 * providers configured in the database. `CHORUS_TEST_CLOCK_OFFSET_MS` shifts its clock, standing
 * in for the time a restarted worker waits for a dead one's leases to run out.
 */
import { JobQueue, JobWorker, ProcessorRunner, createLogger, openDatabase, type Clock } from '../../../src/platform/index.ts'
import { ChannelsSender, HttpWebhookCaller, journeyBackgroundWork, AudiencesMembership, WebhookSender } from '../../../src/journeys/index.ts'

const [databaseUrl, gatewayUrl] = process.argv.slice(2)
if (!databaseUrl || !gatewayUrl) throw new Error('usage: journey-worker.ts <database url> <gateway url | channels>')
const offset = Number(process.env.CHORUS_TEST_CLOCK_OFFSET_MS ?? 0)
const clock: Clock = { now: () => Date.now() + offset }
const logger = createLogger({ level: 'warn' })
const database = openDatabase(databaseUrl)
// Small gateway batches, so a kill finds some of a delivery's requests answered and others not.
const sender = gatewayUrl === 'channels' ? new ChannelsSender({ database, clock }) : new WebhookSender({ url: gatewayUrl, database, batchSize: 8 })
const work = journeyBackgroundWork({ database, clock, logger }, { sender, audiences: new AudiencesMembership(database), webhooks: new HttpWebhookCaller() })
const processors = new ProcessorRunner({ database, clock, logger, processors: work.processors, pollMs: 50 })
const worker = new JobWorker({ queue: new JobQueue({ database, clock }), logger, handlers: work.jobHandlers, pollMs: 50 })
processors.start()
worker.start()
console.log('journey worker ready')
process.once('SIGTERM', () => {
  void Promise.all([processors.stop(), worker.stop()]).then(() => database.close()).then(() => process.exit(0))
})
