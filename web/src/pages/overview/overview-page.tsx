import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, type Page } from '../../api/client.ts'
import { useCapabilities } from '../../api/capabilities.tsx'
import { useApi } from '../../api/hooks.ts'
import { useSignedIn } from '../../api/session.tsx'
import { Chart } from '../../components/chart.tsx'
import { EmptyState } from '../../components/empty-state.tsx'
import { ErrorMessage } from '../../components/error-message.tsx'
import { Kpi } from '../../components/kpi.tsx'
import { Link } from '../../components/link.tsx'
import { Spinner } from '../../components/progress.tsx'
import { PageHeader } from '../../components/shell.tsx'
import { Unavailable } from '../../components/unavailable.tsx'
import { useFormat } from '../../format/use-format.ts'
import { lastDays } from '../analytics/period.ts'
import type { RoiReport } from '../analytics/types.ts'
import type { Audience } from '../audiences/types.ts'
import type { JourneyView, VersionMetrics } from '../journeys/types.ts'
import { CampaignKpis } from './campaign-kpis.tsx'
import { EventsByChannel } from './events-by-channel.tsx'

export interface Alert {
  tone: 'bad' | 'warn'
  text: string
  to?: string
}

/**
 * The overview: this week's results, active campaigns' KPIs, today's events by channel, audience
 * sizes, journey sends and conversions, and what needs attention.
 */
export default function OverviewPage() {
  const { t } = useTranslation()
  const session = useSignedIn()
  const caps = useCapabilities()
  const [alerts, setAlerts] = useState<Record<string, Alert[]>>({})
  const addAlerts = useMemo(() => (source: string, list: Alert[]) => setAlerts((a) => ({ ...a, [source]: list })), [])
  const all = Object.values(alerts).flat()
  return (
    <>
      <PageHeader title={t('overview.title')} subtitle={t('overview.greeting', { name: session.user?.displayName ?? t(`roles.${session.role}`) })} />
      {caps.loaded && caps.has('GET', '/measurement/roi') && <WeekKpis onAlerts={addAlerts} />}
      <section className="panel" aria-labelledby="alerts-title">
        <h2 id="alerts-title">{t('overview.alerts')}</h2>
        {all.length === 0 ? (
          <p className="muted">{t('overview.noAlerts')}</p>
        ) : (
          <ul className="findings" data-testid="alerts">
            {all.map((a, i) => (
              <li key={i} className={a.tone === 'bad' ? 'error' : 'warning'}>
                {a.to ? <Link to={a.to}>{a.text}</Link> : a.text}
              </li>
            ))}
          </ul>
        )}
      </section>
      {caps.loaded && <CampaignKpis onAlerts={addAlerts} />}
      <div className="grid two">
        <section className="panel">
          <h2>{t('overview.eventsToday')}</h2>
          {caps.loaded && <EventsByChannel />}
        </section>
        <section className="panel">
          <h2>{t('overview.audienceSizes')}</h2>
          {caps.loaded && (caps.has('GET', '/audiences') ? <AudienceSizes onAlerts={addAlerts} /> : <Unavailable capability={t('capabilities.audiences')} api="GET /api/v1/audiences" />)}
        </section>
      </div>
      <section className="panel">
        <h2>{t('overview.journeys')}</h2>
        {caps.loaded && (caps.has('GET', '/journeys') ? <JourneySummary onAlerts={addAlerts} /> : <Unavailable capability={t('capabilities.journeys')} api="GET /api/v1/journeys" />)}
      </section>
    </>
  )
}

function WeekKpis({ onAlerts }: { onAlerts(source: string, alerts: Alert[]): void }) {
  const { t } = useTranslation()
  const format = useFormat()
  const session = useSignedIn()
  const period = useMemo(() => lastDays(7, session.workspace.timezone), [session.workspace.timezone])
  const roi = useApi<RoiReport>('/measurement/roi', { ...period, model: 'last_touch' })
  useEffect(() => {
    if (roi.data) onAlerts('roi', roi.data.warnings.map((w) => ({ tone: 'warn' as const, text: w, to: '/analytics?tab=roi' })))
  }, [roi.data, onAlerts])
  if (roi.error) return <ErrorMessage error={roi.error} onRetry={roi.reload} />
  if (!roi.data) return <Spinner label={t('common.loading')} />
  const r = roi.data.totals
  return (
    <div className="kpis" data-testid="week-kpis">
      <Kpi label={t('overview.revenue7')} value={format.moneyCompact(r.revenueMinor, roi.data.currency)} />
      <Kpi label={t('overview.conversions7')} value={format.number(r.conversions, 0)} />
      <Kpi label={t('overview.newCustomers7')} value={format.number(r.newCustomers, 0)} />
      <Kpi label={t('overview.spend7')} value={format.moneyCompact(r.costMinor, roi.data.currency)} />
      <Kpi label="ROAS" value={r.roas === null ? '—' : format.number(r.roas, 2)} />
    </div>
  )
}

function AudienceSizes({ onAlerts }: { onAlerts(source: string, alerts: Alert[]): void }) {
  const { t } = useTranslation()
  const format = useFormat()
  const audiences = useApi<Page<Audience>>('/audiences', { limit: 200 })
  useEffect(() => {
    const failed = (audiences.data?.items ?? []).filter((a) => a.lastRecompute?.status === 'failed')
    onAlerts('audiences', failed.map((a) => ({ tone: 'bad' as const, text: t('overview.audienceFailed', { name: a.name }), to: `/audiences/${a.id}` })))
  }, [audiences.data, onAlerts, t])
  if (audiences.error) return <ErrorMessage error={audiences.error} onRetry={audiences.reload} />
  if (!audiences.data) return <Spinner label={t('common.loading')} />
  const top = [...audiences.data.items].sort((a, b) => b.size - a.size).slice(0, 8)
  if (top.length === 0) {
    return (
      <EmptyState title={t('audiences.emptyTitle')} action={<Link to="/audiences/new">{t('audiences.new')}</Link>}>
        <p>{t('audiences.emptyBody')}</p>
      </EmptyState>
    )
  }
  const option = {
    tooltip: { trigger: 'axis' },
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', data: top.map((a) => a.name), inverse: true },
    series: [{ type: 'bar', data: top.map((a) => a.size), label: { show: true, position: 'right', formatter: (p: { value: number }) => format.compact(p.value) }, itemStyle: { color: '#5c7cfa' } }],
  }
  return <Chart option={option} height={Math.max(160, top.length * 34)} label={t('overview.audienceSizes')} />
}

function JourneySummary({ onAlerts }: { onAlerts(source: string, alerts: Alert[]): void }) {
  const { t } = useTranslation()
  const format = useFormat()
  const [rows, setRows] = useState<Array<{ journey: JourneyView; metrics: VersionMetrics | null }> | null>(null)
  useEffect(() => {
    let cancelled = false
    void (async () => {
      const live = await api<Page<JourneyView>>('/journeys', { query: { status: 'published', limit: 10 } })
      const withMetrics = await Promise.all(live.items.map(async (journey) => ({ journey, metrics: await api<VersionMetrics>(`/journeys/${journey.id}/metrics`).catch(() => null) })))
      if (cancelled) return
      setRows(withMetrics)
      const troubled = withMetrics.filter((r) => r.metrics && r.metrics.nodes.some((n) => n.errored > 0))
      onAlerts('journeys', troubled.map((r) => ({ tone: 'bad' as const, text: t('overview.journeyErrors', { name: r.journey.name }), to: `/journeys/${r.journey.id}` })))
    })().catch(() => !cancelled && setRows([]))
    return () => {
      cancelled = true
    }
  }, [onAlerts, t])
  if (!rows) return <Spinner label={t('common.loading')} />
  if (rows.length === 0) {
    return (
      <EmptyState title={t('overview.noLiveJourneys')} action={<Link to="/journeys">{t('overview.toJourneys')}</Link>}>
        <p>{t('overview.noLiveJourneysBody')}</p>
      </EmptyState>
    )
  }
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th>{t('journeys.name')}</th>
            <th className="num">{t('journeys.metrics.entered')}</th>
            <th className="num">{t('journeys.metrics.sent')}</th>
            <th className="num">{t('journeys.metrics.converted')}</th>
            <th className="num">{t('journeys.metrics.rate')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ journey, metrics }) => (
            <tr key={journey.id}>
              <td>
                <Link to={`/journeys/${journey.id}`}>{journey.name}</Link>
              </td>
              <td className="num">{metrics ? format.number(metrics.totals.entered) : '—'}</td>
              <td className="num">{metrics ? format.number(metrics.nodes.reduce((n, m) => n + m.sent, 0)) : '—'}</td>
              <td className="num">{metrics ? format.number(metrics.totals.converted) : '—'}</td>
              <td className="num">{metrics ? format.percent(metrics.totals.conversionRate) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
