import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ApiError, type Page } from '../../api/client.ts'
import { ChannelIcon, channelLabel } from '../../components/channel-icon.tsx'
import { EmptyState } from '../../components/empty-state.tsx'
import { ErrorMessage } from '../../components/error-message.tsx'
import { Spinner } from '../../components/progress.tsx'
import { useFormat } from '../../format/use-format.ts'
import { traitText, type TimelineItem } from './types.ts'

/** Properties worth a glance in a timeline row, in this order. */
const HEADLINE_PROPERTIES = ['title', 'name', 'product_name', 'order_id', 'total', 'revenue', 'campaign', 'utm_campaign', 'subject', 'url', 'path']

/**
 * The person's events across every channel, newest first, loaded a page at a time; filter the
 * loaded events by channel or by text.
 */
export function Timeline({ profileId }: { profileId: string }) {
  const { t } = useTranslation()
  const format = useFormat()
  const [items, setItems] = useState<TimelineItem[]>([])
  const [cursor, setCursor] = useState<string | null>(null)
  const [done, setDone] = useState(false)
  const [loading, setLoading] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const [channel, setChannel] = useState('')
  const [text, setText] = useState('')

  const load = async (from: string | null, reset = false) => {
    setLoading(true)
    setError(null)
    try {
      const page = await api<Page<TimelineItem>>(`/profiles/${encodeURIComponent(profileId)}/events`, { query: { limit: 50, cursor: from } })
      setItems((previous) => (reset ? page.items : [...previous, ...page.items]))
      setCursor(page.nextCursor)
      setDone(page.nextCursor === null)
    } catch (failure) {
      setError(failure as ApiError)
    } finally {
      setLoading(false)
    }
  }
  useEffect(() => {
    setItems([])
    void load(null, true)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [profileId])

  const channels = useMemo(() => [...new Set(items.map((i) => i.channel ?? ''))].filter(Boolean).sort(), [items])
  const needle = text.trim().toLowerCase()
  const shown = items.filter((i) => (!channel || i.channel === channel) && (!needle || `${i.event ?? i.type} ${JSON.stringify(i.properties)}`.toLowerCase().includes(needle)))

  return (
    <section className="panel" aria-labelledby="timeline-title">
      <div className="panel-head">
        <h2 id="timeline-title">{t('customer.timeline')}</h2>
        <span className="muted">{t('customer.loadedEvents', { count: items.length })}</span>
      </div>
      <div className="toolbar">
        <input type="search" className="search" aria-label={t('customer.filterEvents')} placeholder={t('customer.filterEvents')} value={text} onChange={(e) => setText(e.target.value)} />
        <select aria-label={t('customer.channel')} value={channel} onChange={(e) => setChannel(e.target.value)}>
          <option value="">{t('customer.allChannels')}</option>
          {channels.map((c) => (
            <option key={c} value={c}>
              {channelLabel(t, c)}
            </option>
          ))}
        </select>
      </div>
      {error && <ErrorMessage error={error} onRetry={() => void load(cursor, items.length === 0)} />}
      {!loading && items.length === 0 && !error && (
        <EmptyState title={t('customer.noEvents')}>
          <p>{t('customer.noEventsBody')}</p>
        </EmptyState>
      )}
      {items.length > 0 && shown.length === 0 && <div className="empty-inline">{t('common.noMatches')}</div>}
      <ol className="timeline" data-testid="timeline">
        {shown.map((item) => (
          <li key={item.messageId}>
            <ChannelIcon channel={item.channel} />
            <div>
              <strong>{eventTitle(item, t)}</strong>
              {item.channel && <span className="muted"> · {channelLabel(t, item.channel)}</span>}
              <div className="props">{headline(item)}</div>
            </div>
            <time className="when" dateTime={item.timestamp} title={format.dateTime(item.timestamp)}>
              {format.relative(item.timestamp)}
            </time>
          </li>
        ))}
      </ol>
      {loading && <Spinner label={t('common.loading')} />}
      {!done && !loading && items.length > 0 && (
        <button type="button" className="button secondary" onClick={() => void load(cursor)}>
          {t('customer.olderEvents')}
        </button>
      )}
    </section>
  )
}

function eventTitle(item: TimelineItem, t: (key: any, options?: any) => string): string {
  if (item.type === 'track') return item.event ?? t('customer.eventTypes.track')
  if (item.type === 'page' || item.type === 'screen') return `${t(`customer.eventTypes.${item.type}`)}${item.event ? ` · ${item.event}` : ''}`
  return t(`customer.eventTypes.${item.type}`, { defaultValue: item.type })
}

function headline(item: TimelineItem): string {
  const source = { ...item.traits, ...item.properties }
  const parts: string[] = []
  for (const key of HEADLINE_PROPERTIES) {
    if (source[key] !== undefined && source[key] !== null && source[key] !== '') parts.push(`${key}: ${traitText(source[key])}`)
    if (parts.length >= 3) break
  }
  if (parts.length === 0) {
    for (const [key, value] of Object.entries(source).slice(0, 3)) parts.push(`${key}: ${traitText(value)}`)
  }
  return parts.join(' · ')
}
