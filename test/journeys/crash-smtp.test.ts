import { afterAll, describe, expect, it } from 'vitest'
import { silentLogger, systemClock } from '../../src/platform/index.ts'
import { openContext } from '../../src/server/runtime.ts'
import { buildApp } from '../../src/server/app.ts'
import { SEND_LEASE_MS, createProvider, updateChannelSettings } from '../../src/channels/index.ts'
import { createJourney, publishDraft, validateDefinition } from '../../src/journeys/index.ts'
import { createSource, createWorkspace } from '../../src/workspaces/index.ts'
import { DIALECTS, createEmptyDatabase } from '../support/databases.ts'
import { startSmtpSink } from '../channels/support/fakes.ts'
import { parseMail } from '../channels/support/mime.ts'
import { killWorker, startWorker, until } from './support/worker-process.ts'

const PEOPLE = 60

/**
 * A journeys worker — a separate process, delivering email through the channels module to a real
 * SMTP server on loopback — is killed with SIGKILL while SMTP sessions are open, then started
 * again. Counting what the server received: every person gets their email, and nobody two.
 *
 * The kill is placed where the outcome is decidable: every session still open is short of its
 * final "." (held at RCPT TO by the server), and every message that was handed over has its answer
 * recorded. A crash in the one window left — between the hand-over commit and the commit of the
 * server's answer, one round trip — leaves that message `unknown` and never resent; the
 * exactly-once tests in test/channels cover that case.
 */
describe.each(DIALECTS)('a journeys worker sending email, killed with SIGKILL mid-send (%s)', (dialect) => {
  const cleanups: Array<() => Promise<void>> = []
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c()
  })

  it('loses no email and sends none twice, counted at the SMTP server', async () => {
    const { url, cleanup } = await createEmptyDatabase(dialect)
    cleanups.push(cleanup)
    const smtp = await startSmtpSink({ rcptDelayMs: 20 }) // sessions take a while, so the kill finds some open
    cleanups.push(() => smtp.close())

    // The API side, in this process: a workspace with an SMTP provider, a published journey, and people signing up.
    const ctx = await openContext({ databaseUrl: url, logger: silentLogger(), clock: systemClock })
    const app = await buildApp(ctx)
    cleanups.push(async () => {
      await app.close()
      await ctx.writer.close()
      await ctx.database.close()
    })
    const db = ctx.database.db
    const now = Date.now()
    const workspace = await createWorkspace(db, { name: 'crash', now })
    const source = await createSource(db, { workspaceId: workspace.id, name: 'web', now })
    await updateChannelSettings(db, workspace.id, { publicUrl: 'https://chorus.example.com' }, now)
    const provider = await createProvider(db, { workspaceId: workspace.id, name: 'mail', isDefault: true, now, config: { kind: 'smtp', settings: { host: '127.0.0.1', port: smtp.port, starttls: 'off', from: '和声优品 <shop@hesheng.example>' } } })
    expect(provider.kind).toBe('Saved')
    const definition = validateDefinition({
      entry: { event: 'Signed Up' },
      start: 'welcome',
      nodes: [
        { id: 'welcome', type: 'send', channel: 'email', message: { subject: '欢迎，{{ profile.name }}', text: '{{ profile.name }}，欢迎加入和声优品。' }, next: 'done' },
        { id: 'done', type: 'exit' },
      ],
    })
    if (definition.kind !== 'Valid') throw new Error('fixture journey is invalid')
    const journey = await createJourney(db, { workspaceId: workspace.id, name: 'Welcome', definition: definition.definition, now })
    await publishDraft(db, { workspaceId: workspace.id, journeyId: journey.id, now })
    const basic = `Basic ${Buffer.from(`${source.writeKey}:`).toString('base64')}`
    const batch = Array.from({ length: PEOPLE }, (_, i) => [
      { type: 'identify', userId: `person-${i}`, traits: { name: `会员${i}`, email: `person-${i}@example.com` } },
      { type: 'track', userId: `person-${i}`, event: 'Signed Up' },
    ]).flat()
    const ingested = await app.inject({ method: 'POST', url: '/v1/batch', headers: { authorization: basic }, payload: { batch } })
    expect(ingested.statusCode, ingested.body).toBe(200)

    const statusCount = async (status: string) =>
      Number((await db.selectFrom('channel_messages').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', workspace.id).where('status', '=', status).executeTakeFirstOrThrow()).n)

    let worker = await startWorker(url, 'channels', 0)
    cleanups.push(async () => {
      if (worker.exitCode === null && worker.signalCode === null) await killWorker(worker)
    })
    await until('a quarter of the mail delivered', () => smtp.mails.length >= PEOPLE / 4)
    smtp.holdRecipients()
    await until('every open session held short of its final "."', async () => (await statusCount('sending')) === 0 && smtp.held > 0 && smtp.held === (await statusCount('connecting')))
    const connectingAtKill = await statusCount('connecting')
    await killWorker(worker)
    expect(worker.signalCode).toBe('SIGKILL')
    const receivedBeforeKill = smtp.mails.length
    expect(receivedBeforeKill).toBeLessThan(PEOPLE)
    expect(await statusCount('sent')).toBe(receivedBeforeKill)
    expect(connectingAtKill).toBeGreaterThan(0)
    smtp.release() // the dead worker's sessions are gone; nothing of theirs arrives

    // The restarted worker's clock is past the dead one's leases (2 minutes for a send).
    worker = await startWorker(url, 'channels', SEND_LEASE_MS + 1_000)
    await until('every run to end', async () => {
      const open = await db.selectFrom('journey_runs').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '!=', 'ended').executeTakeFirstOrThrow()
      const all = await db.selectFrom('journey_runs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
      return Number(all.n) === PEOPLE && Number(open.n) === 0
    }, 120_000)

    // Counted at the server: one email per person, with their name.
    expect(smtp.mails).toHaveLength(PEOPLE)
    const byRecipient = new Map<string, string[]>()
    for (const mail of smtp.mails) for (const to of mail.to) byRecipient.set(to, [...(byRecipient.get(to) ?? []), parseMail(mail.raw).headers.get('subject') ?? ''])
    expect(byRecipient.size).toBe(PEOPLE)
    for (let i = 0; i < PEOPLE; i++) expect(byRecipient.get(`person-${i}@example.com`)).toEqual([`欢迎，会员${i}`])
    expect(await statusCount('sent')).toBe(PEOPLE)
    const events = await db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', workspace.id).where('event', '=', 'Message Sent').executeTakeFirstOrThrow()
    expect(Number(events.n)).toBe(PEOPLE)
  }, 240_000)
})
