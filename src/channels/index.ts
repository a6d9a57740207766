/**
 * Channels: delivering messages (email over SMTP, Aliyun and Tencent SMS, WeChat Official Account
 * template messages, mini-program subscribe messages, WeCom customer messages, signed webhooks,
 * the in-app inbox), exactly once per idempotency key; templates (Liquid, MJML, a variant per
 * channel); consent and channel choice; tracked links, opens, unsubscribes and delivery receipts,
 * all written to the event log.
 */
export { Channel, CHANNELS, UTM_MEDIUM } from './channel.ts'
export { sendMessage, prepareSend, SEND_LEASE_MS } from './send.ts'
export { resumeStaleSends, resumeSendsJob, RESUME_SENDS_JOB } from './recovery.ts'
export { SendRequest, type SendOutcome, type ChannelContext } from './send-request.ts'
export { loadContactProfile, resolveChannel, reachability, recipientFor, type MessageCategory, type ContactProfile, type ChannelResolution, type Reachability, type BlockCode, type ChannelReach } from './contact.ts'
export { channelAddress, workspaceReachRules, type ChannelAddress, type ReachRule } from './addresses.ts'
export { CONSENT_EVENTS, ConsentState, setConsent, setDoNotContact, consentOf } from './consent.ts'
export type { ChannelProvider, ProviderResult, OutboundMessage, RenderedContent, ProviderIdempotency } from './provider.ts'
export { ProviderConfig, type ProviderKind } from './providers/configs.ts'
export { buildProvider } from './providers/build.ts'
export { signWebhook, verifyWebhook, SIGNATURE_HEADER } from './providers/webhook-signature.ts'
export { createProvider, getProvider, listProviders, channelProvider } from './provider-store.ts'
export { TemplateInput, TemplateVariants, type StoredTemplate } from './templates/template.ts'
export { createTemplate, getTemplate, listTemplates, updateTemplate, deleteTemplate } from './templates/template-store.ts'
export { previewTemplate } from './templates/preview.ts'
export { TemplateRenderError, type LiquidProblem } from './templates/liquid.ts'
export { channelSettings, updateChannelSettings } from './settings-store.ts'
export { eraseChannelData } from './privacy.ts'
export { channelRoutes, channelTrackingRoutes } from './routes/index.ts'
