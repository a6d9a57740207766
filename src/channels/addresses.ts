import type { Kysely } from 'kysely'
import { readJson, type Schema } from '../platform/index.ts'
import { CHANNELS, DEFAULT_IDENTIFIER_TYPES, type Channel } from './channel.ts'
import { providersByChannel, type StoredProvider } from './provider-store.ts'
import { providerIdentifierType } from './providers/configs.ts'

/**
 * Where a channel finds a person's address: the one rule that sending (contact.ts) and the
 * audience condition `reachable` both read, so "has an address" means the same in both.
 */
export interface ChannelAddress {
  /**
   * Identifier types that hold the address, most preferred first: the provider's own type when it
   * names one (an openid belongs to one app), else the channel's defaults. Empty when every
   * profile has an address (webhooks).
   */
  types: readonly string[]
  /**
   * The address is the profile id, not the identifier's value: webhooks get the profile id, and the
   * inbox is read by profile — but only by people an app can identify (an identifier of `types`).
   */
  profileAddressed: boolean
}

/**
 * @example channelAddress('wechat', 'wechat_openid_shop') // { types: ['wechat_openid_shop'], profileAddressed: false }
 */
export function channelAddress(channel: Channel, identifierType: string | null): ChannelAddress {
  return { types: identifierType ? [identifierType] : DEFAULT_IDENTIFIER_TYPES[channel], profileAddressed: channel === 'webhook' || channel === 'inbox' }
}

/** Each channel's address rule given the providers sends would use (see `providersByChannel`). */
export function channelAddresses(providers: ReadonlyMap<Channel, StoredProvider>): Record<Channel, ChannelAddress> {
  const out = {} as Record<Channel, ChannelAddress>
  for (const channel of CHANNELS) {
    const provider = providers.get(channel)
    out[channel] = channelAddress(channel, provider ? providerIdentifierType(provider.config) : null)
  }
  return out
}

/**
 * A person's address under a rule: the value of the first identifier type they hold (or their
 * profile id where the channel is addressed by profile), null when they hold none.
 *
 * @example addressOf({ profileId, identities: [{ type: 'phone', value: '+8613800138000' }] }, channelAddress('sms', null)) // '+8613800138000'
 */
export function addressOf(person: { profileId: string; identities: ReadonlyArray<{ type: string; value: string }> }, address: ChannelAddress): string | null {
  if (address.types.length === 0) return person.profileId
  for (const type of address.types) {
    const found = person.identities.find((i) => i.type === type)
    if (found) return address.profileAddressed ? person.profileId : found.value
  }
  return null
}

/** What reaching a person on a channel takes in a workspace: an address, and for marketing possibly opt-in. */
export interface ReachRule extends ChannelAddress {
  /** The workspace sends marketing on this channel only to people whose consent is `subscribed`. */
  requireOptIn: boolean
}

/**
 * The workspace's reach rules for every channel, read without writing anything (the audience
 * processor reads them inside its transaction).
 *
 * @example const rules = await workspaceReachRules(db, workspaceId) // rules.sms → { types: ['phone'], profileAddressed: false, requireOptIn: false }
 */
export async function workspaceReachRules(db: Kysely<Schema>, workspaceId: string): Promise<Record<Channel, ReachRule>> {
  const [providers, settings] = await Promise.all([
    providersByChannel(db, workspaceId),
    db.selectFrom('channel_settings').select('require_opt_in').where('workspace_id', '=', workspaceId).executeTakeFirst(),
  ])
  const requireOptIn = new Set(settings ? readJson<Channel[]>(settings.require_opt_in, []) : [])
  const addresses = channelAddresses(providers)
  const out = {} as Record<Channel, ReachRule>
  for (const channel of CHANNELS) out[channel] = { ...addresses[channel], requireOptIn: requireOptIn.has(channel) }
  return out
}
