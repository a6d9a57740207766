import { PROMOTION, VENUES } from './brand.ts'
import { buildBasket } from './basket.ts'
import { chooseVenue } from './venue-choice.ts'
import {
  BRAND_SEARCH, CATEGORY_SEARCH, CH, CHANNEL_COUNT, CHANNEL_EFFECTS, DISPLAY_CAMPAIGNS, EXPOSURE_WEIGHT, OWNED_SCHEDULE,
} from './channels.ts'
import { DayOutcome, type ConversionOutcome } from './day-outcome.ts'
import type { MediaPlan } from './media-plan.ts'
import { PERSONAS } from './personas.ts'
import type { Person } from './population.ts'
import { Purpose, Rng, poissonFromUniform } from './prng.ts'
import { SpendLedger } from './spend.ts'

/**
 * The causal core. Every person-day is simulated in several worlds at once: world 0 is what
 * happened; world 1 + c is the same period without channel c; the last world has no marketing at
 * all. All worlds read the SAME uniforms for a person-day (common random numbers), so the
 * difference between two worlds is the effect of the removed channel and not sampling noise.
 */
export const WORLD_COUNT = CHANNEL_COUNT + 2
export const ACTUAL_WORLD = 0
export const NO_MARKETING_WORLD = CHANNEL_COUNT + 1

// Uniform slots drawn once per person-day; every world reads the same ones.
const U_DISPLAY = 0 // two per display campaign
const U_CAT_SEARCH = 2 * DISPLAY_CAMPAIGNS.length
const U_CAT_SHOW = U_CAT_SEARCH + 1
const U_CAT_CLICK = U_CAT_SEARCH + 2
const U_BRAND_SEARCH = U_CAT_SEARCH + 3
const U_BRAND_SHOW = U_CAT_SEARCH + 4
const U_BRAND_CLICK = U_CAT_SEARCH + 5
const U_ARTICLE_READ = U_CAT_SEARCH + 6
const U_ARTICLE_CLICK = U_CAT_SEARCH + 7
const U_TEMPLATE_CLICK = U_CAT_SEARCH + 8
const U_SMS_CLICK = U_CAT_SEARCH + 9
const U_EMAIL_OPEN = U_CAT_SEARCH + 10
const U_EMAIL_CLICK = U_CAT_SEARCH + 11
const U_CONVERT = U_CAT_SEARCH + 12
const U_VENUE = U_CAT_SEARCH + 13
const U_BASKET = U_CAT_SEARCH + 14 // four
const U_JOIN = U_CAT_SEARCH + 18
const U_PHONE = U_CAT_SEARCH + 19
const U_SMS_OPT = U_CAT_SEARCH + 20
const U_EMAIL_OPT = U_CAT_SEARCH + 21
const U_NAV = U_CAT_SEARCH + 22
const U_NAV_SHOW = U_CAT_SEARCH + 23
const U_NAV_CLICK = U_CAT_SEARCH + 24
const U_COUNT = U_CAT_SEARCH + 25

const DECAY = Float64Array.from(CHANNEL_EFFECTS, (e) => e.decay)
const HALF_SATURATION = Float64Array.from(CHANNEL_EFFECTS, (e) => e.halfSaturation)
const LIFT = Float64Array.from(CHANNEL_EFFECTS, (e) => e.lift)

const MEMBER = 1
const SMS_OPT_IN = 2
const EMAIL_OPT_IN = 4

const CATEGORY_SEARCH_RATE = 0.012
const CATEGORY_CTR = 0.06
const BRAND_SEARCH_BASE = 0.0015
const BRAND_SEARCH_PER_INTEREST = 0.006
const BRAND_PAID_CTR = 0.35
const MAX_HAZARD = 0.6
/** When several channels were clicked the same day, the one that counts as last. */
const CLICK_PRIORITY = [CH.email, CH.sms, CH.wechat_official_account, CH.baidu_search, CH.weibo, CH.xiaohongshu, CH.douyin]

/** Totals per world and week, read by the truth builder. */
export interface WorldTotals {
  weeks: number
  /** [world × weeks] */
  orders: Float64Array
  revenueMinor: Float64Array
  venueOrders: Int32Array
  venueRevenueMinor: Float64Array
  buyers: number
}

/**
 * The population's state in every world, stepped one person-day at a time.
 *
 * @example
 * const world = new World(seed, people, plan)
 * for (let day = 0; day < plan.days; day++) for (const p of people) world.step(p.index, day)
 * world.totals().orders // [world × week]
 */
export class World {
  readonly people: readonly Person[]
  readonly plan: MediaPlan
  readonly spend: SpendLedger
  readonly outcome = new DayOutcome()
  readonly #seed: number
  readonly #rng: Rng
  readonly #u = new Float64Array(U_COUNT)
  readonly #shared = new Float64Array(CHANNEL_COUNT)
  readonly #units = new Float64Array(CHANNEL_COUNT)
  readonly #venueWeights = new Float64Array(VENUES.length)
  readonly #adstock: Float64Array
  readonly #lastPurchase: Int32Array
  readonly #supplyDays: Float64Array
  readonly #flags: Uint8Array
  readonly #lastClick: Int8Array
  readonly #lastClickDay: Int32Array
  readonly #weeks: number
  readonly #orders: Float64Array
  readonly #revenue: Float64Array
  readonly #venueOrders = new Int32Array(VENUES.length)
  readonly #venueRevenue = new Float64Array(VENUES.length)
  readonly #buyer: Uint8Array
  /** Per counterfactual slot: 1 once the world has differed from the actual one. */
  readonly #diverged: Uint8Array
  /** The actual world's state before today's update, copied into a slot when it diverges. */
  readonly #snapshot = new Float64Array(CHANNEL_COUNT + 5)
  /** Adstock units each channel added today in the actual world. */
  readonly #actualUnits = new Float64Array(CHANNEL_COUNT)
  /** The actual world's order total today, or -1 when nobody bought. */
  #actualOrderMinor = -1
  /** Channels off in every world (bit per channel index). */
  #switchedOff = 0

  /**
   * @param withoutChannels indices of channels switched off in every world, the actual one
   *   included: a "what if we had not run it" scenario on the same random numbers.
   */
  constructor(seed: number, people: readonly Person[], plan: MediaPlan, withoutChannels: readonly number[] = []) {
    this.#seed = seed
    for (const c of withoutChannels) this.#switchedOff |= 1 << c
    this.people = people
    this.plan = plan
    this.spend = new SpendLedger(plan)
    this.#rng = new Rng(seed)
    const n = people.length
    this.#adstock = new Float64Array(n * WORLD_COUNT * CHANNEL_COUNT)
    this.#lastPurchase = new Int32Array(n * WORLD_COUNT).fill(-1)
    this.#supplyDays = new Float64Array(n * WORLD_COUNT)
    this.#flags = new Uint8Array(n * WORLD_COUNT)
    this.#lastClick = new Int8Array(n * WORLD_COUNT).fill(-1)
    this.#lastClickDay = new Int32Array(n * WORLD_COUNT)
    this.#weeks = Math.ceil(plan.days / 7)
    this.#orders = new Float64Array(WORLD_COUNT * this.#weeks)
    this.#revenue = new Float64Array(WORLD_COUNT * this.#weeks)
    this.#buyer = new Uint8Array(n)
    this.#diverged = new Uint8Array(n * WORLD_COUNT)
    for (const p of people) {
      const flags = (p.initialMember ? MEMBER : 0) | (p.initialSmsOptIn ? SMS_OPT_IN : 0) | (p.initialEmailOptIn ? EMAIL_OPT_IN : 0)
      this.#flags.fill(flags, p.index * WORLD_COUNT, (p.index + 1) * WORLD_COUNT)
    }
  }

  /** Whether the person is a member in the actual world (after the last simulated day). */
  isMember(index: number): boolean {
    return (this.#flags[index * WORLD_COUNT]! & MEMBER) !== 0
  }

  /** Simulates one person-day in every world; returns the actual world's outcome. */
  step(index: number, day: number): DayOutcome {
    const p = this.people[index]!
    const plan = this.plan
    const u = this.#u
    const rng = this.#rng.reseed(this.#seed, Purpose.core, index, day)
    for (let k = 0; k < U_COUNT; k++) u[k] = rng.next()
    const o = this.outcome
    o.reset()
    const shared = this.#shared.fill(0)
    let sharedClicks = 0

    // Exposures that do not depend on the state of a world: bought reach, category search, articles.
    const off = this.#switchedOff
    for (const campaign of DISPLAY_CAMPAIGNS) {
      const reach = plan.reach(campaign.index, day)
      const ch = CH[campaign.channel]
      if (reach === 0 || off & (1 << ch)) continue
      const impressions = poissonFromUniform(u[U_DISPLAY + 2 * campaign.index]!, reach * p.affinity[ch]!, 4)
      if (impressions === 0) continue
      const clicked = u[U_DISPLAY + 2 * campaign.index + 1]! < 1 - Math.pow(1 - campaign.ctr, impressions)
      shared[ch] = shared[ch]! + impressions * EXPOSURE_WEIGHT.impression + (clicked ? EXPOSURE_WEIGHT.click : 0)
      this.spend.add(campaign.index, day, impressions, clicked ? 1 : 0)
      if (clicked) {
        sharedClicks |= 1 << ch
        o.displayClicks.push(campaign.index)
      }
    }
    if (u[U_CAT_SEARCH]! < CATEGORY_SEARCH_RATE * p.affinity[CH.baidu_search]!) {
      o.categorySearch = 'searched'
      if (!(off & (1 << CH.baidu_search)) && u[U_CAT_SHOW]! < plan.reach(CATEGORY_SEARCH, day)) {
        const clicked = u[U_CAT_CLICK]! < CATEGORY_CTR
        shared[CH.baidu_search] = shared[CH.baidu_search]! + EXPOSURE_WEIGHT.impression + (clicked ? EXPOSURE_WEIGHT.click : 0)
        this.spend.add(CATEGORY_SEARCH, day, 1, clicked ? 1 : 0)
        o.categorySearch = clicked ? 'paid_click' : 'shown'
        if (clicked) sharedClicks |= 1 << CH.baidu_search
      }
    }
    if (!(off & (1 << CH.wechat_official_account)) && plan.isArticleDay(day) && p.followsOfficialAccount &&
      u[U_ARTICLE_READ]! < OWNED_SCHEDULE.articleReadRate * p.affinity[CH.wechat_official_account]!) {
      const clicked = u[U_ARTICLE_CLICK]! < OWNED_SCHEDULE.articleClickRate
      shared[CH.wechat_official_account] = EXPOSURE_WEIGHT.impression + (clicked ? EXPOSURE_WEIGHT.click : 0)
      o.article = clicked ? 'clicked' : 'read'
      if (clicked) sharedClicks |= 1 << CH.wechat_official_account
    }

    this.#takeSnapshot(index)
    this.#stepWorld(p, day, ACTUAL_WORLD, sharedClicks)
    // A counterfactual world that has never differed from the actual one, and whose removed
    // channels added nothing today, stays identical: reuse the actual outcome instead of recomputing.
    const week = Math.floor(day / 7)
    for (let w = 1; w < WORLD_COUNT; w++) {
      const slot = index * WORLD_COUNT + w
      if (this.#diverged[slot] === 0) {
        if (!this.#removedAddedToday(w)) {
          if (this.#actualOrderMinor >= 0) {
            this.#orders[w * this.#weeks + week]! += 1
            this.#revenue[w * this.#weeks + week]! += this.#actualOrderMinor
          }
          continue
        }
        this.#restoreSnapshot(slot)
        this.#diverged[slot] = 1
      }
      this.#stepWorld(p, day, w, sharedClicks)
    }
    return o
  }

  #removedAddedToday(w: number): boolean {
    if (w === NO_MARKETING_WORLD) {
      for (let c = 0; c < CHANNEL_COUNT; c++) if (this.#actualUnits[c]! > 0) return true
      return false
    }
    return this.#actualUnits[w - 1]! > 0
  }

  #takeSnapshot(index: number): void {
    const slot = index * WORLD_COUNT
    const snap = this.#snapshot
    for (let c = 0; c < CHANNEL_COUNT; c++) snap[c] = this.#adstock[slot * CHANNEL_COUNT + c]!
    snap[CHANNEL_COUNT] = this.#lastPurchase[slot]!
    snap[CHANNEL_COUNT + 1] = this.#supplyDays[slot]!
    snap[CHANNEL_COUNT + 2] = this.#flags[slot]!
    snap[CHANNEL_COUNT + 3] = this.#lastClick[slot]!
    snap[CHANNEL_COUNT + 4] = this.#lastClickDay[slot]!
  }

  #restoreSnapshot(slot: number): void {
    const snap = this.#snapshot
    for (let c = 0; c < CHANNEL_COUNT; c++) this.#adstock[slot * CHANNEL_COUNT + c] = snap[c]!
    this.#lastPurchase[slot] = snap[CHANNEL_COUNT]!
    this.#supplyDays[slot] = snap[CHANNEL_COUNT + 1]!
    this.#flags[slot] = snap[CHANNEL_COUNT + 2]!
    this.#lastClick[slot] = snap[CHANNEL_COUNT + 3]!
    this.#lastClickDay[slot] = snap[CHANNEL_COUNT + 4]!
  }

  #stepWorld(p: Person, day: number, w: number, sharedClicks: number): void {
    const plan = this.plan
    const u = this.#u
    const o = this.outcome
    const actual = w === ACTUAL_WORLD
    const removed = this.#switchedOff | (w === ACTUAL_WORLD ? 0 : w === NO_MARKETING_WORLD ? (1 << CHANNEL_COUNT) - 1 : 1 << (w - 1))
    const slot = p.index * WORLD_COUNT + w
    const base = slot * CHANNEL_COUNT
    const adstock = this.#adstock
    const units = this.#units
    let flags = this.#flags[slot]!
    let clicks = sharedClicks & ~removed
    for (let c = 0; c < CHANNEL_COUNT; c++) units[c] = removed & (1 << c) ? 0 : this.#shared[c]!

    // Brand searches come from interest the other channels built (yesterday's adstock). Interest
    // is at most CHANNEL_COUNT - 1, so most days the uniform rules a search out without computing it.
    const searchAffinity = p.affinity[CH.baidu_search]!
    const uSearch = u[U_BRAND_SEARCH]!
    let searches = false
    if (uSearch < searchAffinity * (BRAND_SEARCH_BASE + BRAND_SEARCH_PER_INTEREST * (CHANNEL_COUNT - 1))) {
      let interest = 0
      for (let c = 0; c < CHANNEL_COUNT; c++) {
        const a = adstock[base + c]!
        if (c !== CH.baidu_search && a > 0) interest += a / (a + HALF_SATURATION[c]!)
      }
      searches = uSearch < searchAffinity * (BRAND_SEARCH_BASE + BRAND_SEARCH_PER_INTEREST * interest)
    }
    if (searches) {
      const searchOn = (removed & (1 << CH.baidu_search)) === 0
      const shown = searchOn && u[U_BRAND_SHOW]! < plan.reach(BRAND_SEARCH, day)
      const paid = shown && u[U_BRAND_CLICK]! < BRAND_PAID_CTR
      if (shown) units[CH.baidu_search] = units[CH.baidu_search]! + EXPOSURE_WEIGHT.impression + (paid ? EXPOSURE_WEIGHT.click : 0)
      if (paid) clicks |= 1 << CH.baidu_search
      if (actual) {
        this.spend.add(BRAND_SEARCH, day, shown ? 1 : 0, paid ? 1 : 0)
        o.brandSearch = paid ? 'paid_click' : u[U_BRAND_CLICK]! < 0.7 ? 'organic_click' : shown ? 'shown' : 'searched'
      }
    }
    // Owned messages reach the audience this world has built so far.
    if (!(removed & (1 << CH.wechat_official_account)) && plan.isTemplateDay(day) && p.followsOfficialAccount && flags & MEMBER) {
      const clicked = u[U_TEMPLATE_CLICK]! < OWNED_SCHEDULE.templateClickRate
      units[CH.wechat_official_account] = units[CH.wechat_official_account]! + EXPOSURE_WEIGHT.templateDelivered + (clicked ? EXPOSURE_WEIGHT.click : 0)
      if (clicked) clicks |= 1 << CH.wechat_official_account
      if (actual) o.template = clicked ? 'clicked' : 'delivered'
    }
    if (!(removed & (1 << CH.sms)) && plan.isSmsDay(day) && flags & SMS_OPT_IN) {
      const clicked = u[U_SMS_CLICK]! < OWNED_SCHEDULE.smsClickRate * p.affinity[CH.sms]!
      units[CH.sms] = EXPOSURE_WEIGHT.smsDelivered + (clicked ? EXPOSURE_WEIGHT.click : 0)
      if (clicked) clicks |= 1 << CH.sms
      if (actual) o.sms = clicked ? 'clicked' : 'delivered'
    }
    if (!(removed & (1 << CH.email)) && plan.isEmailDay(day) && flags & EMAIL_OPT_IN) {
      const opened = u[U_EMAIL_OPEN]! < Math.min(0.9, OWNED_SCHEDULE.emailOpenRate * p.affinity[CH.email]!)
      const clicked = opened && u[U_EMAIL_CLICK]! < OWNED_SCHEDULE.emailClickRate
      units[CH.email] = EXPOSURE_WEIGHT.emailDelivered + (opened ? EXPOSURE_WEIGHT.emailOpened : 0) + (clicked ? EXPOSURE_WEIGHT.click : 0)
      if (clicked) clicks |= 1 << CH.email
      if (actual) o.email = clicked ? 'clicked' : opened ? 'opened' : 'delivered'
    }

    if (actual) {
      this.#actualUnits.set(units)
      this.#actualOrderMinor = -1
    }

    // Geometric adstock, Hill saturation (shape 1), multiplicative lift on the hazard.
    let lift = 1
    let xiaohongshu = 0
    let saturation = 0
    for (let c = 0; c < CHANNEL_COUNT; c++) {
      let a = adstock[base + c]! * DECAY[c]! + units[c]!
      if (a < 1e-4) a = 0
      adstock[base + c] = a
      if (a === 0) continue
      const sat = a / (a + HALF_SATURATION[c]!)
      lift *= 1 + LIFT[c]! * sat
      saturation += sat
      if (c === CH.xiaohongshu) xiaohongshu = sat
    }
    if (actual) o.interest = saturation
    if (clicks !== 0) {
      for (const c of CLICK_PRIORITY) {
        if (clicks & (1 << c)) {
          this.#lastClick[slot] = c
          this.#lastClickDay[slot] = day
          break
        }
      }
    }

    const weekday = plan.weekday(day)
    const dow = weekday === 0 || weekday === 6 ? 1.15 : weekday === 5 ? 1.05 : 1
    const promo = plan.isPromoDay(day)
    const last = this.#lastPurchase[slot]!
    const ratio = last < 0 ? 1 : Math.min(1, (day - last) / this.#supplyDays[slot]!)
    const hazard = Math.min(MAX_HAZARD, p.baseHazard * dow * (promo ? PROMOTION.demandLift : 1) * ratio * ratio * lift)
    if (!(u[U_CONVERT]! < hazard)) return

    // A purchase: where, what, and who the buyer becomes.
    const recent = this.#lastClick[slot]! >= 0 && day - this.#lastClickDay[slot]! <= 3 ? this.#lastClick[slot]! : -1
    const venue = chooseVenue(p, recent, xiaohongshu, (flags & MEMBER) !== 0, u[U_VENUE]!, this.#venueWeights)
    const basket = buildBasket(venue, u, U_BASKET, promo)
    const wasMember = (flags & MEMBER) !== 0
    const venueName = VENUES[venue]!
    let givesPhone = false
    let joins = false
    if (venueName === 'brand_site' || venueName === 'wechat_mini_program') joins = !wasMember
    else if (venueName === 'tmall' || venueName === 'jd') joins = !wasMember && u[U_JOIN]! < 0.25
    else {
      givesPhone = u[U_PHONE]! < (wasMember ? 0.9 : 0.45)
      joins = !wasMember && givesPhone
    }
    let smsOptIn = false
    let emailOptIn = false
    if (joins) {
      smsOptIn = u[U_SMS_OPT]! < 0.6
      emailOptIn = p.email !== null && u[U_EMAIL_OPT]! < 0.3
      flags |= MEMBER | (smsOptIn ? SMS_OPT_IN : 0) | (emailOptIn ? EMAIL_OPT_IN : 0)
      this.#flags[slot] = flags
    }
    this.#lastPurchase[slot] = day
    this.#supplyDays[slot] = basket.servings / PERSONAS[p.persona]!.servingsPerDay + 2
    const week = Math.floor(day / 7)
    this.#orders[w * this.#weeks + week]! += 1
    this.#revenue[w * this.#weeks + week]! += basket.totalMinor
    if (!actual) return
    this.#actualOrderMinor = basket.totalMinor

    let navigationalSearch: ConversionOutcome['navigationalSearch'] = 'none'
    if (venueName === 'brand_site' && u[U_NAV]! < 0.45) {
      const shown = !(this.#switchedOff & (1 << CH.baidu_search)) && u[U_NAV_SHOW]! < plan.reach(BRAND_SEARCH, day)
      navigationalSearch = shown && u[U_NAV_CLICK]! < 0.6 ? 'paid_click' : 'organic_click'
      this.spend.add(BRAND_SEARCH, day, shown ? 1 : 0, navigationalSearch === 'paid_click' ? 1 : 0)
    }
    this.#venueOrders[venue]! += 1
    this.#venueRevenue[venue]! += basket.totalMinor
    this.#buyer[p.index] = 1
    o.conversion = { venue, basket, wasMember, joinedMember: joins, givesPhone, smsOptIn, emailOptIn, navigationalSearch, recentClick: recent }
  }

  totals(): WorldTotals {
    let buyers = 0
    for (const b of this.#buyer) buyers += b
    return {
      weeks: this.#weeks,
      orders: this.#orders.slice(),
      revenueMinor: this.#revenue.slice(),
      venueOrders: this.#venueOrders.slice(),
      venueRevenueMinor: this.#venueRevenue.slice(),
      buyers,
    }
  }
}
