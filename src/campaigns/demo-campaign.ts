import { sql } from 'kysely'
import { ContentHub } from '../content/index.ts'
import type { AppContext } from '../server/context.ts'
import { DEMO_ASSETS, DEMO_HOUSE, DEMO_VARIANTS } from './demo-content.ts'
import { importDemoSpend } from './demo-spend.ts'
import { CampaignPlanner } from './planner.ts'
import { DAY_MS, localDate } from './plan/time.ts'
import type { CampaignRecord } from './store/campaigns.ts'

/**
 * The demo brand's complete campaign: 和声优品's 活力健康 launch of 活力元气水, planned over the
 * period the demo traffic covers so its KPIs come from that traffic — message house, content
 * matrix (with the deliberate problems of demo-content.ts) through the review flow, assets, the
 * five-stage plan, a mid-campaign budget change, alerts, lessons, and the finished review.
 *
 * Goals and budget are sized to the simulated population and period (people in the log, days of
 * traffic), the way a real plan is sized to its market: per person and day ¥0.18 of revenue, 0.0018
 * orders, 0.0019 people reached on Douyin and 0.0013 sign-ups — the demo's own rates put revenue
 * and sign-ups a little short and orders and Douyin reach over, so the review has both kinds of
 * result. Spend follows the demo's media plan (¥44,000 for 20,000 people over 90 days, ¥2.20 per person).
 */
export const DEMO_CAMPAIGN_NAME = '活力健康新品上市'
const MARKETER = { id: 'demo-marketer', role: 'marketer' }
const REVIEWER = { id: 'demo-reviewer', role: 'content_reviewer' }

export interface DemoCampaignReport {
  campaignId: string
  houseId: string
  variants: Record<string, string>
  created: boolean
  reviewScore: number | null
}

/**
 * Seeds the demo campaign into a workspace that already holds the demo traffic; does nothing
 * (and answers the existing ids) when the campaign is already there. `spendCsv`, the demo's
 * `spend.csv`, is imported first so ROI, CAC and CPA alerts have the money actually spent.
 *
 * @example
 * const demo = await runDemo({ baseUrl, writeKey, people: 20_000, days: 90, seed: 42, outDir })
 * await seedDemoCampaign(ctx, workspaceId, { spendCsv: await readFile(demo.files.spend, 'utf8') })
 */
export async function seedDemoCampaign(ctx: Pick<AppContext, 'database' | 'clock'>, workspaceId: string, options: { planner?: CampaignPlanner; spendCsv?: string } = {}): Promise<DemoCampaignReport> {
  const planner = options.planner ?? (await CampaignPlanner.open({ database: ctx.database }))
  const hub: ContentHub = planner.deps.hub
  const db = ctx.database.db
  const existing = await db.selectFrom('campaigns').select(['id', 'house_id']).where('workspace_id', '=', workspaceId).where('name', '=', DEMO_CAMPAIGN_NAME).executeTakeFirst()
  if (existing) return { campaignId: existing.id, houseId: existing.house_id ?? '', variants: {}, created: false, reviewScore: null }

  const now = ctx.clock.now()
  if (options.spendCsv !== undefined) await importDemoSpend(ctx.database, { workspaceId, csv: options.spendCsv, now })
  const span = await sql<{ first: number | null; last: number | null }>`select min(timestamp) as first, max(timestamp) as last from events where workspace_id = ${workspaceId}`.execute(db)
  const counted = await sql<{ people: number }>`select count(*) as people from profiles where workspace_id = ${workspaceId} and merged_into is null`.execute(db)
  const first = Number(span.rows[0]?.first ?? now - 90 * DAY_MS)
  const last = Number(span.rows[0]?.last ?? now)
  const people = Math.max(100, Number(counted.rows[0]?.people ?? 0))
  const tz = 'Asia/Shanghai'
  // From the local midnight before the first event to just after the last (or now, if the demo
  // wrote the rest of today ahead of the clock): every event so far counts, and the campaign is over.
  const endInstant = new Date(Math.min(last + 1, now)).toISOString()
  const created = answerOf(await planner.create({ workspaceId, name: DEMO_CAMPAIGN_NAME, brand: DEMO_HOUSE.brand, startsAt: localDate(first, tz), endsAt: endInstant, timezone: tz, currency: 'CNY', actor: MARKETER.id, now: first - 30 * DAY_MS }))
  const startsAt = created.startsAt
  const endsAt = created.endsAt
  const days = Math.max(1, Math.round((endsAt - startsAt) / DAY_MS))
  const at = (offsetDays: number) => startsAt + offsetDays * DAY_MS
  const date = (offsetDays: number) => localDate(at(offsetDays), tz)

  // Content: the house, then each variant written, submitted, reviewed, published.
  const house = answerOf(await hub.createHouse({ workspaceId, name: '活力健康 上市信息屋', campaignId: created.id, house: DEMO_HOUSE, note: '上市版本', actor: MARKETER, now: at(-20) }))
  const variants: Record<string, string> = {}
  for (const [i, v] of DEMO_VARIANTS.entries()) {
    const written = at(-14 + i * 0.25)
    const saved = answerOf(await hub.saveCell({ workspaceId, houseId: house.id, channel: v.channel, stage: v.stage, persona: v.persona ?? null, fields: v.fields, hashtags: v.hashtags ?? [], actor: MARKETER, now: written }))
    variants[v.key] = saved.id
    if (v.finalState === 'draft' && !v.rejection) continue
    await hub.step({ workspaceId, variantId: saved.id, action: 'submit', actor: MARKETER, now: written + 3600_000 })
    if (v.rejection) {
      await hub.step({ workspaceId, variantId: saved.id, action: 'reject', comment: v.rejection, actor: REVIEWER, now: written + 2 * 3600_000 })
      continue
    }
    if (v.finalState === 'in_review') continue
    answerOf(await hub.step({ workspaceId, variantId: saved.id, action: 'approve', version: saved.version, actor: REVIEWER, now: written + DAY_MS }))
    if (v.finalState === 'published') await hub.step({ workspaceId, variantId: saved.id, action: 'publish', actor: MARKETER, now: at(-1) })
  }
  for (const a of DEMO_ASSETS) {
    const asset = answerOf(await hub.createAsset({ workspaceId, asset: a.asset, actor: MARKETER, now: at(-16) }))
    for (const key of a.usedBy) await hub.attachAsset({ workspaceId, variantId: variants[key]!, assetId: asset.id, placement: a.asset.kind === 'video' ? 'video' : 'cover', actor: MARKETER, now: at(-13) })
  }

  // The media budget, scaled like the demo's media plan (¥44,000 for 20,000 people over 90 days).
  const scale = (people / 20_000) * (days / 90)
  const line = (yuan: number) => Math.max(1, Math.round(yuan * scale)) * 100
  const lines = [
    { channel: 'douyin', amountMinor: line(16_000) },
    { channel: 'xiaohongshu', amountMinor: line(15_900) },
    { channel: 'weibo', amountMinor: line(3_000) },
    { channel: 'baidu_search', amountMinor: line(7_600) },
  ]
  const test = { amountMinor: line(1_500), channels: ['bilibili'], hypothesis: 'B站测评视频能否带来大学生首购' }
  const totalMinor = lines.reduce((s, l) => s + l.amountMinor, 0) + test.amountMinor

  // Stage 1: goals sized to the population; a launch has no previous period, so A stays unverified.
  const perPersonDay = (n: number) => Math.round(people * days * n)
  const revenueTarget = Math.round(perPersonDay(18) / 10_000) * 10_000
  let campaign: CampaignRecord = answerOf(
    await planner.setInsight({
      campaign: created,
      input: {
        goals: [
          { id: 'revenue', statement: `上市期间全渠道销售额达到 ¥${(revenueTarget / 100).toLocaleString('en-US')}`, metric: 'revenue', target: revenueTarget, baseline: { kind: 'previous-period' }, deadline: endInstant, why: '新品上市首季在功能饮料品类站稳脚跟' },
          { id: 'orders', statement: '上市期间完成订单数', metric: 'conversions', target: perPersonDay(0.0018), baseline: { kind: 'previous-period' }, deadline: endInstant, why: '验证产品在各渠道的转化能力' },
          { id: 'reach', statement: '抖音触达人数', metric: 'reach', channel: 'douyin', target: perPersonDay(0.0019), baseline: { kind: 'previous-period' }, deadline: endInstant, why: '大学生与加班族的新品认知主要来自抖音' },
          { id: 'members', statement: '新增注册会员', metric: 'leads', target: perPersonDay(0.0013), baseline: { kind: 'value', value: Math.round(perPersonDay(0.0013) / 1.2), note: '上一款新品上市同期注册数' }, deadline: endInstant, why: '会员是短信、邮件复购触达的基础' },
        ],
        personas: [
          { name: '健身白领', description: '一二线城市、每周健身三次以上', needs: ['运动后补水', '控糖'], channels: ['xiaohongshu', 'wechat_official_account'] },
          { name: '大学生', needs: ['早八提神', '性价比'], channels: ['douyin'] },
          { name: '宝妈', needs: ['全家放心喝'], channels: ['xiaohongshu'] },
          { name: '银发族', needs: ['线下购买'], channels: ['wechat_official_account'] },
          { name: '加班族', needs: ['熬夜补充电解质'], channels: ['douyin', 'baidu_search'] },
        ],
        competitors: [
          { name: '某气泡水品牌', notes: '0糖心智强，小红书种草投入大', channels: ['xiaohongshu'] },
          { name: '某运动饮料品牌', notes: '便利店渠道强，价格更低', channels: ['offline'] },
        ],
        resources: {
          budgetMinor: Math.round(totalMinor * 1.1),
          team: [
            { name: '王芳', role: '品牌经理', department: 'marketing' },
            { name: '李雷', role: '内容', department: 'marketing' },
            { name: '韩梅梅', role: '产品经理', department: 'product' },
            { name: '张伟', role: '门店销售', department: 'sales' },
            { name: '赵敏', role: '客服主管', department: 'service' },
            { name: '陈杰', role: 'CRM 工程师', department: 'it' },
          ],
          constraints: ['所有文案须经内容审核', '年中焕新促期间预算上浮 30%'],
        },
      },
      actor: MARKETER.id,
      now: at(-19),
    }),
  ).campaign

  // Stage 2: the channel mix as the demo traffic names its sources; budget lines that add up.
  const strategy = {
    houseId: house.id,
    channelMix: [
      { channel: 'wechat_official_account', roles: { awareness: 'engage', loyalty: 'serve' }, logSources: ['wechat', 'wechat_official_account'], contentChannels: ['wechat-article'] },
      { channel: 'douyin', roles: { awareness: 'reach', consideration: 'engage' }, contentChannels: ['douyin-caption'], cpaThresholdMinor: 6_000 },
      { channel: 'xiaohongshu', roles: { consideration: 'engage', decision: 'convert' }, contentChannels: ['xiaohongshu-note'] },
      { channel: 'weibo', roles: { awareness: 'reach' }, contentChannels: ['weibo-post'] },
      { channel: 'baidu_search', roles: { consideration: 'engage', decision: 'convert' }, logSources: ['baidu'], contentChannels: ['baidu-search-ad'], cpaThresholdMinor: 3_000 },
      { channel: 'sms', roles: { decision: 'convert', loyalty: 'serve' }, contentChannels: ['sms'] },
      { channel: 'email', roles: { loyalty: 'serve' }, contentChannels: ['email'] },
    ],
    budget: { totalMinor, lines, test },
  }
  campaign = answerOf(await planner.setStrategy({ campaign, input: strategy, actor: MARKETER.id, now: at(-18) })).campaign

  // Stage 3: who does what, when. Two conflicts on purpose: 张伟 is on store training and the POP
  // roll-out at once, and the CRM journeys start before compliance has finished the copy.
  const v = variants
  const tasks = [
    { id: 'brief', name: '上市创意简报', owner: '王芳', department: 'marketing', start: date(-22), end: date(-21) },
    { id: 'house', name: '信息屋定稿', owner: '王芳', department: 'marketing', start: date(-20), end: date(-19), dependsOn: ['brief'] },
    { id: 'product', name: '口味与包装确认', owner: '韩梅梅', department: 'product', start: date(-22), end: date(-17) },
    { id: 'copy', name: '全渠道文案', owner: '李雷', department: 'marketing', start: date(-18), end: date(-12), dependsOn: ['house'], deliverables: DEMO_VARIANTS.map((d) => ({ kind: 'variant', ref: v[d.key], title: `${d.channel} · ${d.stage}` })) },
    { id: 'compliance', name: '文案合规审核', owner: '赵敏', department: 'service', start: date(-11), end: date(-8), dependsOn: ['copy'] },
    { id: 'media', name: '媒介排期与投放设置', owner: '王芳', department: 'marketing', start: date(-10), end: date(-3), dependsOn: ['house'] },
    { id: 'crm', name: '会员短信与邮件旅程', owner: '陈杰', department: 'it', start: date(-10), end: date(-4), dependsOn: ['compliance'], deliverables: [{ kind: 'journey', title: '新会员欢迎与复购旅程' }] },
    { id: 'training', name: '门店导购培训', owner: '张伟', department: 'sales', start: date(-6), end: date(-2), dependsOn: ['product'] },
    { id: 'pop', name: '门店 POP 上架', owner: '张伟', department: 'sales', start: date(-3), end: date(-1), dependsOn: ['compliance'], deliverables: [{ kind: 'variant', ref: v['pop-store'], title: '门店 POP' }] },
    { id: 'faq', name: '客服话术与 FAQ', owner: '赵敏', department: 'service', start: date(-7), end: date(-2), dependsOn: ['house'] },
    { id: 'launch', name: '全渠道上线', owner: '王芳', department: 'marketing', start: date(0), end: date(0), dependsOn: ['media', 'crm', 'pop', 'faq', 'training'] },
    { id: 'promo', name: '年中焕新促', owner: '王芳', department: 'marketing', start: date(Math.floor(days * 0.6)), end: date(Math.floor(days * 0.66)), dependsOn: ['launch'] },
    { id: 'retro', name: '复盘会', owner: '王芳', department: 'marketing', start: date(days), end: date(days + 1), dependsOn: ['promo'] },
  ]
  campaign = answerOf(await planner.setExecution({ campaign, input: { tasks }, actor: MARKETER.id, now: at(-17) })).campaign
  campaign = answerOf(await planner.setMonitoring({ campaign, input: { pacingTolerance: 0.05, cpaThresholdMinor: 8_000 }, actor: MARKETER.id, now: at(-17) })).campaign
  campaign = answerOf(await planner.launch({ campaign, actor: MARKETER.id, now: at(-1) }))

  // During the campaign: alerts checked weekly; at the first check with a suggested move the team
  // confirms the biggest budget shift offered — moving money rather than pausing a channel, since
  // the launch needs every channel's reach — and dismisses the rest.
  let decided = false
  for (let d = Math.max(7, Math.ceil(days * 0.1)); d < days && !decided; d += 7) {
    const { open } = await planner.evaluateAlerts(campaign, at(d))
    const shiftOf = (a: (typeof open)[number]) => a.actions.find((x) => x.kind === 'shift-budget')
    const actionable = open
      .filter((a) => a.actions.length > 0)
      .sort((a, b) => (shiftOf(b)?.amountMinor ?? 0) - (shiftOf(a)?.amountMinor ?? 0) || a.kind.localeCompare(b.kind) || a.subject.localeCompare(b.subject))[0]
    if (actionable) {
      const action = shiftOf(actionable) ?? actionable.actions[0]!
      const outcome = await planner.decide({ campaign, alertId: actionable.id, decision: 'confirm', actionId: action.id, note: '周会确认：按建议调整', actor: MARKETER.id, now: at(d) + 3600_000 })
      if (outcome.ok) campaign = outcome.value.campaign
      decided = true
    }
    for (const other of open.filter((a) => a !== actionable)) {
      await planner.decide({ campaign, alertId: other.id, decision: 'dismiss', note: '已知情况，继续观察', actor: MARKETER.id, now: at(d) + 3600_000 })
    }
  }
  // The promotion's budget lift, as the constraint in the insight stage says.
  const promoDay = Math.floor(days * 0.6)
  const current = campaign.plan.strategy
  const lifted = current.budget!.lines.map((l) => (l.channel === 'xiaohongshu' ? { ...l, amountMinor: l.amountMinor + current.budget!.test!.amountMinor } : l))
  campaign = answerOf(
    await planner.setStrategy({
      campaign,
      input: { ...current, budget: { totalMinor: current.budget!.totalMinor, lines: lifted } },
      actor: MARKETER.id,
      now: at(promoDay),
      reason: 'B站测试素材未按时交付：测试预算转入小红书，配合年中焕新促',
    }),
  ).campaign

  // Lessons, then the campaign ends and its review is kept.
  for (const lesson of [
    { title: '小红书种草带动天猫成交', body: '小红书笔记很少产生直接点击，但笔记发布后一周内天猫搜索和成交明显上升；评估时不能只看点击归因。', tags: ['种草', '归因'], channels: ['xiaohongshu', 'tmall'] },
    { title: 'Brand search collects last clicks', body: 'Baidu brand keywords harvested last clicks from people who had already decided; cap brand-search spend and judge it by incrementality, not last-touch CPA.', tags: ['search', 'attribution'], channels: ['baidu_search'] },
    { title: '文案先过合规再排期', body: '“全网第一”这类绝对化用语在审核环节被拦下，导致抖音素材延期两天；文案定稿前先跑内容检查。', tags: ['合规', '广告法'], channels: ['douyin'] },
  ]) {
    answerOf(await planner.addLesson({ workspaceId, campaign, lesson, actor: MARKETER.id, now: at(days) }))
  }
  const finished = answerOf(await planner.finish({ campaign, actor: MARKETER.id, now: Math.max(now, endsAt) }))
  const report = await hub.houseReport({ workspaceId, houseId: house.id })
  return { campaignId: finished.id, houseId: house.id, variants, created: true, reviewScore: report?.score ?? null }
}

function answerOf<T>(outcome: { ok: true; value: T } | { ok: false; message: string }): T {
  if (!outcome.ok) throw new Error(`demo campaign: ${outcome.message}`)
  return outcome.value
}
