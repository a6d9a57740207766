import type { ChannelGroup } from './channel-group.ts'

/**
 * WeChat mini-program scene values (场景值), the number WeChat hands a mini program at launch to
 * say how it was opened, grouped into channels. From the official list:
 * https://developers.weixin.qq.com/miniprogram/dev/reference/scene-list.html
 * The Sensors mini-program SDK reports it as `$scene: 'wx-1058'`.
 */
export interface SceneChannel {
  name: string
  scenes: readonly number[]
  channel: string
  group: ChannelGroup
}

export const WECHAT_SCENE_CHANNELS: readonly SceneChannel[] = [
  {
    // 公众号 profile 页相关小程序, 自定义菜单, 模板消息, 文章, 客服消息, 会话卡片与文字链, 文章商品卡片, 服务预览, 订阅号视频, 服务号会话
    name: 'official account',
    scenes: [1020, 1035, 1043, 1058, 1073, 1074, 1081, 1082, 1091, 1102, 1152, 1157],
    channel: 'wechat_official_account',
    group: 'organic_social',
  },
  {
    // 朋友圈广告及详情页/原生页, 公众号文章广告, 附近小程序广告, 小程序广告组件, 视频贴片, 表情雨广告, 视频号广告, 广告预约, 订阅号与看一看广告
    name: 'WeChat ads',
    scenes: [1045, 1046, 1067, 1068, 1084, 1095, 1144, 1189, 1200, 1201, 1215, 1228, 1230, 1238],
    channel: 'wechat_ads',
    group: 'paid_social',
  },
  { name: 'WeChat search ads (搜一搜竞价广告)', scenes: [1232], channel: 'wechat_search_ads', group: 'paid_search' },
  {
    // 首页与发现栏搜索, 使用过的小程序, 添加好友搜索, 搜一搜, 下拉搜索, PC 搜索, #tag 搜索, 小功能
    name: 'WeChat search',
    scenes: [1005, 1006, 1027, 1042, 1053, 1106, 1183, 1244, 1252],
    channel: 'wechat_search',
    group: 'organic_search',
  },
  {
    // 单聊/群聊卡片, App 分享卡片, shareTicket 卡片, 聊天记录, 朋友圈单页模式, 群工具, 群待办, 聊天素材, 群公告, 个人状态, 聊天商品卡片
    name: 'sharing in WeChat',
    scenes: [1007, 1008, 1036, 1044, 1096, 1154, 1155, 1158, 1160, 1173, 1185, 1196, 1208],
    channel: 'wechat_share',
    group: 'organic_social',
  },
  {
    name: 'WeChat Channels (视频号)',
    scenes: [1175, 1176, 1177, 1184, 1191, 1193, 1195, 1216],
    channel: 'wechat_channels',
    group: 'organic_social',
  },
  { name: 'subscription messages (订阅消息)', scenes: [1014, 1107, 1231], channel: 'wechat_subscription_message', group: 'messaging' },
  { name: 'WeCom customer service (企微客服)', scenes: [1202, 1207], channel: 'wecom', group: 'messaging' },
  {
    // 扫码/长按/相册识别: 二维码, 一维码, 小程序码, 一物一码, 商品条码 — posters, packaging and counters
    name: 'QR and bar codes',
    scenes: [1011, 1012, 1013, 1025, 1031, 1032, 1047, 1048, 1049, 1124, 1125, 1126, 1150],
    channel: 'qr_code',
    group: 'offline',
  },
  { name: 'links from outside WeChat (URL Scheme, H5 开放标签, URL Link)', scenes: [1065, 1167, 1194], channel: 'url_link', group: 'referral' },
  { name: 'apps and websites', scenes: [1069, 1168, 1181], channel: 'app', group: 'referral' },
  { name: 'another mini program', scenes: [1037, 1135], channel: 'wechat_mini_program_referral', group: 'referral' },
  {
    // 发现栏入口, 收藏, 置顶, 桌面图标, profile, 卡包, 最近使用, 右上角历史, 我的小程序, 负一屏, 侧边栏, 浮窗, 电脑端, Widget, 长按菜单圆点
    name: 'reopening the mini program',
    scenes: [1001, 1010, 1022, 1023, 1024, 1028, 1089, 1090, 1103, 1104, 1113, 1114, 1131, 1178, 1187, 1223, 1254, 1256],
    channel: 'wechat_mini_program',
    group: 'direct',
  },
]

/**
 * Scenes that are not a touchpoint: the WeChat Pay completion and contract pages, coming back from
 * another mini program (a payment), WeChat's crawler (1129) and load tests (1203).
 */
export const EXCLUDED_SCENES: readonly number[] = [1034, 1038, 1097, 1129, 1203]
