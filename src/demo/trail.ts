import { BRAND } from './brand.ts'
import type { ZoneOffsets } from './calendar.ts'
import type { MediaPlan } from './media-plan.ts'
import { PERSONAS } from './personas.ts'
import type { Person } from './population.ts'
import { Purpose, Rng } from './prng.ts'
import type { SegmentMessage } from './segment-calls.ts'
import type { MiniProgramInstall, SensorsRecord } from './sensors-records.ts'

/** Where generated wire payloads go. */
export interface WireSink {
  segment(message: SegmentMessage): void
  sensors(record: SensorsRecord): void
}

/** A browser with its analytics.js cookie (the anonymous id). */
export interface SiteDevice {
  anonymousId: string
  userAgent: string
  desktop: boolean
  loggedIn: boolean
}

/** What the person's devices and the brand's sources remember about them between days. */
export interface PersonTrail {
  devices: SiteDevice[] | null
  install: MiniProgramInstall | null
  /** Ids marketplaces give this buyer, and whether the export already identified them. */
  tmallBuyer: string | null
  jdBuyer: string | null
  identifiedAt: Set<'tmall' | 'jd'>
  cartOpen: boolean
}

export function newTrail(): PersonTrail {
  return { devices: null, install: null, tmallBuyer: null, jdBuyer: null, identifiedAt: new Set(), cartOpen: false }
}

/** Everything the writers of one person-day need. */
export interface PersonDay {
  seed: number
  person: Person
  day: number
  plan: MediaPlan
  zones: ZoneOffsets
  rng: Rng
  sink: WireSink
  trail: PersonTrail
  dateKey: string
  /** Member in the actual world before today's purchase, if any. */
  memberBefore: boolean
  /** Next order sequence number for a venue on this day. */
  nextOrderSeq(venue: string): number
}

/** The instant of a local time of day in the person's zone. */
export function localInstant(ctx: PersonDay, secondOfDay: number): number {
  return ctx.zones.localToUtc(ctx.person.timeZone, ctx.plan.dayStartMs(ctx.day), secondOfDay)
}

/** The instant of a Shanghai clock time on the day (owned messages are sent on the brand's clock). */
export function brandInstant(ctx: PersonDay, secondOfDay: number): number {
  return Math.round(ctx.plan.dayStartMs(ctx.day) + secondOfDay * 1000)
}

/** A local time of day (seconds, with a fraction) drawn from the persona's activity by hour. */
export function activeSecond(ctx: PersonDay): number {
  const hour = ctx.rng.weighted(PERSONAS[ctx.person.persona]!.hours)
  return hour * 3600 + ctx.rng.next() * 3600
}

function mobileUserAgent(person: Person): string {
  const h = person.handset
  if (h.os === 'iOS') {
    const v = h.osVersion.replaceAll('.', '_')
    return `Mozilla/5.0 (iPhone; CPU iPhone OS ${v} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${h.osVersion.split('.').slice(0, 2).join('.')} Mobile/15E148 Safari/604.1`
  }
  return `Mozilla/5.0 (Linux; Android ${h.osVersion}; ${h.model}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36`
}

const DESKTOP_USER_AGENT = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36'

/**
 * The person's browsers, created on first visit from a stream keyed by the person alone, so a
 * device's anonymous id does not depend on the day it first appears. Half of the members who
 * had an account before the launch are still logged in on their phone.
 */
export function siteDevices(ctx: PersonDay): SiteDevice[] {
  if (ctx.trail.devices) return ctx.trail.devices
  const rng = new Rng(ctx.seed, Purpose.device, ctx.person.index, 0)
  const anonymousId = rng.uuid()
  const loggedIn = rng.chance(0.5) && ctx.person.initialMember
  const devices: SiteDevice[] = [{ anonymousId, userAgent: mobileUserAgent(ctx.person), desktop: false, loggedIn }]
  if (ctx.person.hasDesktop) devices.push({ anonymousId: rng.uuid(), userAgent: DESKTOP_USER_AGENT, desktop: true, loggedIn: false })
  ctx.trail.devices = devices
  return devices
}

/** Traits a person gives when they sign up or log in on the brand's own site. */
export function siteTraits(person: Person, phone: string): Record<string, unknown> {
  const traits: Record<string, unknown> = { name: person.name, phone, city: person.city, persona: PERSONAS[person.persona]!.name }
  if (person.email) traits.email = person.email
  return traits
}

/** The brand site's absolute URL of a path and query. */
export function siteUrl(path: string, search: string): string {
  return `${BRAND.siteOrigin}${path}${search}`
}
