import type { Basket } from './basket.ts'

/**
 * What the causal core decided for one person-day in the actual world — clicks, deliveries, a
 * purchase and where — which the payload writers turn into wire calls.
 */

/** A search that reached (or did not reach) the brand. */
export type SearchOutcome = 'none' | 'searched' | 'shown' | 'paid_click' | 'organic_click'

export interface ConversionOutcome {
  /** Index into `VENUES`. */
  venue: number
  basket: Basket
  wasMember: boolean
  joinedMember: boolean
  /** POS only: the buyer gave a phone number at the till. */
  givesPhone: boolean
  smsOptIn: boolean
  emailOptIn: boolean
  /** Brand-site purchases that start from a search (non-causal, the buyer already decided). */
  navigationalSearch: 'none' | 'paid_click' | 'organic_click'
  /** Channel (index) whose click in the last three days tilted the venue, or -1. */
  recentClick: number
}

/** What happened to one person on one day in the actual world; reused between calls. */
export class DayOutcome {
  displayClicks: number[] = []
  categorySearch: SearchOutcome = 'none'
  brandSearch: SearchOutcome = 'none'
  article: 'none' | 'read' | 'clicked' = 'none'
  template: 'none' | 'delivered' | 'clicked' = 'none'
  sms: 'none' | 'delivered' | 'clicked' = 'none'
  email: 'none' | 'delivered' | 'opened' | 'clicked' = 'none'
  conversion: ConversionOutcome | null = null
  /** Sum of saturated adstock over channels: how much the brand is on this person's mind. */
  interest = 0

  reset(): void {
    this.displayClicks.length = 0
    this.categorySearch = 'none'
    this.brandSearch = 'none'
    this.article = 'none'
    this.template = 'none'
    this.sms = 'none'
    this.email = 'none'
    this.conversion = null
    this.interest = 0
  }

  get hasActivity(): boolean {
    return this.displayClicks.length > 0 || this.categorySearch === 'paid_click' || this.brandSearch === 'paid_click' ||
      this.brandSearch === 'organic_click' || this.article === 'clicked' || this.template !== 'none' || this.sms === 'clicked' ||
      this.email !== 'none' || this.conversion !== null
  }
}
