import { CHANNELS } from '../channels/index.ts'

/**
 * The channels a journey or broadcast may name: those the channels module delivers on (email,
 * SMS, WeChat Official Account and mini-program messages, WeCom, webhook, the in-app inbox).
 */
export const JOURNEY_CHANNELS: readonly string[] = CHANNELS
