import type { overview as en } from '../en/overview.ts'
import type { Translated } from './shape.ts'

export const overview: Translated<typeof en> = {
  overview: {
    title: '总览',
    greeting: '{{name}},你好。以下是当前情况。',
    revenue7: '近 7 天收入',
    conversions7: '近 7 天转化',
    newCustomers7: '近 7 天新客',
    spend7: '近 7 天广告花费',
    alerts: '需要关注',
    noAlerts: '目前没有需要关注的事项。',
    campaigns: '进行中的活动',
    noRunningCampaigns: '没有进行中的活动',
    noRunningCampaignsBody: '在“活动”中策划并启动一个活动,实时数据会显示在这里。',
    toCampaigns: '前往活动',
    goalsBehind: '落后的目标',
    kpisUnavailable: '暂时无法读取实时数据。',
    eventsToday: '今日各渠道事件',
    eventVolume: '各渠道事件量统计',
    noEventsToday: '今天还没有事件',
    eventsTotal: '今天共 {{total}} 个事件,其中 {{touches}} 个来自某个渠道(访问、消息、广告、门店)。其余如下单、浏览商品、访问中的页面,本身不属于任何渠道。',
    noEventsTodayBody: '官网、App 和小程序上报事件后会显示在这里。',
    audienceSizes: '人数最多的人群',
    audienceFailed: '人群“{{name}}”重新计算失败,点击查看原因。',
    journeys: '运行中的旅程',
    journeyErrors: '旅程“{{name}}”有步骤执行失败,点击查看位置。',
    noLiveJourneys: '没有运行中的旅程',
    noLiveJourneysBody: '发布一个旅程,开始自动触达用户。',
    toJourneys: '前往旅程',
  },
}
