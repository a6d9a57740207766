import { describe, expect, it } from 'vitest'
import { generateDemo, simulateDemo, type DemoOutcome, type WireBatch } from './generator.ts'
import type { DemoOptions } from './options.ts'
import type { SegmentMessage } from './segment-calls.ts'
import type { SensorsRecord } from './sensors-records.ts'
import { decodeSensorsBody, toHttpRequest } from './wire.ts'

const SMALL: DemoOptions = { people: 800, days: 14, seed: 1, start: '2025-03-01', segmentBatchSize: 100 }

function collect(options: DemoOptions): { batches: WireBatch[]; outcome: DemoOutcome } {
  const batches: WireBatch[] = []
  const generator = generateDemo(options)
  let step = generator.next()
  while (!step.done) {
    batches.push(step.value)
    step = generator.next()
  }
  return { batches, outcome: step.value }
}

const run = collect(SMALL)
const segment: SegmentMessage[] = run.batches.flatMap((b) => (b.api === 'segment' ? b.body.batch : []))
const sensors: SensorsRecord[] = run.batches.flatMap((b) => (b.api === 'sensors' ? b.body : []))

describe('generateDemo determinism', () => {
  it('gives byte-identical batches and truth for the same seed', () => {
    const again = collect(SMALL)
    expect(again.batches.length).toBe(run.batches.length)
    expect(JSON.stringify(again.batches.slice(0, 20))).toBe(JSON.stringify(run.batches.slice(0, 20)))
    expect(JSON.stringify(again.batches)).toBe(JSON.stringify(run.batches))
    expect(JSON.stringify(again.outcome.truth)).toBe(JSON.stringify(run.outcome.truth))
    expect(again.outcome.spend).toEqual(run.outcome.spend)
  })

  it('encodes identically when stamped at the same instant', () => {
    const target = { baseUrl: 'http://x', writeKey: 'k', sensorsProject: 'default', sensorsGzip: true }
    const again = collect(SMALL)
    for (let i = 0; i < 10; i++) {
      expect(toHttpRequest(again.batches[i]!, target, 1_750_000_000_000)).toEqual(toHttpRequest(run.batches[i]!, target, 1_750_000_000_000))
    }
  })

  it('gives a different world for a different seed', () => {
    const other = collect({ ...SMALL, seed: 2 })
    expect(JSON.stringify(other.batches.slice(0, 5))).not.toBe(JSON.stringify(run.batches.slice(0, 5)))
    expect(JSON.stringify(other.outcome.truth)).not.toBe(JSON.stringify(run.outcome.truth))
  })

  it('gives the truth that the payload-free simulation gives', () => {
    const simulated = simulateDemo(SMALL)
    expect(simulated.truth).toEqual(run.outcome.truth)
    expect(simulated.spend).toEqual(run.outcome.spend)
  })

  it('keeps a person the same whatever the population size', () => {
    const bigger = collect({ ...SMALL, people: 400 })
    const firstUsers = (messages: SegmentMessage[]) => messages.filter((m) => m.type === 'identify' && m.traits?.membership_source === 'crm').slice(0, 5)
    const fromBigger = bigger.batches.flatMap((b) => (b.api === 'segment' ? b.body.batch : []))
    expect(firstUsers(fromBigger).map((m) => m.traits)).toEqual(firstUsers(segment).map((m) => m.traits))
  })
})

describe('Segment calls', () => {
  it('are valid per the Segment Spec', () => {
    expect(segment.length).toBeGreaterThan(500)
    // Collected rather than asserted one by one: thousands of calls, one readable failure.
    const problems: string[] = []
    for (const m of segment) {
      const say = (what: string) => problems.push(`${m.messageId}: ${what}`)
      if (!['identify', 'track', 'page'].includes(m.type)) say(`type ${m.type}`)
      if (!m.userId && !m.anonymousId) say('neither userId nor anonymousId')
      if (m.timestamp !== new Date(Date.parse(m.timestamp)).toISOString()) say(`timestamp ${m.timestamp}`)
      if (!/^(analytics\.js|@segment\/analytics-node)$/.test(String((m.context.library as { name?: string } | undefined)?.name))) say('library')
      if (m.type === 'track' && !m.event) say('track without event')
      if (m.type === 'identify' && Object.keys(m.traits ?? {}).length === 0) say('identify without traits')
      if (m.type === 'page' && !/^https:\/\//.test(String(m.properties?.url))) say('page without url')
      if (m.messageId.length < 20) say('short messageId')
    }
    expect(problems).toEqual([])
  })

  it('have unique message ids', () => {
    expect(new Set(segment.map((m) => m.messageId)).size).toBe(segment.length)
  })

  it('complete orders with the e-commerce spec fields, in CNY, totals adding up', () => {
    const orders = segment.filter((m) => m.type === 'track' && m.event === 'Order Completed')
    expect(orders.length).toBe(run.outcome.truth.actual.orders)
    const ids = new Set<string>()
    for (const order of orders) {
      const p = order.properties as Record<string, unknown> & { products: { price: number; quantity: number }[] }
      expect(typeof p.order_id).toBe('string')
      ids.add(p.order_id as string)
      expect(p.currency).toBe('CNY')
      expect(typeof p.total).toBe('number')
      expect(p.products.length).toBeGreaterThan(0)
      const subtotal = p.products.reduce((sum, line) => sum + Math.round(line.price * 100) * line.quantity, 0)
      expect(Math.round((p.subtotal as number) * 100)).toBe(subtotal)
      expect(Math.round((p.total as number) * 100)).toBe(Math.round(((p.revenue as number) + (p.shipping as number)) * 100))
    }
    expect(ids.size).toBe(orders.length)
    const revenue = orders.reduce((sum, o) => sum + Math.round((o.properties!.total as number) * 100), 0)
    expect(revenue).toBe(run.outcome.truth.actual.revenueMinor)
  })

  it('carry UTM campaigns on landing pages, with click ids for Douyin and Baidu', () => {
    const landings = segment.filter((m) => m.type === 'page' && m.context.campaign)
    const sources = new Set(landings.map((m) => (m.context.campaign as { source: string }).source))
    expect(sources.has('douyin')).toBe(true)
    expect(sources.has('baidu')).toBe(true)
    for (const m of landings) {
      const search = (m.context.page as { search: string }).search
      const campaign = m.context.campaign as { source: string; medium: string; name: string }
      const params = new URLSearchParams(search)
      expect(params.get('utm_source')).toBe(campaign.source)
      expect(params.get('utm_campaign')).toBe(campaign.name)
      if (campaign.source === 'baidu') {
        expect(campaign.medium).toBe('cpc')
        expect(params.get('bd_vid')).toMatch(/^\d{19}$/)
      }
      if (campaign.source === 'douyin') expect(params.get('clickid')).toBeTruthy()
    }
  })

  it('land every click the ad platforms bill for on the site, with the campaign that bought it', () => {
    const billed = new Map<string, number>()
    for (const row of run.outcome.spend) billed.set(`${row.channel}|${row.campaign}`, (billed.get(`${row.channel}|${row.campaign}`) ?? 0) + row.clicks)
    const landed = new Map<string, number>()
    const platform: Record<string, string> = { douyin: 'douyin', xiaohongshu: 'xiaohongshu', weibo: 'weibo', baidu: 'baidu_search' }
    for (const m of segment) {
      const campaign = m.type === 'page' ? (m.context.campaign as { source: string; name: string } | undefined) : undefined
      if (!campaign || !platform[campaign.source]) continue
      const key = `${platform[campaign.source]}|${campaign.name}`
      landed.set(key, (landed.get(key) ?? 0) + 1)
    }
    for (const [key, clicks] of billed) expect({ key, landed: landed.get(key) ?? 0 }).toEqual({ key, landed: clicks })
  })

  it('let anonymous browsing become known: identify carries userId and the browser anonymousId', () => {
    const logins = segment.filter((m) => m.type === 'identify' && m.context.library && (m.context.library as { name: string }).name === 'analytics.js')
    expect(logins.length).toBeGreaterThan(0)
    const anonymousBefore = new Set(segment.filter((m) => !m.userId && m.anonymousId).map((m) => m.anonymousId))
    const linked = logins.filter((m) => m.userId && anonymousBefore.has(m.anonymousId))
    expect(linked.length).toBeGreaterThan(0)
    for (const m of logins) expect(m.traits).toMatchObject({ name: expect.any(String), phone: expect.any(String), city: expect.any(String), persona: expect.any(String) })
  })

  it('report POS receipts with channel pos and a store id', () => {
    const pos = segment.filter((m) => m.event === 'Order Completed' && m.properties?.channel === 'pos')
    expect(pos.length).toBeGreaterThan(0)
    for (const m of pos) expect(m.properties?.store_id).toMatch(/^[A-Z]{2}\d{3}$/)
  })
})

describe('Sensors records', () => {
  it('decode from a gzip=1 upload (base64 → gunzip → JSON array) to mini-program records', () => {
    const target = { baseUrl: 'http://x', writeKey: 'k', sensorsProject: 'default', sensorsGzip: true }
    const batch = run.batches.find((b) => b.api === 'sensors')!
    const request = toHttpRequest(batch, target, 1_750_000_000_000)
    expect(request.url).toBe('http://x/sa?project=default&token=k')
    expect(request.body).toMatch(/^data_list=[^&]+&gzip=1$/)
    const records = decodeSensorsBody(request.body)
    expect(records.length).toBe((batch.body as SensorsRecord[]).length)
    for (const r of records) {
      expect(typeof r.type).toBe('string')
      expect(typeof r.distinct_id).toBe('string')
      expect(typeof r.time).toBe('number')
      expect(r._flush_time).toBe(1_750_000_000_000)
      expect(r.identities.$identity_mp_id ?? r.identities.$identity_login_id).toBeTruthy()
      expect(r.lib.$lib).toBe('MiniProgram')
      if (r.type !== 'profile_set') {
        expect(r.properties.$lib).toBe('MiniProgram')
        expect(typeof r.event).toBe('string')
        expect(typeof r._track_id).toBe('number')
      }
    }
  })

  it('decode from a gzip=0 upload too', () => {
    const target = { baseUrl: 'http://x/', writeKey: 'k', sensorsProject: 'default', sensorsGzip: false }
    const batch = run.batches.find((b) => b.api === 'sensors')!
    const request = toHttpRequest(batch, target, 1)
    expect(request.body).toMatch(/&gzip=0$/)
    expect(decodeSensorsBody(request.body).map((r) => r.event)).toEqual((batch.body as SensorsRecord[]).map((r) => r.event))
  })

  it('bind WeChat openid and unionid, then log in with the member id and bind the mobile', () => {
    const binds = sensors.filter((r) => r.type === 'track_id_bind')
    expect(binds.some((r) => /^o[\w-]{27}$/.test(r.identities.$identity_mp_openid ?? ''))).toBe(true)
    expect(binds.some((r) => r.identities.$identity_mp_unionid)).toBe(true)
    const signups = sensors.filter((r) => r.type === 'track_signup')
    expect(signups.length).toBeGreaterThan(0)
    for (const r of signups) {
      expect(r.event).toBe('$SignUp')
      expect(r.identities.$identity_login_id).toBe(r.distinct_id)
      expect(r.original_id).toBe(r.anonymous_id)
    }
    expect(binds.some((r) => r.identities.$identity_mobile?.startsWith('+86'))).toBe(true)
  })

  it('report scenes and UTM from official-account articles and template messages', () => {
    const launches = sensors.filter((r) => r.event === '$MPLaunch')
    expect(launches.some((r) => r.properties.$scene === 'wx-1043' || r.properties.$scene === 'wx-1058')).toBe(true)
    expect(launches.some((r) => r.properties.$utm_source === 'wechat')).toBe(true)
  })
})

describe('identity across sources', () => {
  /** The national number behind a written phone: digits only, country code 86 dropped. */
  const nationalNumber = (written: string) => {
    const digits = written.replace(/\D/g, '')
    return digits.length === 13 && digits.startsWith('86') ? digits.slice(2) : digits
  }

  it('writes the same phone in several formats that all come down to one mobile number', () => {
    const phones: string[] = []
    for (const m of segment) {
      const traits = (m.type === 'identify' ? m.traits : (m.context.traits as Record<string, unknown> | undefined)) ?? {}
      if (typeof traits.phone === 'string') phones.push(traits.phone)
    }
    for (const r of sensors) if (r.identities.$identity_mobile) phones.push(r.identities.$identity_mobile)
    const shapes = new Set(phones.map((p) => p.replace(/\d/g, '9')))
    expect(shapes.size).toBeGreaterThanOrEqual(4)
    const formatsByNumber = new Map<string, Set<string>>()
    for (const p of phones) {
      const national = nationalNumber(p)
      expect(national).toMatch(/^1\d{10}$/)
      if (!formatsByNumber.has(national)) formatsByNumber.set(national, new Set())
      formatsByNumber.get(national)!.add(p)
    }
    expect([...formatsByNumber.values()].some((formats) => formats.size >= 2)).toBe(true)
  })
})

describe('batches', () => {
  it('stay within the configured size and the Segment API limits', () => {
    for (const b of run.batches) {
      if (b.api === 'segment') {
        expect(b.body.batch.length).toBeLessThanOrEqual(100)
        expect(Buffer.byteLength(JSON.stringify(b.body))).toBeLessThan(500 * 1024)
      } else {
        expect(b.body.length).toBeLessThanOrEqual(100)
      }
    }
  })
})
