import { z } from 'zod'

/**
 * Channel groups: the level at which a marketer compares channels. The names follow Google
 * Analytics 4's default channel groups where one exists (Paid Search, Organic Social, Referral,
 * Direct, Email, SMS, Affiliates, Display…), plus the groups Chinese marketing needs: e-commerce
 * marketplaces (Tmall, JD, Pinduoduo) and offline stores, and owned messaging (WeChat template
 * and subscription messages, WeCom, in-app).
 */
export const CHANNEL_GROUPS = [
  'paid_search',
  'organic_search',
  'paid_social',
  'organic_social',
  'display',
  'paid_other',
  'ecommerce',
  'email',
  'sms',
  'push',
  'messaging',
  'affiliate',
  'offline',
  'referral',
  'direct',
  'unassigned',
] as const

export const ChannelGroup = z.enum(CHANNEL_GROUPS)
export type ChannelGroup = z.infer<typeof ChannelGroup>

/** Groups that count as direct traffic for last-non-direct attribution. */
export const DIRECT_GROUPS: readonly ChannelGroup[] = ['direct']
