/**
 * Benchmark of the content checks: 10,000 generated variants (Chinese and English, every shipped
 * channel, realistic lengths: SMS about 70 characters, notes about 500, articles 700–3,700) checked against
 * one message house, in campaigns of 20 variants so IDF and contradictions run as in production.
 *
 *   node bin/run-ts.js bench/content.ts [--variants 10000] [--runs 5]
 *
 * Prints the median milliseconds per variant over the runs, and the total. Generation is seeded,
 * so every run checks the same copy.
 */
import { ConsistencyChecker, loadTokenizer, parseMessageHouse, type Variant } from '../src/content/index.ts'
import { createSeededRandom } from '../src/measurement/mmm/seeded-random.ts'

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`)
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`)
  return value
}

const VARIANTS = option('variants', 10_000)
const RUNS = option('runs', 5)
const CAMPAIGN_SIZE = 20

const rand = createSeededRandom(20261111).next // the same copy run to run
const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!

const houseResult = parseMessageHouse({
  brand: '和声跑鞋',
  coreMessage: '轻盈缓震，让每一次奔跑都更远。',
  coreMessageTranslations: { en: 'Light cushioning that carries every run further.' },
  pillars: [
    {
      name: '轻盈缓震',
      keyPhrases: ['轻盈缓震', 'light cushioning'],
      synonyms: { 轻盈: ['轻便', '轻量'], 缓震: ['减震'], light: ['lightweight'] },
      proofPoints: ['3万名跑者实测'],
      benefits: { 新手跑者: ['膝盖更轻松'] },
    },
    { name: '耐穿', keyPhrases: ['耐磨大底', 'durable outsole'], synonyms: { 耐磨: ['耐穿'] } },
    { name: '环保', keyPhrases: ['再生材料', 'recycled materials'] },
  ],
  toneWords: ['专业', '温暖'],
  mandatoryElements: [
    { name: 'brand name', kind: 'brand', anyOf: ['和声', 'Chorus'] },
    { name: 'CTA', kind: 'cta', anyOf: ['立即购买', '马上抢购', 'Shop now'], stages: ['decision'] },
  ],
  forbiddenWords: ['治愈'],
  forbiddenClaims: ['治愈膝伤', 'cures knee pain'],
})
if (!houseResult.ok) throw new Error(JSON.stringify(houseResult.issues))
const house = houseResult.house

const ZH = {
  on: [
    '和声跑鞋轻盈缓震，让每一次奔跑都更远。',
    '缓震出色，而且足够轻便，长距离也不累。',
    '耐磨大底经得起城市路面的反复考验。',
    '鞋面采用再生材料，舒适透气又环保。',
    '3万名跑者实测，膝盖更轻松。',
    '轻量中底带来回弹，每一步都更有力。',
  ],
  off: [
    '周末和朋友去公园散步，天气很好。',
    '这家咖啡店的拿铁味道不错，推荐给大家。',
    '新的一季穿搭灵感已经更新，快来看看。',
    '我第一次参加马拉松的时候非常紧张。',
    '城市夜跑路线分享，沿江风景很美。',
  ],
  risky: ['全网第一的跑鞋，销量遥遥领先。', '史上最低价，错过再等一年！', '最舒适的跑鞋，没有之一。', '独家配方中底，顶级体验。'],
  offer: ['双11到手价¥199，满300减50。', '11月11日当天5折，仅需199元。', '限时8.5折，立即购买。', '活动价199元，马上抢购。'],
  cta: ['立即购买', '马上抢购', '点击了解更多'],
  titles: ['轻盈缓震跑鞋上新', '跑步装备清单分享', '和声新款跑鞋测评', '夜跑必备好物', '耐磨大底实测'],
}
const EN = {
  on: [
    'Chorus running shoes bring light cushioning to every run.',
    'The durable outsole handles city streets mile after mile.',
    'Uppers made from recycled materials keep you cool and light.',
    'Lightweight cushioning that carries every run further.',
  ],
  off: ['Our store opens at nine on weekends.', 'Follow us for weekly playlists and city routes.', 'The weather was perfect for a walk in the park.'],
  risky: ['The best running shoe ever made.', 'Number one in the world for runners.', 'Unbeatable comfort, guaranteed.'],
  offer: ['Now $199 for Singles Day, Nov 11.', 'Save 50% on Nov 11 only.', 'Spend $300, save $50 this week.'],
  cta: ['Shop now', 'Learn more'],
  titles: ['Light cushioning, longer runs', 'New season running shoes', 'Built to go further'],
}

function paragraph(bank: typeof ZH | typeof EN, sentences: number): string {
  let out = ''
  for (let i = 0; i < sentences; i++) {
    const r = rand()
    const list = r < 0.5 ? bank.on : r < 0.85 ? bank.off : r < 0.92 ? bank.offer : bank.risky
    out += (bank === EN && out ? ' ' : '') + pick(list)
  }
  return out
}

function generate(i: number): Variant {
  const english = rand() < 0.3
  const bank = english ? EN : ZH
  const stage = pick(['awareness', 'consideration', 'decision', 'loyalty'] as const)
  const id = `v${i}`
  const kind = pick(['wechat-article', 'xiaohongshu-note', 'weibo-post', 'douyin-caption', 'sms', 'email', 'baidu-search-ad', 'offline-pop'] as const)
  const cta = pick(bank.cta)
  switch (kind) {
    case 'wechat-article':
      return { id, channel: kind, stage, fields: { title: pick(bank.titles), digest: paragraph(bank, 2), body: paragraph(bank, 40 + Math.floor(rand() * 30)), cta }, hashtags: [] }
    case 'xiaohongshu-note':
      return { id, channel: kind, stage, fields: { title: pick(bank.titles), body: paragraph(bank, 8 + Math.floor(rand() * 20)) }, hashtags: ['跑步', '跑鞋推荐'] }
    case 'weibo-post':
      return { id, channel: kind, stage, fields: { body: `#和声跑鞋# ${paragraph(bank, 3 + Math.floor(rand() * 6))}` }, hashtags: [] }
    case 'douyin-caption':
      return { id, channel: kind, stage, fields: { body: paragraph(bank, 1 + Math.floor(rand() * 2)) }, hashtags: ['跑步'] }
    case 'sms':
      return { id, channel: kind, stage, fields: { signature: english ? '[Chorus]' : '【和声】', body: `${paragraph(bank, 2)}${cta} 拒收请回复R` }, hashtags: [] }
    case 'email':
      return { id, channel: kind, stage, fields: { subject: `AD ${pick(bank.titles)}`, body: `${paragraph(bank, 10 + Math.floor(rand() * 15))} 退订请点此处`, cta, link: 'https://chorus.example/run' }, hashtags: [] }
    case 'baidu-search-ad':
      return { id, channel: kind, stage, fields: { title: pick(bank.titles), description1: paragraph(bank, 1), link: 'https://chorus.example/run' }, hashtags: [] }
    case 'offline-pop':
      return { id, channel: kind, stage, fields: { headline: pick(bank.titles), body: paragraph(bank, 1), cta }, hashtags: [] }
  }
}

const variants = Array.from({ length: VARIANTS }, (_, i) => generate(i))
const campaigns: Variant[][] = []
for (let i = 0; i < variants.length; i += CAMPAIGN_SIZE) campaigns.push(variants.slice(i, i + CAMPAIGN_SIZE))
const characters = variants.reduce((sum, v) => sum + Object.values(v.fields).join('').length, 0)

const tokenizer = await loadTokenizer({ onFallback: (error) => console.warn('jieba unavailable, using Intl.Segmenter:', error) })
const setupStart = performance.now()
const checker = new ConsistencyChecker({ house, tokenizer })
const setupMs = performance.now() - setupStart

const perVariant: number[] = []
let blocks = 0
let scoreSum = 0
for (let run = 0; run < RUNS; run++) {
  const start = performance.now()
  blocks = 0
  scoreSum = 0
  for (const campaign of campaigns) {
    const report = checker.checkCampaign(campaign)
    for (const v of report.variants) {
      scoreSum += v.score
      if (v.scoreParts.blocks > 0) blocks++
    }
  }
  const ms = performance.now() - start
  perVariant.push(ms / VARIANTS)
  console.log(`run ${run + 1}: ${ms.toFixed(0)} ms total, ${(ms / VARIANTS).toFixed(3)} ms per variant`)
}
const sorted = [...perVariant].sort((a, b) => a - b)
const median = sorted[Math.floor(sorted.length / 2)]!

console.log('')
console.log(`tokenizer: ${tokenizer.name}; checker set-up: ${setupMs.toFixed(0)} ms`)
console.log(`${VARIANTS} variants in ${campaigns.length} campaigns, ${(characters / VARIANTS).toFixed(0)} characters per variant on average`)
console.log(`median over ${RUNS} runs: ${median.toFixed(3)} ms per variant, ${(median * VARIANTS).toFixed(0)} ms total`)
console.log(`mean score ${(scoreSum / VARIANTS).toFixed(1)}, ${blocks} variants with a blocking finding`)
