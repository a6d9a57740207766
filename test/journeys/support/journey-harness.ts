import { expect } from 'vitest'
import { JobWorker, ProcessorRunner, silentLogger, type DialectName } from '../../../src/platform/index.ts'
import { HttpWebhookCaller, journeyBackgroundWork, AudiencesMembership, WebhookSender, type JourneyWork, type MessageSender } from '../../../src/journeys/index.ts'
import { audienceBackgroundWork } from '../../../src/audiences/index.ts'
import { newWorkspace, startTestChorus, type TestChorus, type TestWorkspace } from '../../support/chorus.ts'
import { WebhookSink } from './webhook-sink.ts'

export interface JourneyHarness {
  chorus: TestChorus
  sink: WebhookSink
  work: JourneyWork
  processors: ProcessorRunner
  worker: JobWorker
  /** Runs the journeys' processor and every due job until nothing is left to do. */
  settle(): Promise<void>
  /** Moves the clock, then settles. */
  advance(ms: number): Promise<void>
  close(): Promise<void>
}

/**
 * A Chorus app on a fresh database with a ManualClock, the journeys' background work driven by
 * hand, and a loopback message gateway that the webhook sender delivers to.
 */
export async function startJourneyHarness(dialect: DialectName, options: { start?: number; sender?: (chorus: TestChorus, sink: WebhookSink) => MessageSender } = {}): Promise<JourneyHarness> {
  const chorus = await startTestChorus(dialect, options.start === undefined ? {} : { start: options.start })
  const sink = new WebhookSink()
  await sink.start()
  const { database, clock } = chorus.ctx
  const sender = options.sender ? options.sender(chorus, sink) : new WebhookSender({ url: sink.url, database, channels: ['webhook', 'sms', 'email', 'wechat'] })
  const work = journeyBackgroundWork({ database, clock, logger: silentLogger() }, { sender, audiences: new AudiencesMembership(database), webhooks: new HttpWebhookCaller() })
  // Audiences run beside journeys, as in a real worker: membership changes reach journeys as events.
  const audiences = audienceBackgroundWork(chorus.ctx)
  const processors = new ProcessorRunner({ database, clock, logger: silentLogger(), processors: [...audiences.processors, ...work.processors] })
  const worker = new JobWorker({ queue: chorus.ctx.jobs, logger: silentLogger(), handlers: { ...audiences.jobHandlers, ...work.jobHandlers } })
  const settle = async () => {
    for (let round = 0; round < 200; round++) {
      const events = await processors.drain()
      const jobs = await worker.runDue(500)
      if (events === 0 && jobs === 0) return
    }
    throw new Error('journeys did not settle in 200 rounds')
  }
  return {
    chorus,
    sink,
    work,
    processors,
    worker,
    settle,
    async advance(ms: number) {
      chorus.clock.advance(ms)
      await settle()
    },
    async close() {
      await sink.stop()
      await chorus.close()
    },
  }
}

/** Thin helpers over the public API, as a client would call it. */
export function api(h: JourneyHarness, ws: TestWorkspace) {
  const app = h.chorus.app
  return {
    async batch(calls: object[]) {
      const res = await app.inject({ method: 'POST', url: '/v1/batch', headers: ws.basic, payload: { batch: calls } })
      expect(res.statusCode, res.body).toBe(200)
    },
    async track(userId: string, event: string, properties: Record<string, unknown> = {}) {
      await this.batch([{ type: 'track', userId, event, properties }])
    },
    async identify(userId: string, traits: Record<string, unknown>) {
      await this.batch([{ type: 'identify', userId, traits }])
    },
    async profileId(userId: string): Promise<string> {
      const res = await app.inject({ method: 'GET', url: `/api/v1/profiles/lookup?type=user_id&value=${encodeURIComponent(userId)}`, headers: ws.bearer })
      expect(res.statusCode, res.body).toBe(200)
      return res.json().id
    },
    async createJourney(name: string, definition: object, query = '') {
      return app.inject({ method: 'POST', url: `/api/v1/journeys${query}`, headers: ws.bearer, payload: { name, definition } })
    },
    /** Creates and publishes; returns the journey id. */
    async publishJourney(name: string, definition: object): Promise<string> {
      const created = await this.createJourney(name, definition, '?allowUnknownNames=true')
      expect(created.statusCode, created.body).toBe(201)
      const id = created.json().id as string
      const published = await app.inject({ method: 'POST', url: `/api/v1/journeys/${id}/publish?allowUnknownNames=true`, headers: ws.bearer })
      expect(published.statusCode, published.body).toBe(200)
      return id
    },
    async metrics(journeyId: string, version?: number) {
      const res = await app.inject({ method: 'GET', url: `/api/v1/journeys/${journeyId}/metrics${version ? `?version=${version}` : ''}`, headers: ws.bearer })
      expect(res.statusCode, res.body).toBe(200)
      return res.json()
    },
    async guardRails(rails: object) {
      const res = await app.inject({ method: 'PUT', url: '/api/v1/guard-rails', headers: ws.bearer, payload: rails })
      expect(res.statusCode, res.body).toBe(200)
    },
    /** A static audience holding these users (uploaded by user id); returns its id. */
    async staticAudience(name: string, userIds: string[]): Promise<string> {
      const created = await app.inject({ method: 'POST', url: '/api/v1/audiences', headers: ws.bearer, payload: { name, kind: 'static' } })
      expect(created.statusCode, created.body).toBe(201)
      const id = created.json().audience.id as string
      if (userIds.length > 0) await this.setMembers(id, userIds)
      return id
    },
    /** Makes these users the audience's whole membership (others leave it). */
    async setMembers(audienceId: string, userIds: string[]) {
      const upload = await app.inject({
        method: 'POST',
        url: `/api/v1/audiences/${audienceId}/members/upload?mode=replace`,
        headers: { ...ws.bearer, 'content-type': 'text/csv' },
        payload: ['user_id', ...userIds].join('\n'),
      })
      expect(upload.statusCode, upload.body).toBe(200)
    },
    inject: app.inject.bind(app),
  }
}

export { newWorkspace }
