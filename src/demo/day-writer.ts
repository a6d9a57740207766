import { BRAND, LANDING_PAGES, VENUES } from './brand.ts'
import { ZoneOffsets } from './calendar.ts'
import { BRAND_SEARCH, CATEGORY_SEARCH, DISPLAY_CAMPAIGNS, SEARCH_CAMPAIGNS } from './channels.ts'
import type { MediaPlan } from './media-plan.ts'
import { SCENES, writeMiniProgramVisit, type MiniProgramVisit } from './mini-program-sessions.ts'
import type { Person } from './population.ts'
import { Purpose, Rng } from './prng.ts'
import { writeCrmImport, writeEmailEvents, writeMarketplaceOrder, writePosOrder, writeTemplateMessage } from './server-events.ts'
import { writeSiteVisit, type SiteVisit } from './site-sessions.ts'
import { activeSecond, brandInstant, localInstant, newTrail, type PersonDay, type PersonTrail, type WireSink } from './trail.ts'
import type { DayOutcome } from './day-outcome.ts'

const DISPLAY_REFERRERS: Record<string, string> = {
  douyin: 'https://www.douyin.com/',
  xiaohongshu: 'https://www.xiaohongshu.com/',
  weibo: 'https://weibo.com/',
}

type Visit = { kind: 'site'; visit: SiteVisit } | { kind: 'mini_program'; visit: MiniProgramVisit }

/**
 * Turns one person-day of the actual world into wire payloads. The causal core decided what
 * happened (clicks, deliveries, a purchase and where); this decides how it looks on the wire:
 * when in the person's local day, on which device, through which pages. Browsing that is not a
 * click (direct visits, opening the mini program) follows interest but never causes a purchase.
 */
export class DayWriter {
  readonly #seed: number
  readonly #people: readonly Person[]
  readonly #plan: MediaPlan
  readonly #sink: WireSink
  readonly #zones = new ZoneOffsets()
  readonly #rng: Rng
  readonly #trails: (PersonTrail | undefined)[]
  readonly #orderSeq = new Map<string, number>()
  #seqDay = -1

  constructor(seed: number, people: readonly Person[], plan: MediaPlan, sink: WireSink) {
    this.#seed = seed
    this.#people = people
    this.#plan = plan
    this.#sink = sink
    this.#rng = new Rng(seed)
    this.#trails = new Array(people.length)
  }

  #context(person: Person, day: number, memberBefore: boolean): PersonDay {
    if (this.#seqDay !== day) {
      this.#orderSeq.clear()
      this.#seqDay = day
    }
    let trail = this.#trails[person.index]
    if (!trail) this.#trails[person.index] = trail = newTrail()
    const seq = this.#orderSeq
    return {
      seed: this.#seed,
      person,
      day,
      plan: this.#plan,
      zones: this.#zones,
      rng: this.#rng,
      sink: this.#sink,
      trail,
      dateKey: this.#plan.dateKey(day),
      memberBefore,
      nextOrderSeq(venue) {
        const next = (seq.get(venue) ?? 0) + 1
        seq.set(venue, next)
        return next
      },
    }
  }

  /** The CRM's member import on the first day. */
  writeCrmImport(index: number): void {
    const person = this.#people[index]!
    this.#rng.reseed(this.#seed, Purpose.emission, index, -1)
    writeCrmImport(this.#context(person, 0, true))
  }

  writeDay(index: number, day: number, outcome: DayOutcome, memberNow: boolean): void {
    const person = this.#people[index]!
    // Browsing that follows interest — coming back to the site, opening the mini program — is
    // drawn first, so that the many quiet person-days return before any allocation.
    const rng = this.#rng.reseed(this.#seed, Purpose.emission, index, day)
    const known = this.#trails[index]
    const installed = known?.install != null
    const browsesSite = rng.next() < 0.006 + 0.015 * outcome.interest + (known?.cartOpen ? 0.05 : 0)
    const opensMini = rng.next() < (installed ? 0.03 + 0.02 * outcome.interest : person.followsOfficialAccount ? 0.004 : 0)
    if (!outcome.hasActivity && !browsesSite && !opensMini) return

    const memberBefore = outcome.conversion ? outcome.conversion.wasMember : memberNow
    const ctx = this.#context(person, day, memberBefore)
    const { trail } = ctx
    const plan = this.#plan
    const phase = plan.phaseName(day)
    const visits: Visit[] = []
    const site = (at: number, source: SiteVisit['source'], preferDesktop = false) => visits.push({ kind: 'site', visit: { at, source, purchase: null, preferDesktop } })
    const home: MiniProgramVisit['landing'] = { path: 'pages/index/index', title: BRAND.name }
    const mini = (at: number, scene: number, utm: MiniProgramVisit['utm'], landing = home) =>
      visits.push({ kind: 'mini_program', visit: { at, scene, utm, landing, purchase: null } })

    for (const k of outcome.displayClicks) {
      const campaign = DISPLAY_CAMPAIGNS[k]!
      site(localInstant(ctx, activeSecond(ctx)), {
        kind: 'utm',
        utm: { source: campaign.channel, medium: campaign.utmMedium, name: campaign.name, content: `${campaign.channel}-${k}-v${rng.between(1, 3)}` },
        referrer: DISPLAY_REFERRERS[campaign.channel]!,
        landing: campaign.channel === 'xiaohongshu' ? 'story' : 'campaign',
        ...(campaign.channel === 'douyin' ? { clickParam: ['clickid', rng.hex(32)] as const } : {}),
      })
    }
    if (outcome.categorySearch === 'paid_click') site(localInstant(ctx, activeSecond(ctx)), searchClick(rng, CATEGORY_SEARCH), true)
    if (outcome.brandSearch === 'paid_click') site(localInstant(ctx, activeSecond(ctx)), searchClick(rng, BRAND_SEARCH), true)
    if (outcome.brandSearch === 'organic_click') site(localInstant(ctx, activeSecond(ctx)), { kind: 'organic_search', keyword: rng.pick(SEARCH_CAMPAIGNS[0]!.keywords) }, true)
    if (outcome.article === 'clicked') {
      const read = brandInstant(ctx, 20 * 3600 + rng.next() * 3 * 3600)
      mini(read, SCENES.officialAccountArticle, { source: 'wechat', medium: 'article', campaign: phase }, { path: 'pages/campaign/vitality', title: `${BRAND.product} 新品上市` })
    }
    if (outcome.template !== 'none') {
      const sent = writeTemplateMessage(ctx, phase)
      if (outcome.template === 'clicked') {
        mini(sent + rng.between(1, 240) * 60_000, SCENES.templateMessage, { source: 'wechat', medium: 'template_message', campaign: phase }, { path: 'pages/campaign/vitality', title: `${BRAND.product} 新品上市` })
      }
    }
    if (outcome.sms === 'clicked') {
      const at = brandInstant(ctx, 11 * 3600 + rng.next() * 5 * 3600)
      const utm = { source: 'sms', medium: 'sms', name: `${phase}·短信` }
      if (rng.chance(0.6)) site(at, { kind: 'utm', utm, referrer: '', landing: 'campaign' })
      else mini(at, SCENES.urlLink, { source: utm.source, medium: utm.medium, campaign: utm.name })
    }
    if (outcome.email !== 'none' && person.email) {
      const campaignName = `${phase}·会员周报`
      const link = `${BRAND.siteOrigin}${LANDING_PAGES.story.path}`
      const message = { campaignName, emailId: `em-${ctx.dateKey}`, subject: `${BRAND.product}｜${phase}：本周的活力健康` }
      const clicked = writeEmailEvents(ctx, outcome.email, message, link)
      if (outcome.email === 'clicked') site(clicked + rng.between(1, 5) * 1000, { kind: 'utm', utm: { source: 'email', medium: 'email', name: campaignName }, referrer: '', landing: 'story' }, true)
    }
    if (browsesSite) site(localInstant(ctx, activeSecond(ctx)), { kind: 'direct' }, true)
    if (opensMini) {
      mini(localInstant(ctx, activeSecond(ctx)), installed ? [SCENES.recent, SCENES.myMiniPrograms, SCENES.discover][rng.int(3)]! : SCENES.officialAccountMenu, null)
    }

    const conversion = outcome.conversion
    if (conversion) {
      const venue = VENUES[conversion.venue]!
      if (venue === 'brand_site') {
        // A purchase that starts from a search is its own visit (the click was billed); otherwise
        // it happens in today's last visit, or in a direct one.
        const host = conversion.navigationalSearch === 'none' ? lastOf(visits, 'site') : null
        if (host) host.purchase = conversion
        else {
          const source: SiteVisit['source'] =
            conversion.navigationalSearch === 'paid_click' ? searchClick(rng, BRAND_SEARCH)
              : conversion.navigationalSearch === 'organic_click' ? { kind: 'organic_search', keyword: rng.pick(SEARCH_CAMPAIGNS[0]!.keywords) }
                : { kind: 'direct' }
          visits.push({ kind: 'site', visit: { at: localInstant(ctx, activeSecond(ctx)), source, purchase: conversion, preferDesktop: true } })
        }
      } else if (venue === 'wechat_mini_program') {
        const host = lastOf(visits, 'mini_program')
        if (host) host.purchase = conversion
        else {
          visits.push({ kind: 'mini_program', visit: { at: localInstant(ctx, activeSecond(ctx)), scene: rng.chance(0.6) ? SCENES.recent : SCENES.discover, utm: null, landing: { path: 'pages/index/index', title: BRAND.name }, purchase: conversion } })
        }
      } else if (venue === 'pos') {
        writePosOrder(ctx, conversion, localInstant(ctx, 9 * 3600 + rng.next() * 12 * 3600))
      } else {
        writeMarketplaceOrder(ctx, conversion, localInstant(ctx, activeSecond(ctx)))
      }
    }

    visits.sort((a, b) => a.visit.at - b.visit.at)
    for (const v of visits) {
      if (v.kind === 'site') writeSiteVisit(ctx, v.visit)
      else writeMiniProgramVisit(ctx, v.visit)
    }
  }
}

function lastOf(visits: Visit[], kind: Visit['kind']): { purchase: SiteVisit['purchase'] } | null {
  for (let i = visits.length - 1; i >= 0; i--) {
    const v = visits[i]!
    if (v.kind === kind) return v.visit
  }
  return null
}

/** A paid-search click: UTM with `utm_medium=cpc`, the keyword as `utm_term`, and Baidu's `bd_vid` click id. */
function searchClick(rng: Rng, campaignIndex: number): SiteVisit['source'] {
  const campaign = SEARCH_CAMPAIGNS[campaignIndex - SEARCH_CAMPAIGNS[0]!.index]!
  return {
    kind: 'utm',
    utm: { source: 'baidu', medium: 'cpc', name: campaign.name, term: rng.pick(campaign.keywords) },
    referrer: 'https://www.baidu.com/',
    landing: campaignIndex === BRAND_SEARCH ? 'home' : 'product',
    clickParam: ['bd_vid', rng.digits(19)],
  }
}
