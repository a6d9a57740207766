import { PHASES, PROMOTION } from './brand.ts'
import { DAY_MS, shanghaiDateKey, shanghaiWeekday } from './calendar.ts'
import { BRAND_SEARCH, CAMPAIGN_COUNT, DISPLAY_CAMPAIGNS, OWNED_SCHEDULE, SEARCH_CAMPAIGNS } from './channels.ts'
import { Purpose, Rng } from './prng.ts'

/**
 * The brand's plan, day by day: how much each paid campaign buys (which sets how many people it
 * reaches), what a thousand impressions or a click costs that week, and when owned channels send.
 * Budgets move week to week (a log-normal weekly multiplier, launch bursts, dark weeks, a
 * promotion) so that a media-mix model has variation to learn from.
 *
 * @example new MediaPlan(seedFromValue(42), 90, parseShanghaiDate('2025-03-01')).reach(0, 0) // Douyin launch reach on day 1
 */
export class MediaPlan {
  readonly days: number
  readonly startMs: number
  /** Display: expected impressions per person at affinity 1. Search: share of searches showing our ad. */
  readonly #reach: Float64Array
  /** Display: CPM in fen. Search: CPC in fen. */
  readonly #unitCost: Float64Array
  readonly #article: Uint8Array
  readonly #template: Uint8Array
  readonly #sms: Uint8Array
  readonly #email: Uint8Array
  readonly #promo: Uint8Array
  readonly #weekday: Uint8Array

  constructor(seed: number, days: number, startMs: number) {
    this.days = days
    this.startMs = startMs
    this.#reach = new Float64Array(CAMPAIGN_COUNT * days)
    this.#unitCost = new Float64Array(CAMPAIGN_COUNT * days)
    this.#article = new Uint8Array(days)
    this.#template = new Uint8Array(days)
    this.#sms = new Uint8Array(days)
    this.#email = new Uint8Array(days)
    this.#promo = new Uint8Array(days)
    this.#weekday = new Uint8Array(days)
    const rng = new Rng(seed)
    const weeks = Math.ceil(days / 7)

    for (let d = 0; d < days; d++) {
      this.#weekday[d] = shanghaiWeekday(startMs + d * DAY_MS)
      const f = d / days
      if (f >= PROMOTION.from && f < PROMOTION.to) this.#promo[d] = 1
    }

    for (const campaign of DISPLAY_CAMPAIGNS) {
      for (let w = 0; w < weeks; w++) {
        rng.reseed(seed, Purpose.plan, campaign.index, w)
        const dark = rng.chance(campaign.darkWeekChance)
        const budget = dark ? 0 : Math.exp(0.35 * rng.normal() - 0.06)
        const cpmFactor = Math.exp(0.12 * rng.normal())
        for (let d = w * 7; d < Math.min(days, w * 7 + 7); d++) {
          const f = d / days
          const slot = campaign.index * days + d
          this.#unitCost[slot] = campaign.cpmMinor * cpmFactor
          if (f < campaign.from || f >= campaign.to) continue
          const burst = f < 0.15 ? campaign.launchBurst : 1
          const weekend = this.#weekday[d] === 0 || this.#weekday[d] === 6 ? 1.1 : 1
          const promo = this.#promo[d] ? PROMOTION.budgetLift : 1
          this.#reach[slot] = campaign.rate * budget * burst * weekend * promo
        }
      }
    }

    for (const campaign of SEARCH_CAMPAIGNS) {
      for (let w = 0; w < weeks; w++) {
        rng.reseed(seed, Purpose.plan, campaign.index, w)
        // Weekly bid changes move both how often the ad shows and what a click costs.
        const bid = rng.normal()
        const base = campaign.index === BRAND_SEARCH ? 0.85 : 0.55
        const show = Math.min(0.97, Math.max(0.2, base + 0.1 * bid))
        const cpc = campaign.cpcMinor * Math.exp(0.15 * bid + 0.05 * rng.normal())
        for (let d = w * 7; d < Math.min(days, w * 7 + 7); d++) {
          const slot = campaign.index * days + d
          this.#reach[slot] = Math.min(0.99, show * (this.#promo[d] ? 1.05 : 1))
          this.#unitCost[slot] = cpc
        }
      }
    }

    for (let d = 0; d < days; d++) {
      if (OWNED_SCHEDULE.articleWeekdays.includes(this.#weekday[d]!) || d === 0) this.#article[d] = 1
      if (this.#weekday[d] === OWNED_SCHEDULE.emailWeekday) this.#email[d] = 1
    }
    for (const f of OWNED_SCHEDULE.templateDays) this.#template[Math.min(days - 1, Math.floor(f * days))] = 1
    for (const f of OWNED_SCHEDULE.smsDays) this.#sms[Math.min(days - 1, Math.floor(f * days))] = 1
  }

  reach(campaign: number, day: number): number {
    return this.#reach[campaign * this.days + day]!
  }

  unitCostMinor(campaign: number, day: number): number {
    return this.#unitCost[campaign * this.days + day]!
  }

  isArticleDay(day: number): boolean {
    return this.#article[day] === 1
  }

  isTemplateDay(day: number): boolean {
    return this.#template[day] === 1
  }

  isSmsDay(day: number): boolean {
    return this.#sms[day] === 1
  }

  isEmailDay(day: number): boolean {
    return this.#email[day] === 1
  }

  isPromoDay(day: number): boolean {
    return this.#promo[day] === 1
  }

  weekday(day: number): number {
    return this.#weekday[day]!
  }

  dayStartMs(day: number): number {
    return this.startMs + day * DAY_MS
  }

  dateKey(day: number): string {
    return shanghaiDateKey(this.startMs + day * DAY_MS)
  }

  /** The phase (campaign name owned channels use) on a day. */
  phaseName(day: number): string {
    const f = day / this.days
    for (const phase of PHASES) if (f < phase.until) return phase.name
    return PHASES[PHASES.length - 1]!.name
  }
}
