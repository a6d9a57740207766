import type { ChannelRule, RuleCondition } from './channel-rule.ts'
import {
  CLICK_ID_CHANNELS,
  OFFICIAL_ACCOUNT_MEDIA,
  PAID_MEDIUM_PATTERN,
  PAYMENT_DOMAINS,
  PLATFORMS,
  WECHAT_SHARE_MEDIA,
  WECHAT_SOURCES,
  type Platform,
} from './platforms.ts'
import { EXCLUDED_SCENES, WECHAT_SCENE_CHANNELS } from './wechat-scenes.ts'

const is = (field: RuleCondition['field'], ...values: string[]): RuleCondition => ({ field, op: 'in', values })
const domain = (...values: string[]): RuleCondition => ({ field: 'referrer', op: 'domain', values })
const matches = (field: RuleCondition['field'], ...values: string[]): RuleCondition => ({ field, op: 'matches', values })
const exists = (field: RuleCondition['field']): RuleCondition => ({ field, op: 'exists' })
const paidMedium = matches('medium', PAID_MEDIUM_PATTERN)
const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')

function rule(id: string, name: string, when: RuleCondition[], channel: string, group: ChannelRule['group']): ChannelRule {
  return { id, name, when, exclude: false, channel, group }
}

/** Messages Chorus and messaging services report (`Message Sent/Delivered/Opened/Clicked` with `properties.channel`, Segment's Email spec). */
function messageRules(): ChannelRule[] {
  const message = is('origin', 'message')
  return [
    rule('message-email', 'Email messages', [message, is('messageChannel', 'email', 'edm', 'e-mail', '邮件', '邮箱')], 'email', 'email'),
    rule('message-email-spec', 'Segment Email spec events', [message, matches('event', '^email ')], 'email', 'email'),
    rule('message-sms', 'SMS messages', [message, is('messageChannel', 'sms', 'mms', 'text', '短信', '彩信')], 'sms', 'sms'),
    rule('message-wechat-oa', 'WeChat official account messages (template, customer service, mass)', [message, is('messageChannel', 'wechat', 'weixin', 'wechat_official_account', 'wechat_template', 'wechat_oa', 'official_account', '公众号', '模板消息')], 'wechat_official_account', 'organic_social'),
    rule('message-wechat-template-event', 'WeChat template message events without a channel', [message, matches('event', 'template message')], 'wechat_official_account', 'organic_social'),
    rule('message-wechat-subscription', 'Mini-program subscription messages', [message, is('messageChannel', 'wechat_subscription', 'wechat_subscribe', 'miniprogram_subscribe', 'subscription_message', '订阅消息')], 'wechat_subscription_message', 'messaging'),
    rule('message-wecom', 'WeCom (企业微信) messages', [message, is('messageChannel', 'wecom', 'wechat_work', 'work_wechat', '企业微信', '企微')], 'wecom', 'messaging'),
    rule('message-push', 'Push notifications', [message, is('messageChannel', 'push', 'app_push', 'notification', '推送')], 'push', 'push'),
    rule('message-push-spec', 'Segment mobile push events', [message, matches('event', '^push notification')], 'push', 'push'),
    rule('message-in-app', 'In-app messages', [message, is('messageChannel', 'in_app', 'inapp', 'in-app', '站内信')], 'in_app', 'messaging'),
    rule('message-other', 'Messages on any other channel', [message, exists('messageChannel')], '{messageChannel}', 'messaging'),
    rule('message-unknown', 'Messages that name no channel', [message], 'messaging', 'messaging'),
  ]
}

/** Orders and visits in stores and on marketplaces (`properties.channel`). */
function venueRules(): ChannelRule[] {
  const rules = [rule('store', 'Offline stores (POS, store check-ins)', [is('origin', 'store')], 'offline_store', 'offline')]
  for (const p of PLATFORMS.filter((p) => p.paid.group === 'ecommerce')) {
    rules.push(rule(`marketplace-${p.paid.channel}`, `${p.paid.channel} orders and visits`, [is('origin', 'marketplace'), is('propertyChannel', ...p.sources, p.paid.channel)], p.paid.channel, 'ecommerce'))
  }
  rules.push(rule('marketplace-other', 'Other marketplaces', [is('origin', 'marketplace')], '{propertyChannel}', 'ecommerce'))
  return rules
}

/** Ad click ids on the landing URL: the ad platform's own mark of a paid click. */
function clickIdRules(): ChannelRule[] {
  const douyin = PLATFORMS.find((p) => p.paid.channel === 'douyin')!
  const toutiao = PLATFORMS.find((p) => p.paid.channel === 'toutiao')!
  return [
    ...CLICK_ID_CHANNELS.map((c) => rule(`click-id-${c.params[0]!.replace(/_/g, '-')}`, `${c.params.join(' / ')} on the landing URL`, [is('clickId', ...c.params)], c.channel, c.group)),
    rule('click-id-clickid-douyin', 'Ocean Engine clickid from Douyin', [is('clickId', 'clickid'), is('source', ...douyin.sources)], 'douyin', 'paid_social'),
    rule('click-id-clickid-douyin-referrer', 'Ocean Engine clickid with a Douyin referrer', [is('clickId', 'clickid'), domain(...douyin.domains)], 'douyin', 'paid_social'),
    rule('click-id-clickid-toutiao', 'Ocean Engine clickid from Toutiao', [is('clickId', 'clickid'), is('source', ...toutiao.sources)], 'toutiao', 'paid_social'),
  ]
}

/** WeChat by UTM: official account, ads, sharing, the rest. */
function wechatUtmRules(): ChannelRule[] {
  const wechat = is('source', ...WECHAT_SOURCES)
  return [
    rule('utm-wechat-ads', 'WeChat ads (utm_source wechat/gdt, paid medium)', [wechat, paidMedium], 'wechat_ads', 'paid_social'),
    rule('utm-wechat-official-account', 'WeChat official account (articles, menu, template messages)', [wechat, is('medium', ...OFFICIAL_ACCOUNT_MEDIA)], 'wechat_official_account', 'organic_social'),
    rule('utm-wechat-official-account-source', 'utm_source names the official account', [is('source', 'wechat_official_account', 'official_account', '公众号', 'wechat_mp')], 'wechat_official_account', 'organic_social'),
    rule('utm-wechat-share', 'Shared in WeChat chats and Moments', [wechat, is('medium', ...WECHAT_SHARE_MEDIA)], 'wechat_share', 'organic_social'),
    rule('utm-wechat', 'Other WeChat traffic', [wechat], 'wechat', 'organic_social'),
  ]
}

function platformUtmRules(p: Platform): ChannelRule[] {
  const id = slug(p.paid.channel)
  const source = is('source', ...p.sources)
  if (p.paid.channel === p.organic.channel && p.paid.group === p.organic.group) {
    return [rule(`utm-${id}`, `${p.paid.channel} (utm_source)`, [source], p.paid.channel, p.paid.group)]
  }
  return [
    rule(`utm-${id}-paid`, `${p.paid.channel}, paid medium`, [source, paidMedium], p.paid.channel, p.paid.group),
    rule(`utm-${slug(p.organic.channel)}`, `${p.organic.channel} (utm_source, not paid)`, [source], p.organic.channel, p.organic.group),
  ]
}

/** UTM with a source no platform rule knows: classified by medium, as Google Analytics does. */
function mediumRules(): ChannelRule[] {
  return [
    rule('utm-email', 'Email (utm_medium email, newsletter)', [matches('medium', '^(e[-_]?mail|edm|newsletter|邮件)$')], 'email', 'email'),
    rule('utm-email-source', 'Email (utm_source email, newsletter)', [is('source', 'email', 'e-mail', 'newsletter', 'edm')], 'email', 'email'),
    rule('utm-sms', 'SMS (utm_medium or utm_source sms)', [matches('medium', '^(sms|mms|短信)$')], 'sms', 'sms'),
    rule('utm-sms-source', 'SMS (utm_source sms)', [is('source', 'sms', 'mms', '短信')], 'sms', 'sms'),
    rule('utm-push', 'Push notifications', [matches('medium', '^(push|app_push|notification|推送)$')], 'push', 'push'),
    rule('utm-affiliate', 'Affiliates (CPS, 联盟)', [matches('medium', '^(affiliate|affiliates|cps|联盟|淘客)$')], '{source}', 'affiliate'),
    rule('utm-offline', 'Offline media: posters, packaging, QR codes', [matches('medium', '^(offline|qr|qrcode|qr_code|poster|print|flyer|package|packaging|线下|二维码|海报|门店)$')], '{source}', 'offline'),
    rule('utm-offline-source', 'Offline media named as the source', [is('source', 'qr', 'qrcode', 'qr_code', 'poster', 'offline', 'store', '线下', '门店', '二维码')], 'qr_code', 'offline'),
    rule('utm-display', 'Display (cpm, banner)', [matches('medium', '^(display|banner|cpm|expandable|interstitial)$')], '{source}', 'display'),
    rule('utm-paid-search', 'Paid search (cpc, ppc, sem)', [matches('medium', '^(cpc|ppc|sem|paidsearch|paid_search|竞价)$')], '{source}', 'paid_search'),
    rule('utm-paid-other', 'Other paid media', [paidMedium], '{source}', 'paid_other'),
    rule('utm-organic-search', 'Organic search (utm_medium organic)', [is('medium', 'organic', 'seo')], '{source}', 'organic_search'),
    rule('utm-social', 'Social (utm_medium social)', [matches('medium', '^(social|social[-_]network|social[-_]media|sm|sns|社交)$')], '{source}', 'organic_social'),
    rule('utm-referral', 'Referral (utm_medium referral, link, app)', [is('medium', 'referral', 'link', 'app')], '{source}', 'referral'),
    rule('utm-unknown', 'Any other utm_source', [exists('source')], '{source}', 'unassigned'),
  ]
}

/** Mini-program launches without UTM: the WeChat scene says where they came from. */
function sceneRules(): ChannelRule[] {
  return [
    { id: 'scene-excluded', name: 'Scenes that are not a touchpoint (WeChat Pay pages, return from another mini program, crawler)', when: [is('scene', ...EXCLUDED_SCENES.map(String))], exclude: true },
    ...WECHAT_SCENE_CHANNELS.map((s) => rule(`scene-${slug(s.channel)}`, `WeChat scenes: ${s.name}`, [is('scene', ...s.scenes.map(String))], s.channel, s.group)),
    rule('scene-other', 'Any other WeChat scene', [exists('scene')], 'wechat', 'organic_social'),
  ]
}

/** Referrers without UTM: the domain says where the visitor came from. */
function referrerRules(): ChannelRule[] {
  const rules: ChannelRule[] = [
    rule('referrer-wechat-article', 'Links in official-account articles (mp.weixin.qq.com)', [domain('mp.weixin.qq.com')], 'wechat_official_account', 'organic_social'),
    rule('referrer-wechat', 'Other WeChat pages', [domain('weixin.qq.com', 'servicewechat.com', 'wechat.com')], 'wechat', 'organic_social'),
  ]
  for (const p of PLATFORMS) {
    rules.push(rule(`referrer-${slug(p.organic.channel)}`, `${p.organic.channel} (referrer)`, [domain(...p.domains)], p.organic.channel, p.organic.group))
  }
  rules.push(rule('referrer-google-country', 'Google on a country domain', [matches('referrer', '^(www\\.)?google\\.[a-z]{2,3}(\\.[a-z]{2})?$')], 'google_organic', 'organic_search'))
  rules.push(rule('referrer-other', 'Any other site', [exists('referrer')], 'referral', 'referral'))
  return rules
}

/**
 * The channel rules every workspace starts with, in evaluation order (first match wins): unwanted
 * referrers, messages, stores and marketplaces, ad click ids, UTM (WeChat, the platforms, then by
 * medium), WeChat scenes, referrers, and finally direct. See docs/measurement.md.
 */
export function defaultChannelRules(): ChannelRule[] {
  return [
    { id: 'exclude-payment-referrers', name: 'Payment pages interrupt a visit; they are not a touchpoint', when: [domain(...PAYMENT_DOMAINS)], exclude: true },
    ...messageRules(),
    ...venueRules(),
    ...clickIdRules(),
    ...wechatUtmRules(),
    ...PLATFORMS.flatMap(platformUtmRules),
    ...mediumRules(),
    ...sceneRules(),
    ...referrerRules(),
    rule('direct-medium', 'A utm_medium without a source', [exists('medium')], '{medium}', 'unassigned'),
    rule('direct', 'Arrivals with no source, referrer or scene: typed, bookmarked, reopened', [is('origin', 'arrival')], 'direct', 'direct'),
    rule('exposure-other', 'Ad exposures that name no platform', [is('origin', 'exposure')], 'display', 'display'),
    rule('unassigned', 'Anything else', [], 'unassigned', 'unassigned'),
  ]
}
