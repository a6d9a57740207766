import { beforeAll, describe, expect, it } from 'vitest'
import { ConsistencyChecker } from './checker.ts'
import { customiseChannelProfile } from './channel-profile.ts'
import { DEFAULT_CHANNEL_PROFILES } from './default-channels.ts'
import { parseMessageHouse, type MessageHouse, type Stage } from './message-house.ts'
import { loadTokenizer, type Tokenizer } from './text/tokenizer.ts'
import type { Variant } from './variant.ts'

const parsed = parseMessageHouse({
  brand: '和声跑鞋',
  coreMessage: '轻盈缓震，让每一次奔跑都更远。',
  coreMessageTranslations: { en: 'Light cushioning that carries every run further.' },
  pillars: [
    {
      name: '轻盈缓震',
      keyPhrases: ['轻盈缓震', 'light cushioning'],
      synonyms: { 轻盈: ['轻便', '轻量'], light: ['lightweight'] },
      proofPoints: ['3万名跑者实测'],
      benefits: { 新手跑者: ['膝盖更轻松'] },
    },
    { name: '耐穿', keyPhrases: ['耐磨大底', 'durable outsole'] },
    { name: '环保', keyPhrases: ['再生材料', 'recycled materials'] },
  ],
  mandatoryElements: [
    { name: 'brand name', kind: 'brand', anyOf: ['和声', 'Chorus'] },
    { name: 'CTA', kind: 'cta', anyOf: ['立即购买', 'Shop now'], stages: ['decision'] },
    { name: 'health notice', kind: 'legal', anyOf: ['请遵医嘱'], channels: ['wechat-article'], severity: 'block' },
  ],
  forbiddenWords: [{ text: '治愈', reason: 'shoes are not medicine' }],
  forbiddenClaims: ['治愈膝伤', 'cures knee pain'],
})
if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
const house: MessageHouse = parsed.house

let tokenizer: Tokenizer
let checker: ConsistencyChecker

beforeAll(async () => {
  tokenizer = await loadTokenizer({ onFallback: (error) => { throw error } })
  checker = new ConsistencyChecker({ house, tokenizer })
})

let next = 0
function variant(channel: string, fields: Record<string, string>, options: { stage?: Stage; hashtags?: string[]; persona?: string; id?: string } = {}): Variant {
  return {
    id: options.id ?? `v${++next}`,
    channel,
    stage: options.stage ?? 'awareness',
    fields,
    hashtags: options.hashtags ?? ['跑步'],
    ...(options.persona ? { persona: options.persona } : {}),
  }
}
const pillar = (report: ReturnType<ConsistencyChecker['checkVariant']>, name: string) => report.pillars.find((p) => p.pillar === name)!
const codes = (report: ReturnType<ConsistencyChecker['checkVariant']>) => report.items.map((i) => `${i.severity} ${i.code}`)

describe('key-message coverage', () => {
  it.each([
    ['the phrase as written', '和声跑鞋，轻盈缓震。', '轻盈缓震', true],
    ['its words in another order', '和声跑鞋缓震出色，而且轻盈。', '轻盈缓震', true],
    ['a synonym for one word', '和声跑鞋又轻便又缓震。', '轻盈缓震', true],
    ['only half the phrase', '和声跑鞋缓震出色。', '轻盈缓震', false],
    ['English in another order and tense', 'Chorus: cushioning so light you forget it.', '轻盈缓震', true],
    ['English with a synonym and a plural', 'Chorus outsoles are durable.', '耐穿', true],
    ['a pillar not mentioned', '和声跑鞋，轻盈缓震。', '环保', false],
  ])('finds %s', (_name, body, name, carried) => {
    const report = checker.checkVariant(variant('weibo-post', { body }))
    expect(pillar(report, name).carried).toBe(carried)
  })

  it('scores a partial phrase by its share of words and names the missing ones', () => {
    const report = checker.checkVariant(variant('weibo-post', { body: '和声跑鞋缓震出色。' }))
    expect(pillar(report, '轻盈缓震')).toMatchObject({ score: 0.5, carried: false, missing: ['轻盈'] })
  })

  it('points at the words that carry a pillar, for highlighting', () => {
    const report = checker.checkVariant(variant('weibo-post', { body: '缓震出色，而且轻盈' }))
    expect(pillar(report, '轻盈缓震').where.map((w) => [w.field, w.start, w.end, w.text])).toEqual([
      ['body', 7, 9, '轻盈'],
      ['body', 0, 2, '缓震'],
    ])
  })

  it('records proof points carried and benefits for the variant\'s persona', () => {
    const report = checker.checkVariant(
      variant('wechat-article', { title: '和声跑鞋', body: '3万名跑者实测：轻盈缓震，膝盖更轻松。请遵医嘱。' }, { persona: '新手跑者' }),
    )
    expect(pillar(report, '轻盈缓震')).toMatchObject({ proofPoints: ['3万名跑者实测'], benefits: ['膝盖更轻松'] })
  })
})

describe('house rules', () => {
  it('blocks a forbidden claim worded in another order, within one sentence only', () => {
    const claim = checker.checkVariant(variant('weibo-post', { body: '和声跑鞋：膝伤三天就能治愈。' }))
    expect(codes(claim)).toContain('block forbidden.claim')
    expect(claim.items.find((i) => i.code === 'forbidden.claim')!.where[0]).toMatchObject({ text: '和声跑鞋：膝伤三天就能治愈。' })
    const apart = checker.checkVariant(variant('weibo-post', { body: '和声跑鞋保护膝伤。轻盈缓震。' }))
    expect(codes(apart)).not.toContain('block forbidden.claim')
    const english = checker.checkVariant(variant('weibo-post', { body: 'Chorus: your knee pain, cured in days.' }))
    expect(codes(english)).toContain('block forbidden.claim')
  })

  it('blocks a forbidden word with the house\'s reason', () => {
    const report = checker.checkVariant(variant('weibo-post', { body: '和声跑鞋，治愈你的周末。' }))
    const item = report.items.find((i) => i.code === 'forbidden.word')!
    expect(item).toMatchObject({ severity: 'block', why: 'shoes are not medicine', where: [{ start: 5, end: 7 }] })
  })

  it('requires mandatory elements where they apply', () => {
    expect(codes(checker.checkVariant(variant('weibo-post', { body: '轻盈缓震的跑鞋' })))).toContain('warn mandatory.brand')
    expect(codes(checker.checkVariant(variant('weibo-post', { body: 'Chorus 跑鞋' })))).not.toContain('warn mandatory.brand')
    const decision = checker.checkVariant(variant('weibo-post', { body: '和声跑鞋' }, { stage: 'decision' }))
    expect(codes(decision)).toContain('warn mandatory.cta')
    const article = checker.checkVariant(variant('wechat-article', { title: '和声跑鞋', body: '轻盈缓震' }))
    expect(codes(article)).toContain('block mandatory.legal')
  })
})

describe('channel profiles in the checker', () => {
  it('rejects a 21-unit Xiaohongshu title', () => {
    const report = checker.checkVariant(variant('xiaohongshu-note', { title: '和声轻盈缓震跑鞋上新和声轻盈缓震跑鞋上新好', body: '和声跑鞋' }))
    expect(report.items.find((i) => i.code === 'channel.length.max')).toMatchObject({ severity: 'block', data: { length: 21, max: 20, unit: 'units' } })
  })

  it('uses a brand\'s customised profile in place of the default', () => {
    const custom = customiseChannelProfile(DEFAULT_CHANNEL_PROFILES['weibo-post'], {
      upsert: [{ id: 'body-length', kind: 'length', fields: ['body'], unit: 'chars', max: 10 }],
    })
    if (!custom.ok) throw new Error(JSON.stringify(custom.issues))
    const strict = new ConsistencyChecker({ house, tokenizer, channels: [custom.profile] })
    expect(codes(strict.checkVariant(variant('weibo-post', { body: '和声跑鞋，轻盈缓震，让每一次奔跑都更远。' })))).toContain('block channel.length.max')
  })

  it('warns that an unknown channel\'s rules were not checked, and still checks the message', () => {
    const report = checker.checkVariant(variant('tiktok', { body: '和声跑鞋，轻盈缓震。' }))
    expect(codes(report)).toContain('warn channel.unknown')
    expect(pillar(report, '轻盈缓震').carried).toBe(true)
  })

  it('checks advertising-law wording with a brand\'s extra list', () => {
    const strict = new ConsistencyChecker({ house, tokenizer, adLaw: { extensions: [{ block: ['遥遥领先'] }] } })
    expect(codes(strict.checkVariant(variant('weibo-post', { body: '和声跑鞋遥遥领先' })))).toContain('block ad-law.block')
    expect(codes(checker.checkVariant(variant('weibo-post', { body: '和声跑鞋遥遥领先' })))).not.toContain('block ad-law.block')
  })

  it('takes the brand\'s own advertising-law words from its message house, and says whose list it is', () => {
    const own = parseMessageHouse({ ...house, adLawWords: { block: ['永不磨损'], warn: ['秒杀'], allow: ['卓越跑团'] } })
    if (!own.ok) throw new Error(JSON.stringify(own.issues))
    const brandChecker = new ConsistencyChecker({ house: own.house, tokenizer })
    const report = brandChecker.checkVariant(variant('weibo-post', { body: '#跑步# 和声跑鞋耐磨大底永不磨损，限时秒杀。加入卓越跑团。' }))
    const adLaw = report.items.filter((i) => i.check === 'ad-law').map((i) => [i.severity, i.where[0]!.text, i.what])
    expect(adLaw).toEqual([
      ['block', '永不磨损', '"永不磨损" is on the brand\'s blocked word list'],
      ['warn', '秒杀', '"秒杀" is on the brand\'s check-first word list'],
    ])
    expect(report.items.find((i) => i.code === 'ad-law.block')!.why).toContain('message house')
    // 卓越 warns on the shipped list; inside the brand's own name it is allowed.
    expect(codes(checker.checkVariant(variant('weibo-post', { body: '#跑步# 加入卓越跑团' })))).toContain('warn ad-law.warn')
  })

  it('refuses a house that blocks its own key phrase or lists a word both to block and to warn', () => {
    const bad = parseMessageHouse({ ...house, adLawWords: { block: ['轻盈缓震', '秒杀'], warn: ['秒杀'] } })
    expect(bad.ok).toBe(false)
    if (bad.ok) return
    expect(bad.issues).toEqual([
      { path: 'adLawWords.block.0', message: '"轻盈缓震" is both a key phrase and a blocked word' },
      { path: 'adLawWords.warn.0', message: '"秒杀" is listed both to block and to warn' },
    ])
  })
})

describe('consistency score', () => {
  const onMessage = [
    ['zh', variant('weibo-post', { body: '#和声跑鞋# 轻盈缓震，让每一次奔跑都更远。耐磨大底，再生材料鞋面。' })],
    ['en', variant('weibo-post', { body: '#Chorus# Light cushioning that carries every run further, on a durable outsole.' })],
  ] as const
  const offMessage = [
    ['zh', variant('weibo-post', { body: '#和声跑鞋# 全网第一！周末去公园散步，咖啡也不错。' })],
    ['en', variant('weibo-post', { body: '#Chorus# The best coffee in town. Walk in the park this weekend.' })],
  ] as const

  it.each([0, 1])('ranks a compliant on-message variant above an off-message one with a blocked word (%s)', (i) => {
    const [language, good] = onMessage[i]!
    const [, bad] = offMessage[i]!
    const report = checker.checkCampaign([good, bad])
    const [goodReport, badReport] = report.variants
    expect(goodReport!.items.filter((item) => item.severity !== 'info'), language).toEqual([])
    expect(badReport!.scoreParts.blocks).toBeGreaterThan(0)
    expect(goodReport!.score).toBeGreaterThanOrEqual(80)
    expect(badReport!.score).toBeLessThan(50)
    expect(goodReport!.score).toBeGreaterThan(badReport!.score)
    expect(goodReport!.scoreParts.closeness).toBeGreaterThan(badReport!.scoreParts.closeness)
  })

  it('compares English copy with the English core message', () => {
    const report = checker.checkVariant(variant('weibo-post', { body: 'Chorus: light cushioning that carries every run further.' }))
    expect(report.scoreParts.closeness).toBeGreaterThan(0.5)
  })
})

describe('campaigns', () => {
  it('reports a price that differs between two variants, and lowers the campaign score', () => {
    const wechat = variant('weibo-post', { body: '#和声跑鞋# 轻盈缓震，双11到手价¥199，立即购买' }, { id: 'weibo' })
    const sms = variant('sms', { signature: '【和声】', body: '轻盈缓震跑鞋11月11日仅需179元，立即购买 拒收请回复R' }, { id: 'sms' })
    const report = checker.checkCampaign([wechat, sms])
    const contradiction = report.items.find((i) => i.check === 'contradiction')!
    expect(contradiction).toMatchObject({ code: 'contradiction.price', severity: 'block' })
    expect(contradiction.what).toContain('"weibo" says ¥199')
    expect(contradiction.what).toContain('"sms" says 179元')
    expect(report.scoreParts.contradictions).toBe(1)

    const agreeing = checker.checkCampaign([wechat, { ...sms, fields: { ...sms.fields, body: '轻盈缓震跑鞋11月11日仅需199元，立即购买 拒收请回复R' } }])
    expect(agreeing.items.filter((i) => i.check === 'contradiction')).toEqual([])
    expect(agreeing.score).toBeGreaterThan(report.score)
  })

  it('names the pillars no variant carries', () => {
    const report = checker.checkCampaign([variant('weibo-post', { body: '#和声# 轻盈缓震' }), variant('weibo-post', { body: '#和声# 耐磨大底' })])
    expect(report.pillarsCarried).toEqual(['轻盈缓震', '耐穿'])
    expect(report.pillarsMissing).toEqual(['环保'])
    expect(report.items.find((i) => i.code === 'coverage.campaign-missing')?.what).toContain('环保')
  })

  it('computes IDF across the campaign, so a word every variant uses weighs less', () => {
    const a = variant('weibo-post', { body: '#和声# 轻盈缓震 新款' })
    const alone = checker.checkVariant(a).scoreParts.closeness
    const together = checker.checkCampaign([a, variant('weibo-post', { body: '#和声# 缓震 限时' }), variant('weibo-post', { body: '#和声# 缓震 包邮' })])
    expect(together.variants[0]!.scoreParts.closeness).not.toBeCloseTo(alone, 5)
  })

  it('refuses two variants with one id', () => {
    const a = variant('weibo-post', { body: '和声' }, { id: 'same' })
    expect(() => checker.checkCampaign([a, a])).toThrow('variant id "same" appears twice')
  })
})
