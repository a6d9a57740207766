import { ChannelProfile, type ChannelProfileInput } from './channel-profile.ts'

/**
 * The shipped channel profiles. Platform limits cite the platform's document; where a platform
 * publishes no number (visible length of a post, a poster headline) the figure is a Chorus
 * default, marked "editorial", that a brand changes with customiseChannelProfile.
 */

const URL_PATTERN = String.raw`(?:https?://|www\.)\S+|\b[a-z0-9-]+\.(?:com|cn|net|org|io|co|me|top|xyz)(?:/\S*)?`
// Chinese mobile numbers (11 digits from 13–19) and WeChat ids named as such (微信 / vx / 加V …).
const CONTACT_PATTERN = String.raw`(?:微信|威信|薇信|vx|v信|加v|wx|wechat)\s*(?:号)?\s*[:：]?\s*[a-z][-_a-z0-9]{5,19}|(?<!\d)1[3-9]\d{9}(?!\d)`
const UNSUBSCRIBE_SMS = String.raw`退订|拒收|回\s*[TNR]|回复\s*(?:TD|T|R|N)|STOP|unsubscribe`
const PURCHASE_STAGES = ['consideration', 'decision'] as const

const WECHAT_DRAFT = 'WeChat draft_add API (https://developers.weixin.qq.com/doc/service/api/draftbox/draftmanage/api_draft_add)'
const WECHAT_SUBSCRIBE =
  'WeChat subscribe message parameter limits (https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html)'
const ALIYUN_SMS = 'Aliyun SMS sending rules (https://help.aliyun.com/zh/sms/user-guide/message-rules)'
const BAIDU_CREATIVE = 'Baidu search-ad creative spec: 1 汉字/全角 = 2 字符 (http://www.xuziyu.com/sem/semmingci/505.html)'

const profiles = {
  'wechat-article': {
    id: 'wechat-article',
    name: '微信公众号图文 (WeChat article)',
    expectedPillars: 3,
    fields: ['title', 'author', 'digest', 'body', 'cta', 'link'],
    sources: [{ label: 'draft_add', url: 'https://developers.weixin.qq.com/doc/service/api/draftbox/draftmanage/api_draft_add' }],
    rules: [
      { id: 'title-required', kind: 'required', field: 'title' },
      { id: 'title-length', kind: 'length', fields: ['title'], unit: 'chars', max: 32, source: WECHAT_DRAFT },
      { id: 'author-length', kind: 'length', fields: ['author'], unit: 'chars', max: 16, source: WECHAT_DRAFT },
      { id: 'digest-length', kind: 'length', fields: ['digest'], unit: 'chars', max: 128, source: WECHAT_DRAFT },
      { id: 'body-length', kind: 'length', fields: ['body'], unit: 'chars', max: 20000, source: WECHAT_DRAFT },
      { id: 'cta', kind: 'cta', stages: [...PURCHASE_STAGES] },
      {
        id: 'no-links-in-body',
        kind: 'pattern',
        mode: 'forbid',
        fields: ['body', 'digest'],
        pattern: URL_PATTERN,
        ignoreCase: true,
        message: 'an article body cannot link outside WeChat; the address shows as plain text — put it in the 阅读原文 link',
        source: WECHAT_DRAFT + ' (content_source_url)',
      },
    ],
  },
  'xiaohongshu-note': {
    id: 'xiaohongshu-note',
    name: '小红书笔记 (Xiaohongshu note)',
    expectedPillars: 2,
    fields: ['title', 'body'],
    sources: [],
    rules: [
      { id: 'body-required', kind: 'required', field: 'body' },
      {
        id: 'title-length',
        kind: 'length',
        fields: ['title'],
        unit: 'units',
        max: 20,
        source: 'Xiaohongshu editor: 20 per title, a Chinese character 1, an ASCII character ½',
      },
      { id: 'body-length', kind: 'length', fields: ['body'], unit: 'chars', max: 1000, source: 'Xiaohongshu editor: 1,000 per note' },
      { id: 'hashtags', kind: 'hashtags', style: 'leading', min: 1 },
      { id: 'cta', kind: 'cta', stages: ['decision'] },
      {
        id: 'no-off-platform-contact',
        kind: 'pattern',
        mode: 'forbid',
        fields: ['title', 'body'],
        pattern: `${URL_PATTERN}|${CONTACT_PATTERN}`,
        ignoreCase: true,
        message: 'links, phone numbers and WeChat ids lead readers off the platform (站外引流), which the community rules forbid',
        severity: 'block',
        source: '小红书社区公约 (traffic diversion)',
      },
    ],
  },
  'weibo-post': {
    id: 'weibo-post',
    name: '微博 (Weibo post)',
    expectedPillars: 2,
    fields: ['body', 'link'],
    sources: [],
    rules: [
      { id: 'body-required', kind: 'required', field: 'body' },
      {
        id: 'body-length',
        kind: 'length',
        fields: ['body'],
        unit: 'chars',
        max: 2000,
        recommended: 140,
        source: 'Weibo: 2,000 per post; about 140 show before 全文 (editorial)',
      },
      { id: 'hashtags', kind: 'hashtags', style: 'paired', min: 1 },
      { id: 'cta', kind: 'cta', stages: ['decision'] },
    ],
  },
  'douyin-caption': {
    id: 'douyin-caption',
    name: '抖音视频文案 (Douyin caption)',
    expectedPillars: 1,
    fields: ['body'],
    sources: [],
    rules: [
      { id: 'body-required', kind: 'required', field: 'body' },
      {
        id: 'body-length',
        kind: 'length',
        fields: ['body'],
        unit: 'chars',
        recommended: 55,
        source: 'about 55 show over the video without expanding (editorial)',
      },
      { id: 'hashtags', kind: 'hashtags', style: 'leading', min: 1 },
      { id: 'cta', kind: 'cta', stages: ['decision'] },
      {
        id: 'no-links',
        kind: 'pattern',
        mode: 'forbid',
        fields: ['body'],
        pattern: URL_PATTERN,
        ignoreCase: true,
        message: 'links in a caption are not clickable; use the shopping cart or a mini program',
      },
    ],
  },
  sms: {
    id: 'sms',
    name: '短信 (SMS)',
    expectedPillars: 1,
    fields: ['signature', 'body'],
    sources: [{ label: 'Aliyun SMS rules', url: 'https://help.aliyun.com/zh/sms/user-guide/message-rules' }],
    rules: [
      { id: 'signature-required', kind: 'required', field: 'signature' },
      {
        id: 'signature-format',
        kind: 'pattern',
        mode: 'require',
        fields: ['signature'],
        pattern: '^(?:【[^【】\\s]+】|\\[[^\\[\\]]+\\])$',
        message: 'a signature is the brand in 【】, e.g. 【和声】 ([] for an all-English message)',
        severity: 'block',
        source: ALIYUN_SMS,
      },
      {
        id: 'no-brackets-in-body',
        kind: 'pattern',
        mode: 'forbid',
        fields: ['body'],
        pattern: '[【】]',
        message: '【】 marks the signature; carriers reject or mis-sign a body that contains them',
        severity: 'block',
        source: 'Huawei Cloud SMS template rules (https://support.huaweicloud.com/smn_faq/smn_faq_0009.html)',
      },
      { id: 'total-length', kind: 'length', fields: ['signature', 'body'], unit: 'chars', max: 500, source: ALIYUN_SMS },
      {
        id: 'segments',
        kind: 'sms-segments',
        fields: ['signature', 'body'],
        billing: 'gsm',
        recommendedSegments: 1,
        source: '3GPP TS 23.038 / 23.040; ' + ALIYUN_SMS,
      },
      {
        id: 'unsubscribe',
        kind: 'pattern',
        mode: 'require',
        fields: ['body'],
        pattern: UNSUBSCRIBE_SMS,
        ignoreCase: true,
        message: 'a marketing SMS must tell the reader how to refuse more (e.g. 拒收请回复R); skip if your gateway appends it',
        source: '《通信短信息服务管理规定》(工业和信息化部令第31号)',
      },
      { id: 'cta', kind: 'cta', stages: ['decision'] },
    ],
  },
  email: {
    id: 'email',
    name: '电子邮件 (Email)',
    expectedPillars: 2,
    fields: ['subject', 'preheader', 'body', 'cta', 'link'],
    sources: [],
    rules: [
      { id: 'subject-required', kind: 'required', field: 'subject' },
      { id: 'body-required', kind: 'required', field: 'body' },
      {
        id: 'subject-length',
        kind: 'length',
        fields: ['subject'],
        unit: 'chars',
        recommended: 35,
        source: 'mobile mail clients cut subjects around 35 characters (editorial)',
      },
      {
        id: 'subject-ad-label',
        kind: 'pattern',
        mode: 'require',
        fields: ['subject'],
        pattern: '^\\s*[\\[【(（]?\\s*(?:广告|AD)(?![A-Za-z])',
        ignoreCase: true,
        message: 'a commercial email must start its subject with 广告 or AD',
        source: '《互联网电子邮件服务管理办法》(信息产业部令第38号) art. 13(3)',
      },
      {
        id: 'unsubscribe',
        kind: 'pattern',
        mode: 'require',
        fields: ['body'],
        pattern: '退订|取消订阅|unsubscribe|opt[ -]?out',
        ignoreCase: true,
        message: 'a commercial email must give the reader a way to stop receiving it',
        source: '《互联网电子邮件服务管理办法》 art. 14',
      },
      {
        id: 'subject-all-caps',
        kind: 'pattern',
        mode: 'forbid',
        fields: ['subject'],
        pattern: '^[^a-z]*[A-Z]{4,}[^a-z]*$',
        message: 'an all-capitals subject trips spam filters (SpamAssassin SUBJ_ALL_CAPS)',
      },
      { id: 'cta', kind: 'cta', stages: [...PURCHASE_STAGES] },
      { id: 'link', kind: 'link', required: true, stages: [...PURCHASE_STAGES], severity: 'warn' },
    ],
  },
  'wechat-subscribe': {
    id: 'wechat-subscribe',
    name: '微信订阅消息 (WeChat subscribe message)',
    expectedPillars: 1,
    fields: ['thing1', 'phrase2', 'character_string3', 'number4', 'amount5', 'date6', 'time7', 'name8', 'page'],
    sources: [{ label: 'sendMessage', url: 'https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html' }],
    rules: [
      { id: 'thing-length', kind: 'length', fields: ['thing*'], unit: 'chars', max: 20, source: WECHAT_SUBSCRIBE },
      subscribeFormat('phrase', '^\\p{Script=Han}{1,5}$', 'phrase.DATA is at most 5 Chinese characters, nothing else'),
      subscribeFormat('character-string', '^[\\x21-\\x7E]{1,32}$', 'character_string.DATA is at most 32 digits, letters or symbols (no Chinese, no spaces)', 'character_string'),
      subscribeFormat('number', '^(?=.{1,32}$)\\d+(?:\\.\\d+)?$', 'number.DATA is at most 32 digits, optionally with decimals'),
      subscribeFormat('letter', '^[A-Za-z]{1,32}$', 'letter.DATA is at most 32 letters'),
      subscribeFormat('symbol', '^[^\\p{L}\\p{N}\\s]{1,5}$', 'symbol.DATA is at most 5 symbols'),
      subscribeFormat('amount', '^[¥￥$€£]?\\d{1,10}(?:\\.\\d{1,2})?元?$', 'amount.DATA is one currency sign and at most 10 digits, optionally decimals and 元'),
      subscribeFormat(
        'date',
        '^\\d{4}(?:年\\d{1,2}月\\d{1,2}日|[-/]\\d{1,2}[-/]\\d{1,2})(?:\\s*\\d{1,2}:\\d{2}(?::\\d{2})?)?(?:\\s*~\\s*\\S.*)?$',
        'date.DATA is a date such as 2026年11月11日 (a time and a ~ range may follow)',
      ),
      subscribeFormat(
        'time',
        '^(?:\\d{4}(?:年\\d{1,2}月\\d{1,2}日|[-/]\\d{1,2}[-/]\\d{1,2})\\s*)?\\d{1,2}:\\d{2}(?::\\d{2})?(?:\\s*~\\s*\\S.*)?$',
        'time.DATA is a 24-hour time such as 15:01 (a date before it and a ~ range are allowed)',
      ),
      subscribeFormat(
        'name',
        "^(?:(?=.*\\p{Script=Han})[\\p{Script=Han}A-Za-z·]{1,10}|[A-Za-z .'·-]{1,20})$",
        'name.DATA is at most 10 Chinese characters (mixed counts as Chinese) or 20 letters',
      ),
      subscribeFormat('phone-number', '^[\\d+\\-() ]{1,17}$', 'phone_number.DATA is at most 17 digits and symbols', 'phone_number'),
      subscribeFormat(
        'car-number',
        '^(?=.{1,8}$)[\\p{Script=Han}A-Za-z0-9][A-Za-z0-9]*[\\p{Script=Han}A-Za-z0-9]?$',
        'car_number.DATA is at most 8 characters; only the first and last may be Chinese',
        'car_number',
      ),
    ],
  },
  'baidu-search-ad': {
    id: 'baidu-search-ad',
    name: '百度搜索推广 (Baidu search ad)',
    expectedPillars: 1,
    fields: ['title', 'description1', 'description2', 'link', 'displayUrl'],
    sources: [
      { label: 'Baidu creative spec', url: 'http://www.xuziyu.com/sem/semmingci/505.html' },
      { label: 'Adobe Advertising: Baidu text ads (older 28-byte title)', url: 'https://experienceleague.adobe.com/en/docs/advertising/search-social-commerce/campaign-management/management/campaigns/ads/ad-settings-by-network/ad-settings-baidu-text' },
    ],
    rules: [
      { id: 'title-required', kind: 'required', field: 'title' },
      { id: 'description-required', kind: 'required', field: 'description1' },
      { id: 'title-length', kind: 'length', fields: ['title'], unit: 'bytes', min: 8, max: 50, source: BAIDU_CREATIVE },
      { id: 'description1-length', kind: 'length', fields: ['description1'], unit: 'bytes', min: 8, max: 80, source: BAIDU_CREATIVE },
      { id: 'description2-length', kind: 'length', fields: ['description2'], unit: 'bytes', max: 80, source: BAIDU_CREATIVE },
      { id: 'display-url-length', kind: 'length', fields: ['displayUrl'], unit: 'bytes', max: 36, source: BAIDU_CREATIVE },
      { id: 'link', kind: 'link', required: true },
    ],
  },
  'offline-pop': {
    id: 'offline-pop',
    name: '线下 POP 物料 (offline POP)',
    expectedPillars: 1,
    fields: ['headline', 'body', 'cta'],
    sources: [],
    rules: [
      { id: 'headline-required', kind: 'required', field: 'headline' },
      { id: 'headline-length', kind: 'length', fields: ['headline'], unit: 'chars', recommended: 12, source: 'read at a glance from a few metres (editorial)' },
      { id: 'body-length', kind: 'length', fields: ['body'], unit: 'chars', recommended: 60, source: 'editorial' },
      { id: 'cta', kind: 'cta', stages: ['decision'] },
      {
        id: 'no-printed-links',
        kind: 'pattern',
        mode: 'forbid',
        fields: ['headline', 'body', 'cta'],
        pattern: URL_PATTERN,
        ignoreCase: true,
        message: 'nobody types a printed address; print a QR code instead',
      },
    ],
  },
} satisfies Record<string, ChannelProfileInput>

function subscribeFormat(name: string, pattern: string, message: string, prefix = name): ChannelProfileInput['rules'][number] {
  return { id: `${name}-format`, kind: 'pattern', mode: 'require', fields: [`${prefix}*`], pattern, message, severity: 'block', source: WECHAT_SUBSCRIBE }
}

export type DefaultChannelId = keyof typeof profiles

/**
 * The shipped profiles by id, validated at load.
 *
 * @example
 * DEFAULT_CHANNEL_PROFILES['xiaohongshu-note'].rules.find((r) => r.id === 'title-length')
 * // { kind: 'length', unit: 'units', max: 20, … }
 */
export const DEFAULT_CHANNEL_PROFILES: Readonly<Record<DefaultChannelId, ChannelProfile>> = deepFreeze(
  Object.fromEntries(Object.entries(profiles).map(([id, profile]) => [id, ChannelProfile.parse(profile)])) as Record<
    DefaultChannelId,
    ChannelProfile
  >,
)

/** Shared defaults must not change under another caller; edits go through customiseChannelProfile. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner)
    Object.freeze(value)
  }
  return value
}
