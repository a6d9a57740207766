import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, type Page } from '../../api/client.ts'
import { useCapabilities } from '../../api/capabilities.tsx'
import { EmptyState } from '../../components/empty-state.tsx'
import { Kpi } from '../../components/kpi.tsx'
import { Link } from '../../components/link.tsx'
import { ProgressBar, Spinner } from '../../components/progress.tsx'
import { Unavailable } from '../../components/unavailable.tsx'
import { useFormat } from '../../format/use-format.ts'
import type { AlertView, Campaign, Snapshot } from '../campaigns/types.ts'
import type { Alert } from './overview-page.tsx'

/** How many running campaigns the overview follows. */
const SHOWN = 4

/** Running campaigns with their live KPIs; their open alerts join the overview's alerts. */
export function CampaignKpis({ onAlerts }: { onAlerts(source: string, alerts: Alert[]): void }) {
  const { t } = useTranslation()
  const caps = useCapabilities()
  return (
    <section className="panel">
      <h2>{t('overview.campaigns')}</h2>
      {caps.has('GET', '/campaigns') ? <Running onAlerts={onAlerts} /> : <Unavailable capability={t('capabilities.campaigns')} api="GET /api/v1/campaigns" />}
    </section>
  )
}

function Running({ onAlerts }: { onAlerts(source: string, alerts: Alert[]): void }) {
  const { t } = useTranslation()
  const format = useFormat()
  const [rows, setRows] = useState<Array<{ campaign: Campaign; kpis: Snapshot | null }> | null>(null)
  useEffect(() => {
    let cancelled = false
    void (async () => {
      const running = await api<Page<Campaign>>('/campaigns', { query: { status: 'running', limit: SHOWN } })
      const loaded = await Promise.all(
        running.items.map(async (campaign) => ({
          campaign,
          kpis: await api<Snapshot>(`/campaigns/${campaign.id}/kpis`).catch(() => null),
          alerts: await api<{ items: AlertView[] }>(`/campaigns/${campaign.id}/alerts`, { query: { status: 'open' } }).then((a) => a.items, () => []),
        })),
      )
      if (cancelled) return
      setRows(loaded)
      onAlerts('campaigns', loaded.flatMap((r) => r.alerts.map((a) => ({ tone: 'warn' as const, text: `${r.campaign.name}: ${a.message}`, to: `/campaigns/${r.campaign.id}?step=monitoring` }))))
    })().catch(() => !cancelled && setRows([]))
    return () => {
      cancelled = true
    }
  }, [onAlerts])
  if (!rows) return <Spinner label={t('common.loading')} />
  if (rows.length === 0) {
    return (
      <EmptyState title={t('overview.noRunningCampaigns')} action={<Link to="/campaigns">{t('overview.toCampaigns')}</Link>}>
        <p>{t('overview.noRunningCampaignsBody')}</p>
      </EmptyState>
    )
  }
  return (
    <div className="grid two">
      {rows.map(({ campaign, kpis }) => (
        <div key={campaign.id} data-testid="campaign-card">
          <h3>
            <Link to={`/campaigns/${campaign.id}?step=monitoring`}>{campaign.name}</Link>
          </h3>
          {kpis ? (
            <>
              <ProgressBar value={kpis.elapsed} label={t('campaigns.monitoring.elapsed')} />
              <div className="kpis" style={{ marginTop: 8 }}>
                <Kpi label={t('campaigns.metrics.revenue')} value={format.moneyCompact(kpis.kpis.revenueMinor, kpis.currency)} />
                <Kpi label={t('campaigns.metrics.conversions')} value={format.number(kpis.kpis.conversions)} />
                <Kpi label="ROI" value={kpis.kpis.roi === null ? '—' : format.percent(kpis.kpis.roi)} />
                <Kpi label={t('overview.goalsBehind')} value={kpis.goals.filter((g) => g.status === 'behind').length} tone={kpis.goals.some((g) => g.status === 'behind') ? 'bad' : 'good'} />
              </div>
            </>
          ) : (
            <p className="muted">{t('overview.kpisUnavailable')}</p>
          )}
        </div>
      ))}
    </div>
  )
}
