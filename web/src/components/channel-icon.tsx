import { useTranslation } from 'react-i18next'

/** Known channels: a glyph and a brand-like colour; matched by prefix so `wechat_official_account` finds WeChat. */
const CHANNELS: Array<{ match: RegExp; glyph: string; color: string; key: string }> = [
  { match: /^wechat_mini|mini_?program/, glyph: '小', color: '#07c160', key: 'wechat_mini_program' },
  { match: /^(wechat|weixin|wx)/, glyph: '微', color: '#07c160', key: 'wechat' },
  { match: /^wecom|work_?wechat/, glyph: '企', color: '#2b7bd6', key: 'wecom' },
  { match: /^(douyin|tiktok)/, glyph: '抖', color: '#161823', key: 'douyin' },
  { match: /^(xiaohongshu|xhs|red)/, glyph: '红', color: '#ff2442', key: 'xiaohongshu' },
  { match: /^weibo/, glyph: '博', color: '#e6162d', key: 'weibo' },
  { match: /^baidu/, glyph: '百', color: '#2932e1', key: 'baidu' },
  { match: /^tmall|taobao/, glyph: '猫', color: '#ff0036', key: 'tmall' },
  { match: /^jd/, glyph: '京', color: '#e1251b', key: 'jd' },
  { match: /^(pos|store|offline)/, glyph: '店', color: '#8a5a00', key: 'store' },
  { match: /^sms/, glyph: '✉', color: '#6b4fbb', key: 'sms' },
  { match: /^e-?mail|newsletter/, glyph: '@', color: '#0b6bcb', key: 'email' },
  { match: /^(web|site|direct|organic)/, glyph: '⌂', color: '#4a5568', key: 'web' },
  { match: /^(app|ios|android)/, glyph: '▣', color: '#2d3748', key: 'app' },
  { match: /^(in_?app|inbox)/, glyph: '◉', color: '#2d3748', key: 'in_app' },
  { match: /^webhook/, glyph: '⇄', color: '#4a5568', key: 'webhook' },
]

export function channelStyle(channel: string | null | undefined): { glyph: string; color: string; key: string | null } {
  const name = (channel ?? '').toLowerCase()
  const known = CHANNELS.find((c) => c.match.test(name))
  if (known) return known
  return { glyph: name ? name[0]!.toUpperCase() : '·', color: '#718096', key: null }
}

/** A channel's badge with its name for screen readers and a tooltip. */
export function ChannelIcon({ channel, withLabel = false }: { channel: string | null | undefined; withLabel?: boolean }) {
  const { t } = useTranslation()
  const style = channelStyle(channel)
  const label = channelLabel(t, channel)
  return (
    <span className="channel">
      <span className="channel-icon" style={{ background: style.color }} title={label} aria-label={label} role="img">
        {style.glyph}
      </span>
      {withLabel && <span className="channel-name">{label}</span>}
    </span>
  )
}

/** The channel's name in the current language, or its raw name when unknown. */
export function channelLabel(t: (key: any) => string, channel: string | null | undefined): string {
  if (!channel) return t('channels.none')
  const style = channelStyle(channel)
  if (style.key && style.key === channel.toLowerCase()) return t(`channels.${style.key}`)
  if (style.key) return `${t(`channels.${style.key}`)} · ${channel}`
  return channel
}
