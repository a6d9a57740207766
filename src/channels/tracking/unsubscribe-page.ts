import type { Channel } from '../channel.ts'

const CHANNEL_NAMES: Record<Channel, string> = {
  email: '邮件 email',
  sms: '短信 SMS',
  wechat: '公众号消息 WeChat messages',
  wechat_mini: '小程序消息 mini-program messages',
  wecom: '企业微信消息 WeCom messages',
  webhook: '消息 messages',
  inbox: '站内消息 in-app messages',
}

/**
 * The page behind an unsubscribe link, in Chinese and English: a button to confirm (the form posts
 * back to the same address), then a confirmation. No script, no external resources.
 */
export function unsubscribePage(options: { channel: Channel; done: boolean }): string {
  const what = CHANNEL_NAMES[options.channel]
  const body = options.done
    ? `<h1>已退订 · Unsubscribed</h1><p>您将不再收到此类${what}。<br>You will no longer receive ${what.split(' ').slice(1).join(' ') || what} from us.</p>`
    : `<h1>退订 · Unsubscribe</h1><p>确认不再接收${what}？<br>Stop receiving ${what.split(' ').slice(1).join(' ') || what}?</p>
<form method="post"><button type="submit">确认退订 · Unsubscribe</button></form>`
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">
<title>退订 · Unsubscribe</title>
<style>body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222;line-height:1.6}button{font:inherit;padding:.6rem 1.2rem;border:0;border-radius:.4rem;background:#222;color:#fff;cursor:pointer}</style>
</head><body>${body}</body></html>`
}
