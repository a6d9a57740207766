import { readJson, type Clock, type Database } from '../platform/index.ts'
import { canonicalProfileId, profileGroup } from '../profiles/index.ts'
import { addressOf, channelAddress, channelAddresses } from './addresses.ts'
import { CHANNELS, type Channel } from './channel.ts'
import { consentOf, type ConsentState, type DoNotContact } from './consent.ts'
import { providersByChannel } from './provider-store.ts'
import { INBOX_PROVIDER_ID } from './providers/inbox.ts'
import { channelSettings } from './settings-store.ts'

export interface ChannelReach {
  /** The address on this channel, or null when the person has none. */
  recipient: string | null
  consent: ConsentState
  /** The provider sends on this channel would use, or null when none is configured. */
  providerId: string | null
}

/** What deciding whether and where to contact a person needs, loaded once. */
export interface ContactProfile {
  workspaceId: string
  /** The canonical profile (merges followed). */
  profileId: string
  traits: Record<string, unknown>
  /** Identifiers of the canonical profile, most recently linked first. */
  identities: Array<{ type: string; value: string }>
  doNotContact: DoNotContact | null
  requireOptIn: Channel[]
  reach: Record<Channel, ChannelReach>
}

export type BlockCode = 'ProfileNotFound' | 'DoNotContact' | 'Unsubscribed' | 'NotOptedIn' | 'NoRecipient' | 'NoProvider'

export type Reachability = { kind: 'Reachable'; channel: Channel; recipient: string; providerId: string } | { kind: 'Unreachable'; channel: Channel; code: BlockCode; reason: string }

const ADDRESS_NAME: Record<Channel, string> = {
  email: 'email address',
  sms: 'phone number',
  wechat: 'Official Account openid',
  wechat_mini: 'mini-program openid',
  wecom: 'WeCom external_userid',
  webhook: 'profile',
  inbox: 'app identifier (user_id, anonymous_id or device_id)',
}

/**
 * Loads a person for contact decisions: canonical id, traits, the address each channel would use
 * (the most recently linked identifier of the provider's type), consent per channel across merged
 * profiles, the do-not-contact flag and the workspace's opt-in rules. Null when no such profile.
 *
 * @example const person = await loadContactProfile(ctx, workspaceId, profileId)
 */
export async function loadContactProfile(ctx: { database: Database; clock: Clock }, workspaceId: string, profileId: string): Promise<ContactProfile | null> {
  const db = ctx.database.db
  const canonical = await canonicalProfileId(db, workspaceId, profileId)
  if (!canonical) return null
  const [row, identities, group, providers, settings] = await Promise.all([
    db.selectFrom('profiles').select('traits').where('workspace_id', '=', workspaceId).where('id', '=', canonical).executeTakeFirst(),
    db.selectFrom('identities').select(['type', 'value', 'created_at']).where('workspace_id', '=', workspaceId).where('profile_id', '=', canonical).orderBy('created_at', 'desc').execute(),
    profileGroup(db, workspaceId, canonical),
    providersByChannel(db, workspaceId),
    channelSettings(db, workspaceId, ctx.clock.now()),
  ])
  if (!row) return null
  const { consents, doNotContact } = await consentOf(db, workspaceId, group)
  const reach = {} as Record<Channel, ChannelReach>
  const person = { profileId: canonical, identities: identities.map((i) => ({ type: i.type, value: i.value })) }
  const addresses = channelAddresses(providers)
  for (const channel of CHANNELS) {
    reach[channel] = {
      recipient: addressOf(person, addresses[channel]),
      consent: consents.get(channel)?.state ?? 'unknown',
      providerId: channel === 'inbox' ? INBOX_PROVIDER_ID : (providers.get(channel)?.id ?? null),
    }
  }
  return { workspaceId, profileId: canonical, traits: readJson(row.traits, {}), identities: person.identities, doNotContact, requireOptIn: settings.requireOptIn, reach }
}

/**
 * The address a channel uses for a person: the most recently linked identifier of the provider's
 * type (or the channel's default types); the profile id itself for webhooks, and for the inbox
 * when an app can identify the person.
 *
 * @example recipientFor(person, 'sms', null) // '+8613800138000'
 */
export function recipientFor(person: { profileId: string; identities: Array<{ type: string; value: string }> }, channel: Channel, identifierType: string | null): string | null {
  return addressOf(person, channelAddress(channel, identifierType))
}

/**
 * Marketing messages need consent; transactional ones (an order confirmation, a password reset)
 * go to people who unsubscribed from marketing on the channel, but never to do-not-contact.
 */
export type MessageCategory = 'marketing' | 'transactional'

/**
 * Whether a channel can reach the person now, and if not, why: do-not-contact, unsubscribed,
 * not opted in where the workspace requires it, no address, no provider configured.
 *
 * @example reachability(person, 'email') // { kind: 'Unreachable', channel: 'email', code: 'Unsubscribed', reason: 'The person unsubscribed from email' }
 */
export function reachability(profile: ContactProfile, channel: Channel, category: MessageCategory = 'marketing'): Reachability {
  const reach = profile.reach[channel]
  const no = (code: BlockCode, reason: string): Reachability => ({ kind: 'Unreachable', channel, code, reason })
  if (profile.doNotContact) return no('DoNotContact', `The person is marked do-not-contact (${profile.doNotContact.reason}, by ${profile.doNotContact.source})`)
  if (category === 'marketing' && reach.consent === 'unsubscribed') return no('Unsubscribed', `The person unsubscribed from ${channel}`)
  if (category === 'marketing' && profile.requireOptIn.includes(channel) && reach.consent !== 'subscribed') return no('NotOptedIn', `The workspace sends ${channel} only to people who opted in, and this person has not`)
  if (!reach.recipient) return no('NoRecipient', `The person has no ${ADDRESS_NAME[channel]}`)
  if (!reach.providerId) return no('NoProvider', `No ${channel} provider is configured in this workspace`)
  return { kind: 'Reachable', channel, recipient: reach.recipient, providerId: reach.providerId }
}

export type ChannelResolution =
  | { kind: 'Reachable'; channel: Channel; recipient: string; providerId: string }
  | { kind: 'Unreachable'; tried: Array<{ channel: Channel; code: BlockCode; reason: string }> }

/**
 * Picks the channel to contact a person on: the first of `preferredOrder` that reaches them. A
 * person's own `preferred_channel` trait, when it names a channel of the list, is tried first.
 * E.g. `['wechat', 'sms']` falls back to SMS for a person with no openid.
 *
 * @example
 * const person = await loadContactProfile(ctx, workspaceId, profileId)
 * const choice = person ? resolveChannel(person, ['wechat', 'sms', 'email']) : null
 * if (choice?.kind === 'Reachable') await sendMessage(ctx, { …, channel: choice.channel })
 */
export function resolveChannel(profile: ContactProfile, preferredOrder: readonly Channel[], options: { category?: MessageCategory } = {}): ChannelResolution {
  const own = profile.traits.preferred_channel
  const order = typeof own === 'string' && preferredOrder.includes(own as Channel) ? [own as Channel, ...preferredOrder.filter((c) => c !== own)] : [...new Set(preferredOrder)]
  const tried: Array<{ channel: Channel; code: BlockCode; reason: string }> = []
  for (const channel of order) {
    const verdict = reachability(profile, channel, options.category)
    if (verdict.kind === 'Reachable') return verdict
    tried.push({ channel, code: verdict.code, reason: verdict.reason })
  }
  return { kind: 'Unreachable', tried }
}
