import { describe, expect, it } from 'vitest'
import type { EventRow } from '../touchpoints/event-row.ts'
import { touchOf } from '../touchpoints/touch-extract.ts'
import { ChannelClassifier } from './classify.ts'
import { ChannelRule } from './channel-rule.ts'
import { defaultChannelRules } from './default-rules.ts'

const SITE = 'https://www.heshengyoupin.example'

function row(fields: Partial<EventRow>): EventRow {
  return {
    seq: 1, profileId: 'p1', timestamp: Date.UTC(2025, 2, 1), type: 'page', event: 'Home', orderMinor: null, orderCurrency: null,
    library: 'analytics.js', campaignSource: null, campaignMedium: null, campaignName: null, campaignTerm: null, campaignContent: null,
    utmSource: null, utmMedium: null, utmCampaign: null, sensorsSource: null, sensorsMedium: null, sensorsCampaign: null,
    referrer: '', url: `${SITE}/`, search: '', propertyChannel: null, scene: null, platform: null, messageCampaign: null, journey: null, extra: [],
    ...fields,
  }
}

/** A landing page with UTM (as analytics.js reports it: `context.campaign`). */
const utm = (source: string, medium: string, name = 'launch', extra: Partial<EventRow> = {}) =>
  row({ campaignSource: source, campaignMedium: medium, campaignName: name, url: `${SITE}/?utm_source=${source}`, ...extra })
const referred = (referrer: string) => row({ referrer })
/** A mini-program launch reported by the Sensors SDK. */
const launch = (scene: number, utmFields: Partial<EventRow> = {}) =>
  row({ type: 'track', event: '$MPShow', library: 'sensors/MiniProgram', scene: `wx-${scene}`, referrer: '直接打开', url: 'pages/index/index', ...utmFields })

const classifier = new ChannelClassifier(defaultChannelRules())
const classify = (r: EventRow) => {
  const outcome = touchOf(r, classifier)
  return outcome?.kind === 'touch' ? { channel: outcome.touch.channel, group: outcome.touch.group, kind: outcome.touch.kind } : outcome
}

describe('default channel rules', () => {
  const cases: [string, EventRow, string, string, string][] = [
    // WeChat: official account (UTM, scenes, article links), ads, sharing, search, mini program reopen
    ['WeChat official-account article (utm)', launch(1058, { sensorsSource: 'wechat', sensorsMedium: 'article', sensorsCampaign: '新品上市' }), 'wechat_official_account', 'organic_social', 'click'],
    ['WeChat template message (scene 1043 without utm)', launch(1043), 'wechat_official_account', 'organic_social', 'click'],
    ['WeChat official-account menu (scene 1035)', launch(1035), 'wechat_official_account', 'organic_social', 'click'],
    ['link in an official-account article opened in the WeChat browser', referred('https://mp.weixin.qq.com/s/abc'), 'wechat_official_account', 'organic_social', 'click'],
    ['WeChat Moments ad (scene 1045)', launch(1045), 'wechat_ads', 'paid_social', 'click'],
    ['WeChat ad by utm (wechat / paid_social)', utm('wechat', 'paid_social'), 'wechat_ads', 'paid_social', 'click'],
    ['Tencent ads click id gdt_vid', row({ url: `${SITE}/?gdt_vid=wx0abc`, search: '?gdt_vid=wx0abc' }), 'tencent_ads', 'paid_social', 'click'],
    ['mini-program card shared in a group chat (scene 1008)', launch(1008), 'wechat_share', 'organic_social', 'click'],
    ['WeChat search (scene 1053)', launch(1053), 'wechat_search', 'organic_search', 'click'],
    ['mini program reopened from recents (scene 1089) is direct', launch(1089), 'wechat_mini_program', 'direct', 'visit'],
    ['mini program opened from a poster QR code (scene 1047)', launch(1047), 'qr_code', 'offline', 'click'],
    ['SMS link into the mini program (scene 1065 with utm sms)', launch(1065, { sensorsSource: 'sms', sensorsMedium: 'sms' }), 'sms', 'sms', 'click'],
    ['mini-program screens carry the last campaign but are not a touch', row({ type: 'screen', library: 'sensors/MiniProgram', campaignSource: 'wechat', campaignMedium: 'article', referrer: 'pages/index/index', url: 'pages/product/detail' }), '', '', ''],
    // Douyin / Toutiao / Kuaishou
    ['Douyin paid video with clickid', utm('douyin', 'paid_video', '活力健康新品上市', { referrer: 'https://www.douyin.com/', url: `${SITE}/c?utm_source=douyin&clickid=abc`, search: '?utm_source=douyin&clickid=abc' }), 'douyin', 'paid_social', 'click'],
    ['Douyin clickid with only a Douyin referrer', row({ referrer: 'https://www.iesdouyin.com/share/video/1', url: `${SITE}/?clickid=ab12`, search: '?clickid=ab12' }), 'douyin', 'paid_social', 'click'],
    ['Douyin organic share (referrer only)', referred('https://www.douyin.com/video/123'), 'douyin_organic', 'organic_social', 'click'],
    ['抖音 written in Chinese, cpm', utm('抖音', 'cpm'), 'douyin', 'paid_social', 'click'],
    ['Kuaishou organic', referred('https://v.kuaishou.com/xyz'), 'kuaishou_organic', 'organic_social', 'click'],
    // Xiaohongshu
    ['Xiaohongshu KOL note (utm_medium kol)', utm('xiaohongshu', 'kol', 'KOL种草'), 'xiaohongshu', 'paid_social', 'click'],
    ['Xiaohongshu feed ad (utm xhs / 信息流)', utm('xhs', '信息流'), 'xiaohongshu', 'paid_social', 'click'],
    ['Xiaohongshu short link referrer (xhslink.com)', referred('https://xhslink.com/a/b'), 'xiaohongshu_organic', 'organic_social', 'click'],
    ['小红书 organic note (utm_medium note)', utm('小红书', 'note'), 'xiaohongshu_organic', 'organic_social', 'click'],
    // Weibo
    ['Weibo paid social', utm('weibo', 'paid_social', '热搜话题'), 'weibo', 'paid_social', 'click'],
    ['Weibo short link t.cn', referred('http://t.cn/A6abc'), 'weibo_organic', 'organic_social', 'click'],
    ['Weibo mobile referrer', referred('https://m.weibo.cn/status/1'), 'weibo_organic', 'organic_social', 'click'],
    // Baidu
    ['Baidu paid search with bd_vid', utm('baidu', 'cpc', '品牌词', { referrer: 'https://www.baidu.com/', url: `${SITE}/?utm_source=baidu&utm_medium=cpc&bd_vid=123`, search: '?utm_source=baidu&utm_medium=cpc&bd_vid=123' }), 'baidu_search', 'paid_search', 'click'],
    ['bd_vid alone is a Baidu ad click', row({ referrer: 'https://www.baidu.com/', url: `${SITE}/?bd_vid=9876`, search: '?bd_vid=9876' }), 'baidu_search', 'paid_search', 'click'],
    ['Baidu organic search', referred('https://www.baidu.com/s?wd=%E5%92%8C%E5%A3%B0'), 'baidu_organic', 'organic_search', 'click'],
    ['Baidu mobile organic search', referred('https://m.baidu.com/s?word=x'), 'baidu_organic', 'organic_search', 'click'],
    ['Baidu Tieba is social, not search', referred('https://tieba.baidu.com/p/1'), 'baidu_tieba_organic', 'organic_social', 'click'],
    // Marketplaces
    ['Tmall order export (properties.channel tmall)', row({ type: 'track', event: 'Order Completed', library: '@segment/analytics-node', propertyChannel: 'tmall', url: null, referrer: null }), 'tmall', 'ecommerce', 'visit'],
    ['JD order export', row({ type: 'track', event: 'Order Completed', library: '@segment/analytics-node', propertyChannel: 'jd', url: null, referrer: null }), 'jd', 'ecommerce', 'visit'],
    ['Pinduoduo order (拼多多)', row({ type: 'track', event: 'Order Completed', propertyChannel: '拼多多', url: null, referrer: null }), 'pinduoduo', 'ecommerce', 'visit'],
    ['arrival from a Tmall page', referred('https://detail.tmall.com/item.htm?id=1'), 'tmall', 'ecommerce', 'click'],
    ['arrival from JD', referred('https://item.jd.com/100.html'), 'jd', 'ecommerce', 'click'],
    ['arrival from Pinduoduo (yangkeduo.com)', referred('https://mobile.yangkeduo.com/goods.html'), 'pinduoduo', 'ecommerce', 'click'],
    // Zhihu, Bilibili
    ['Zhihu answer link', referred('https://www.zhihu.com/question/1/answer/2'), 'zhihu_organic', 'organic_social', 'click'],
    ['Zhihu paid (utm zhihu / cpc)', utm('zhihu', 'cpc'), 'zhihu', 'paid_social', 'click'],
    ['Bilibili short link b23.tv', referred('https://b23.tv/abc'), 'bilibili_organic', 'organic_social', 'click'],
    ['Bilibili sponsored video (utm bilibili / sponsored)', utm('bilibili', 'sponsored'), 'bilibili', 'paid_social', 'click'],
    // Email, SMS, messages, stores, direct
    ['email newsletter link (utm email)', utm('email', 'email', '会员周报'), 'email', 'email', 'click'],
    ['Segment Email Opened', row({ type: 'track', event: 'Email Opened', propertyChannel: 'email', url: null, referrer: null }), 'email', 'email', 'view'],
    ['Email Link Clicked without a channel property', row({ type: 'track', event: 'Email Link Clicked', url: null, referrer: null }), 'email', 'email', 'click'],
    ['Chorus Message Clicked on SMS', row({ type: 'track', event: 'Message Clicked', propertyChannel: 'sms', url: null, referrer: null }), 'sms', 'sms', 'click'],
    ['Chorus Message Opened on WeChat', row({ type: 'track', event: 'Message Opened', propertyChannel: 'wechat', url: null, referrer: null }), 'wechat_official_account', 'organic_social', 'view'],
    ['WeChat template message sent', row({ type: 'track', event: 'WeChat Template Message Sent', propertyChannel: 'wechat_official_account', url: null, referrer: null }), 'wechat_official_account', 'organic_social', 'message'],
    ['Chorus Message Delivered on WeCom', row({ type: 'track', event: 'Message Delivered', propertyChannel: 'wecom', url: null, referrer: null }), 'wecom', 'messaging', 'message'],
    ['POS order (properties.channel pos) is a store visit', row({ type: 'track', event: 'Order Completed', propertyChannel: 'pos', url: null, referrer: null }), 'offline_store', 'offline', 'store_visit'],
    ['Store Visited event', row({ type: 'track', event: 'Store Visited', url: null, referrer: null }), 'offline_store', 'offline', 'store_visit'],
    ['typed-in visit is direct', row({ referrer: '' }), 'direct', 'direct', 'visit'],
    ['generic paid medium from an unknown source', utm('partner_site', 'cpm'), 'partner_site', 'display', 'click'],
    ['unknown referrer is a referral', referred('https://blog.example.org/post'), 'referral', 'referral', 'click'],
    ['Google on a country domain', referred('https://www.google.co.kr/'), 'google_organic', 'organic_search', 'click'],
  ]

  it.each(cases)('%s', (_name, event, channel, group, kind) => {
    const result = classify(event)
    if (channel === '') expect(result).toBeNull()
    else expect(result).toEqual({ channel, group, kind })
  })

  it('takes a page with a same-site referrer as navigation, not a touch', () => {
    expect(classify(referred(`${SITE}/products/x`))).toBeNull()
    expect(classify(row({ referrer: `https://m.heshengyoupin.example/`, url: `${SITE}/cart` }))).toBeNull()
  })

  it('excludes payment pages and WeChat Pay scenes', () => {
    expect(classify(referred('https://mclient.alipay.com/cashier'))).toEqual({ kind: 'excluded' })
    expect(classify(launch(1038))).toEqual({ kind: 'excluded' })
  })

  it('reads only $utm_* of a Sensors event, not the campaign the SDK remembers', () => {
    // $latest_utm_* end up in context.campaign; a reopen from recents stays direct.
    const reopened = launch(1089, { campaignSource: 'wechat', campaignMedium: 'article' })
    expect(classify(reopened)).toEqual({ channel: 'wechat_mini_program', group: 'direct', kind: 'visit' })
  })
})

describe('editable rules', () => {
  it('lets the first matching rule win, so a workspace rule placed first overrides the defaults', () => {
    const own = ChannelRule.parse({ id: 'kol-links', name: 'KOL links', when: [{ field: 'source', op: 'in', values: ['kol_xhs'] }], channel: 'xiaohongshu', group: 'paid_social' })
    const custom = new ChannelClassifier([own, ...defaultChannelRules()])
    const defaults = new ChannelClassifier(defaultChannelRules())
    const event = utm('kol_xhs', 'note')
    expect(touchOf(event, custom)).toMatchObject({ touch: { channel: 'xiaohongshu', group: 'paid_social' } })
    expect(touchOf(event, defaults)).toMatchObject({ touch: { channel: 'kol_xhs', group: 'unassigned' } })
  })

  it('fills placeholders and skips a rule whose placeholder has no value', () => {
    const rules = [
      ChannelRule.parse({ id: 'by-source', name: 'x', when: [{ field: 'medium', op: 'in', values: ['social'] }], channel: 'social_{source}', group: 'organic_social' }),
      ChannelRule.parse({ id: 'fallback', name: 'y', when: [], channel: 'other', group: 'unassigned' }),
    ]
    const classifier = new ChannelClassifier(rules)
    expect(touchOf(utm('Little Red Book', 'social'), classifier)).toMatchObject({ touch: { channel: 'social_little_red_book' } })
    expect(touchOf(row({ campaignMedium: 'social', url: `${SITE}/` }), classifier)).toMatchObject({ touch: { channel: 'other' } })
  })

  it('refuses rules a person cannot have meant, saying why', () => {
    const noGroup = ChannelRule.safeParse({ id: 'x', name: 'x', when: [], channel: 'a' })
    expect(noGroup.success).toBe(false)
    expect(JSON.stringify(noGroup.error?.issues)).toContain('needs a group')
    const badRegex = ChannelRule.safeParse({ id: 'x', name: 'x', when: [{ field: 'medium', op: 'matches', values: ['(cpc'] }], channel: 'a', group: 'paid_search' })
    expect(JSON.stringify(badRegex.error?.issues)).toContain('not a valid regular expression')
    const badPlaceholder = ChannelRule.safeParse({ id: 'x', name: 'x', when: [], channel: '{utm}', group: 'referral' })
    expect(JSON.stringify(badPlaceholder.error?.issues)).toContain('unknown placeholder {utm}')
  })

  it('has unique ids in the defaults and ends with a rule that matches everything', () => {
    const rules = defaultChannelRules()
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length)
    expect(rules.at(-1)).toMatchObject({ id: 'unassigned', when: [] })
  })
})
