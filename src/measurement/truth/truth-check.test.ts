import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Command } from 'commander'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { generateDemo, spendCsv, toHttpRequest, type DemoOutcome } from '../../demo/index.ts'
import { insertRows, virtualPartition } from '../../platform/index.ts'
import { DIALECTS } from '../../../test/support/databases.ts'
import { newWorkspace, startTestChorus, type TestChorus, type TestWorkspace } from '../../../test/support/chorus.ts'
import { register as registerMeasure } from '../../cli/commands/measure.ts'
import { register as registerSpend } from '../../cli/commands/spend.ts'
import { accuracy } from './accuracy.ts'
import { formatTruthCheck } from './truth-format.ts'
import { truthCheck } from './truth-check.ts'
import { TruthFile } from './truth-file.ts'

describe('accuracy', () => {
  it('computes MAPE, WAPE, share MAPE and Spearman’s ρ by their definitions', () => {
    const a = accuracy([
      { estimate: 110, truth: 100 },
      { estimate: 45, truth: 50 },
      { estimate: 5, truth: 0 },
    ])
    expect(a.mape).toBeCloseTo((0.1 + 0.1) / 2, 12)
    expect(a.wape).toBeCloseTo((10 + 5 + 5) / 150, 12)
    expect(a.skipped).toBe(1)
    // Shares: estimates 110/160, 45/160; truth 100/150, 50/150.
    expect(a.shareMape).toBeCloseTo((Math.abs(110 / 160 - 2 / 3) / (2 / 3) + Math.abs(45 / 160 - 1 / 3) / (1 / 3)) / 2, 12)
    expect(a.spearman).toBeCloseTo(1, 12)
    // Ranks (1, 2, 3) against (1, 3, 2): ρ = 1 − 6·Σd² / (n(n² − 1)) = 1 − 6·2/24.
    expect(accuracy([{ estimate: 1, truth: 10 }, { estimate: 2, truth: 30 }, { estimate: 3, truth: 20 }]).spearman).toBeCloseTo(0.5, 12)
    expect(accuracy([{ estimate: 1, truth: 3 }, { estimate: 2, truth: 2 }, { estimate: 3, truth: 1 }]).spearman).toBeCloseTo(-1, 12)
    expect(accuracy([{ estimate: 1, truth: 1 }, { estimate: 1, truth: 2 }]).spearman).toBeNull()
  })
})

describe.each(DIALECTS)('truth check on a small demo run (%s)', (dialect) => {
  let chorus: TestChorus
  let ws: TestWorkspace
  let outcome: DemoOutcome
  let dir: string
  let truth: TruthFile

  beforeAll(async () => {
    chorus = await startTestChorus(dialect)
    ws = await newWorkspace(chorus)
    const name = (await chorus.ctx.database.db.selectFrom('workspaces').select('name').where('id', '=', ws.workspaceId).executeTakeFirstOrThrow()).name
    const batches = generateDemo({ people: 160, days: 21, seed: 11, start: '2025-03-01' })
    for (let step = batches.next(); ; step = batches.next()) {
      if (step.done) {
        outcome = step.value
        break
      }
      // Stamped with the server's clock, so clock-skew correction keeps the historical times.
      const request = toHttpRequest(step.value, { baseUrl: '', writeKey: ws.writeKey, sensorsProject: name, sensorsGzip: true }, chorus.clock.now())
      const res = await chorus.app.inject({ method: 'POST', url: request.url, headers: request.headers, payload: request.body })
      expect(res.statusCode).toBe(200)
    }
    dir = mkdtempSync(join(tmpdir(), 'chorus-truth-'))
    writeFileSync(join(dir, 'truth.json'), JSON.stringify(outcome.truth))
    writeFileSync(join(dir, 'spend.csv'), spendCsv(outcome.spend))
    truth = TruthFile.parse(outcome.truth)
  })
  afterAll(async () => {
    await chorus.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('finds every order of the truth in the log and conserves them in every model', async () => {
    const report = await truthCheck({ database: chorus.ctx.database, workspaceId: ws.workspaceId, truth, mmm: false })
    expect(outcome.truth.actual.orders).toBeGreaterThan(5)
    expect(report.log.conversions).toBe(outcome.truth.actual.orders)
    expect(report.attribution.map((m) => m.method)).toEqual(['first_touch', 'last_touch', 'last_non_direct', 'linear', 'time_decay', 'position_based', 'markov', 'shapley', 'shapley_ordered'])
    for (const method of report.attribution) {
      expect(method.channels.map((c) => c.channel)).toEqual(truth.channels.map((c) => c.channel))
      const credited = method.channels.reduce((s, c) => s + c.estimatedOrders, 0) + method.creditedElsewhere
      expect(credited, method.method).toBeCloseTo(outcome.truth.actual.orders, 6)
      expect(method.orders).toEqual(accuracy(method.channels.map((c) => ({ estimate: c.estimatedOrders, truth: c.trueOrders }))))
      for (const c of method.channels) expect(c.trueOrders).toBe(truth.channels.find((t) => t.channel === c.channel)!.incrementalOrders)
    }
    expect(report.mmm).toEqual({ kind: 'skipped', reason: 'not asked for' })
  })

  it('runs from the command line on the demo files: spend import, then the check with MMM skipped for too little history', async () => {
    const out: string[] = []
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true))
    const log = vi.spyOn(console, 'log').mockImplementation((...args) => void out.push(args.join(' ')))
    try {
      const program = new Command().exitOverride()
      registerSpend(program)
      registerMeasure(program)
      const name = (await chorus.ctx.database.db.selectFrom('workspaces').select('name').where('id', '=', ws.workspaceId).executeTakeFirstOrThrow()).name
      await program.parseAsync(['spend', 'import', join(dir, 'spend.csv'), '--workspace', name, '--database', chorus.t.url], { from: 'user' })
      expect(out.join('\n')).toContain(`${outcome.spend.length} accepted, 0 rejected`)
      out.length = 0
      await program.parseAsync(['measure', 'truth-check', '--truth', join(dir, 'truth.json'), '--workspace', name, '--database', chorus.t.url, '--models', 'last_touch,markov,shapley'], { from: 'user' })
      const checked = out.length
      await program.parseAsync(['measure', 'attribution', '--from', truth.start, '--to', truth.end, '--models', 'last_touch', '--workspace', name, '--database', chorus.t.url, '--json'], { from: 'user' })
      const json = JSON.parse(out.slice(checked).join(''))
      expect(json.totals.conversions).toBe(outcome.truth.actual.orders)
      expect(json.spend.costMinor).toBe(outcome.spend.reduce((s, r) => s + r.costMinor, 0))
      out.length = checked
    } finally {
      write.mockRestore()
      log.mockRestore()
    }
    const text = out.join('')
    expect(text).toContain(`truth: ${outcome.truth.actual.orders.toLocaleString('en')} orders`)
    for (const channel of truth.channels) expect(text).toContain(channel.channel)
    for (const method of ['last_touch', 'markov', 'shapley']) expect(text).toMatch(new RegExp(`\\n  ${method} +(\\d+ %|—)`))
    expect(text).toMatch(/mmm: not fitted — .*periods/)
  })
})

describe.each(DIALECTS)('truth check with a media-mix model (%s)', (dialect) => {
  let chorus: TestChorus
  afterAll(() => chorus?.close())

  /** `days` of orders = 20 a day + 0.05 per yuan of search spend (none from display), written as log rows, and its truth. */
  async function searchWorld(days: number) {
    const ws = await newWorkspace(chorus)
    const db = chorus.ctx.database
    const start = Date.UTC(2025, 0, 1) - 8 * 3_600_000
    const spendRows: unknown[][] = []
    const events: unknown[][] = []
    let seq = 0
    let searchOrders = 0
    for (let d = 0; d < days; d++) {
      const date = new Date(Date.UTC(2025, 0, 1 + d)).toISOString().slice(0, 10)
      const search = 200 + ((d * 37) % 11) * 40
      const display = 300 + ((d * 53) % 7) * 60
      spendRows.push([ws.workspaceId, date, 'baidu_search', '', 0, 0, search * 100, 'CNY', 'test', 0], [ws.workspaceId, date, 'douyin', '', 0, 0, display * 100, 'CNY', 'test', 0])
      const fromSearch = Math.round(0.05 * search)
      searchOrders += fromSearch
      for (let k = 0; k < 20 + fromSearch; k++) {
        const profile = `p${d}-${k}`
        events.push([ws.workspaceId, `m${seq++}`, 'track', 'Order Completed', profile, virtualPartition(profile), null, null, null, start + d * 86_400_000 + 3_600_000 + k * 1000, 0, null, 1000, 'CNY', '{"type":"track","event":"Order Completed"}'])
      }
    }
    await insertRows(db.db, db.dialect, 'measurement_spend', ['workspace_id', 'date', 'channel', 'campaign', 'impressions', 'clicks', 'cost_minor', 'currency', 'source', 'updated_at'], spendRows)
    await insertRows(db.db, db.dialect, 'events', ['workspace_id', 'message_id', 'type', 'event', 'profile_id', 'part', 'user_id', 'anonymous_id', 'channel', 'timestamp', 'received_at', 'source_id', 'order_minor', 'order_currency', 'payload'], events)
    const truth = TruthFile.parse({
      schema: 'chorus.demo.truth/v1', start: '2025-01-01', end: new Date(Date.UTC(2025, 0, days)).toISOString().slice(0, 10), timeZone: 'Asia/Shanghai', currency: 'CNY', conversionEvent: 'Order Completed',
      people: 1, days, actual: { orders: events.length, buyers: events.length, revenueMinor: events.length * 1000 }, noMarketing: { orders: 20 * days, revenueMinor: 0 },
      marketing: { incrementalOrders: searchOrders, incrementalRevenueMinor: searchOrders * 1000, sumOfChannelIncrementalOrders: searchOrders },
      channels: [
        { channel: 'baidu_search', paid: true, spendMinor: 0, incrementalOrders: searchOrders, incrementalRevenueMinor: searchOrders * 1000, roas: null },
        { channel: 'douyin', paid: true, spendMinor: 0, incrementalOrders: 0, incrementalRevenueMinor: 0, roas: null },
        { channel: 'email', paid: false, spendMinor: 0, incrementalOrders: 0, incrementalRevenueMinor: 0, roas: null },
      ],
    })
    return { db, ws, truth, days, events, searchOrders }
  }

  it('fits the MMM on daily spend and orders when the history is long enough and compares its contributions', async () => {
    chorus = await startTestChorus(dialect)
    const { db, ws, truth, days, events, searchOrders } = await searchWorld(150)
    const report = await truthCheck({ database: db, workspaceId: ws.workspaceId, truth, models: ['last_touch'], mmmIterations: 150, seed: 3 })
    expect(report.log.conversions).toBe(events.length)
    expect(report.mmm.kind).toBe('fitted')
    if (report.mmm.kind !== 'fitted') return
    expect(report.mmm.periods).toBe(days)
    // Only channels with spend are modelled; email has none.
    expect(report.mmm.accuracy.channels.map((c) => c.channel)).toEqual(['baidu_search', 'douyin'])
    const search = report.mmm.accuracy.channels[0]!
    expect(search.trueOrders).toBe(searchOrders)
    expect(search.estimatedOrders).toBeGreaterThan(0)
    expect(report.mmm.weekdayTerms).toBe(true)
    expect(formatTruthCheck(report)).toContain(`mmm: daily orders on daily spend, ${days} days,`)
  })

  it('fits without day-of-week terms when the days are too few for them, and says so', async () => {
    const { db, ws, truth } = await searchWorld(70)
    const report = await truthCheck({ database: db, workspaceId: ws.workspaceId, truth, models: ['last_touch'], mmmIterations: 150, seed: 3 })
    // Two channels + trend + six weekdays need 90 days; without the weekdays, 30.
    expect(report.mmm.kind).toBe('fitted')
    if (report.mmm.kind !== 'fitted') return
    expect(report.mmm.weekdayTerms).toBe(false)
    expect(formatTruthCheck(report)).toContain('mmm: daily orders on daily spend, 70 days (too few for day-of-week terms: fitted without them)')
  })
})
