import type { ChannelGroup } from './channel-group.ts'

/**
 * Media platforms the default rules know: the `utm_source` spellings people use for them (the
 * Chinese name too), the domains their referrers come from, and the channel their paid and their
 * organic traffic belong to. Order matters where domains nest: Baidu Tieba (`tieba.baidu.com`)
 * comes before Baidu, WeChat (`weixin.qq.com`) before QQ.
 */
export interface Platform {
  sources: readonly string[]
  domains: readonly string[]
  paid: { channel: string; group: ChannelGroup }
  organic: { channel: string; group: ChannelGroup }
}

const search = (name: string, paidName: string): Pick<Platform, 'paid' | 'organic'> => ({
  paid: { channel: paidName, group: 'paid_search' },
  organic: { channel: `${name}_organic`, group: 'organic_search' },
})
const social = (name: string): Pick<Platform, 'paid' | 'organic'> => ({
  paid: { channel: name, group: 'paid_social' },
  organic: { channel: `${name}_organic`, group: 'organic_social' },
})
const marketplace = (name: string): Pick<Platform, 'paid' | 'organic'> => ({
  paid: { channel: name, group: 'ecommerce' },
  organic: { channel: name, group: 'ecommerce' },
})

export const PLATFORMS: readonly Platform[] = [
  // Community products on Baidu's domain are social, not search.
  { sources: ['tieba', '贴吧', 'baidu_tieba'], domains: ['tieba.baidu.com'], ...social('baidu_tieba') },
  { sources: ['baidu', '百度', 'baidu_search', 'baidu_sem', 'baidu_feed', '百度信息流'], domains: ['baidu.com', 'baidu.cn'], ...search('baidu', 'baidu_search') },
  { sources: ['sogou', '搜狗'], domains: ['sogou.com'], ...search('sogou', 'sogou_search') },
  { sources: ['360', 'so360', '360search', '360搜索', 'so.com'], domains: ['so.com', '360.cn', '360.com'], ...search('so360', 'so360_search') },
  { sources: ['shenma', '神马', 'sm', 'uc'], domains: ['sm.cn'], ...search('shenma', 'shenma_search') },
  { sources: ['bing', 'microsoft', 'msn'], domains: ['bing.com'], ...search('bing', 'bing_ads') },
  { sources: ['google', 'adwords', 'google_ads', 'googleads'], domains: ['google.com', 'google.com.hk', 'google.co.jp', 'google.com.sg', 'google.co.uk', 'google.de', 'google.fr'], ...search('google', 'google_ads') },
  { sources: ['douyin', '抖音', 'tiktok_cn', 'douyin_ads', 'oceanengine', 'ocean_engine', '巨量引擎', '巨量', 'aweme'], domains: ['douyin.com', 'iesdouyin.com', 'amemv.com', 'oceanengine.com'], ...social('douyin') },
  { sources: ['toutiao', '今日头条', '头条', 'jinritoutiao'], domains: ['toutiao.com', 'snssdk.com', 'toutiaoapi.com'], ...social('toutiao') },
  { sources: ['kuaishou', '快手', 'ks', 'kwai'], domains: ['kuaishou.com', 'gifshow.com', 'kwai.com', 'chenzhongtech.com'], ...social('kuaishou') },
  { sources: ['xiaohongshu', 'xhs', 'redbook', 'rednote', '小红书', 'red'], domains: ['xiaohongshu.com', 'xhslink.com'], ...social('xiaohongshu') },
  { sources: ['weibo', '微博', 'sina_weibo', 'sinaweibo', 'sina'], domains: ['weibo.com', 'weibo.cn', 't.cn'], ...social('weibo') },
  { sources: ['bilibili', 'b站', '哔哩哔哩', 'bili'], domains: ['bilibili.com', 'b23.tv'], ...social('bilibili') },
  { sources: ['zhihu', '知乎'], domains: ['zhihu.com'], ...social('zhihu') },
  { sources: ['douban', '豆瓣'], domains: ['douban.com'], ...social('douban') },
  { sources: ['gdt', '广点通', 'tencent_ads', '腾讯广告', 'tencent'], domains: ['e.qq.com', 'gdt.qq.com'], paid: { channel: 'tencent_ads', group: 'paid_social' }, organic: { channel: 'tencent_ads', group: 'paid_social' } },
  { sources: ['qq', 'qzone', 'qq空间', 'tencent_news', '腾讯新闻'], domains: ['qq.com'], ...social('qq') },
  { sources: ['facebook', 'fb', 'meta'], domains: ['facebook.com', 'fb.com', 'fb.me'], ...social('facebook') },
  { sources: ['instagram', 'ig'], domains: ['instagram.com'], ...social('instagram') },
  { sources: ['twitter', 'x'], domains: ['twitter.com', 'x.com', 't.co'], ...social('x') },
  { sources: ['linkedin'], domains: ['linkedin.com', 'lnkd.in'], ...social('linkedin') },
  { sources: ['youtube'], domains: ['youtube.com', 'youtu.be'], ...social('youtube') },
  { sources: ['tiktok'], domains: ['tiktok.com'], ...social('tiktok') },
  { sources: ['tmall', '天猫', 'taobao', '淘宝', 'alimama', '阿里妈妈'], domains: ['tmall.com', 'taobao.com', 'tb.cn', 'tmall.hk'], ...marketplace('tmall') },
  { sources: ['jd', '京东', 'jingdong', 'jd_union', '京东联盟'], domains: ['jd.com', 'jd.hk', '3.cn', 'jingdong.com'], ...marketplace('jd') },
  { sources: ['pinduoduo', 'pdd', '拼多多'], domains: ['pinduoduo.com', 'yangkeduo.com'], ...marketplace('pinduoduo') },
  { sources: ['douyin_shop', 'doudian', '抖店', '抖音小店'], domains: ['jinritemai.com'], ...marketplace('douyin_shop') },
  { sources: ['vip', '唯品会', 'vipshop'], domains: ['vip.com'], ...marketplace('vipshop') },
]

/** `utm_source` spellings of WeChat (and of its official accounts, mini programs and ads). */
export const WECHAT_SOURCES = ['wechat', 'weixin', '微信', 'wx', 'wechat_official_account', 'official_account', '公众号', 'wechat_mp', 'wechat_ads', '朋友圈广告'] as const

/** `utm_medium` values that mean an official-account article, menu, template or service message. */
export const OFFICIAL_ACCOUNT_MEDIA = ['article', 'menu', 'template_message', 'template', 'official_account', 'oa', 'mp', '公众号', '推文', '图文', '模板消息', 'service_message', 'customer_service'] as const

/** `utm_medium` values of person-to-person sharing inside WeChat. */
export const WECHAT_SHARE_MEDIA = ['share', 'friend', 'friends', 'chat', 'group', 'moments', 'timeline', '朋友圈', '群', '分享', '转发'] as const

/**
 * `utm_medium` values of bought media: Google Analytics 4's paid pattern `^(.*cp.*|ppc|retargeting|paid.*)$`
 * plus what Chinese media plans write: KOL/KOC and influencer seeding (种草, 达人), feed ads (信息流),
 * bidding (竞价), display and banner buys.
 */
export const PAID_MEDIUM_PATTERN = '^(.*cp.*|ppc|retargeting|paid.*|sem|ads?|.*[_-]ads?|ads?[_-].*|display|banner|feed|kol|koc|influencer|sponsored|信息流|竞价|付费|达人|种草|推广|广告.*)$'

/** Referrer hosts that only interrupt a visit (payment pages): Google Analytics' "unwanted referrals". */
export const PAYMENT_DOMAINS = ['alipay.com', 'alipayobjects.com', 'tenpay.com', 'pay.weixin.qq.com', 'unionpay.com', '95516.com', 'paypal.com', 'pay.jd.com', 'jdpay.com', 'cashier.taobao.com'] as const

/**
 * Landing-URL parameters that ad platforms add to a click, and the paid channel each stands for.
 * `clickid` (Ocean Engine) is generic; the rules take it as Douyin's only with a Douyin source or referrer.
 */
export const CLICK_ID_CHANNELS: readonly { params: readonly string[]; channel: string; group: ChannelGroup }[] = [
  { params: ['bd_vid', 'bdclkid'], channel: 'baidu_search', group: 'paid_search' },
  { params: ['gclid', 'gbraid', 'wbraid', 'dclid'], channel: 'google_ads', group: 'paid_search' },
  { params: ['msclkid'], channel: 'bing_ads', group: 'paid_search' },
  { params: ['qhclickid'], channel: 'so360_search', group: 'paid_search' },
  { params: ['gdt_vid', 'qz_gdt', 'wx_aid'], channel: 'tencent_ads', group: 'paid_social' },
  { params: ['ttclid'], channel: 'tiktok', group: 'paid_social' },
  { params: ['twclid'], channel: 'x', group: 'paid_social' },
  { params: ['li_fat_id'], channel: 'linkedin', group: 'paid_social' },
]

/** Every click-id parameter name the touch extractor looks for on a landing URL. */
export const CLICK_ID_PARAMS: readonly string[] = [...CLICK_ID_CHANNELS.flatMap((c) => c.params), 'clickid', 'fbclid']
