import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ApiError } from '../../api/client.ts'
import { useApi } from '../../api/hooks.ts'
import { useSignedIn } from '../../api/session.tsx'
import { channelLabel } from '../../components/channel-icon.tsx'
import { ErrorMessage } from '../../components/error-message.tsx'
import { Kpi } from '../../components/kpi.tsx'
import { ProgressBar, Spinner } from '../../components/progress.tsx'
import { useFormat } from '../../format/use-format.ts'
import { MONEY_METRICS, type AlertView, type Campaign, type GoalMetric, type Snapshot } from './types.ts'

/**
 * Stage 4 — monitoring: KPIs from the log since the start, each goal against its pace, each
 * channel's spend and cost per conversion, and the alerts with their suggested actions, which a
 * marketer confirms (the plan changes) or dismisses.
 */
export function MonitoringStep({ campaign, onChanged }: { campaign: Campaign; onChanged(): void }) {
  const { t } = useTranslation()
  const format = useFormat()
  const session = useSignedIn()
  const [version, setVersion] = useState(0)
  const kpis = useApi<Snapshot>(`/campaigns/${campaign.id}/kpis`, undefined, version)
  const alerts = useApi<{ items: AlertView[] }>(`/campaigns/${campaign.id}/alerts`, { status: 'open' }, version)
  const [error, setError] = useState<ApiError | null>(null)
  const act = async (work: () => Promise<unknown>) => {
    setError(null)
    try {
      await work()
      setVersion((v) => v + 1)
      onChanged()
    } catch (failure) {
      setError(failure as ApiError)
    }
  }
  const value = (metric: GoalMetric | null, v: number | null) => (v === null ? '—' : metric && MONEY_METRICS.has(metric) ? format.money(v, campaign.currency) : metric === 'roi' ? format.percent(v) : format.number(v, 0))
  const k = kpis.data
  return (
    <>
      {error && <ErrorMessage error={error} />}
      {kpis.error && <ErrorMessage error={kpis.error} onRetry={kpis.reload} />}
      {!k && !kpis.error && <Spinner label={t('common.loading')} />}
      {k && (
        <>
          <ProgressBar value={k.elapsed} label={t('campaigns.monitoring.elapsed')} />
          <div className="kpis" style={{ marginTop: 12 }} data-testid="campaign-kpis">
            <Kpi label={t('campaigns.metrics.reach')} value={format.number(k.kpis.reach)} />
            <Kpi label={t('campaigns.metrics.traffic')} value={format.number(k.kpis.traffic.views)} />
            <Kpi label={t('campaigns.metrics.leads')} value={format.number(k.kpis.leads)} />
            <Kpi label={t('campaigns.metrics.conversions')} value={format.number(k.kpis.conversions)} />
            <Kpi label={t('campaigns.metrics.revenue')} value={format.moneyCompact(k.kpis.revenueMinor, k.currency)} />
            <Kpi label={t('campaigns.monitoring.spend')} value={k.kpis.spendMinor === null ? '—' : format.moneyCompact(k.kpis.spendMinor, k.currency)} />
            <Kpi label="ROI" value={k.kpis.roi === null ? '—' : format.percent(k.kpis.roi)} />
            <Kpi label={t('campaigns.metrics.cac')} value={k.kpis.cacMinor === null ? '—' : format.money(k.kpis.cacMinor, k.currency)} />
          </div>
          <section className="panel">
            <h2>{t('campaigns.monitoring.goals')}</h2>
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th>{t('campaigns.insight.statement')}</th>
                    <th className="num">{t('campaigns.monitoring.actual')}</th>
                    <th className="num">{t('campaigns.monitoring.expected')}</th>
                    <th className="num">{t('campaigns.monitoring.projected')}</th>
                    <th className="num">{t('campaigns.insight.target')}</th>
                    <th>{t('campaigns.monitoring.pace')}</th>
                  </tr>
                </thead>
                <tbody>
                  {k.goals.map((g) => (
                    <tr key={g.goalId}>
                      <td>{g.statement}</td>
                      <td className="num">{value(g.metric, g.actual)}</td>
                      <td className="num">{value(g.metric, g.expectedByNow)}</td>
                      <td className="num">{value(g.metric, g.projected)}</td>
                      <td className="num">{value(g.metric, g.target)}</td>
                      <td>
                        <span className={`tag ${g.status === 'behind' ? 'bad' : g.status === 'ahead' || g.status === 'done' ? 'good' : ''}`}>{t(`campaigns.paces.${g.status}`)}</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          <section className="panel">
            <h2>{t('campaigns.monitoring.channels')}</h2>
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th>{t('campaigns.strategy.channel')}</th>
                    <th className="num">{t('campaigns.monitoring.spend')}</th>
                    <th className="num">{t('campaigns.monitoring.planned')}</th>
                    <th className="num">{t('campaigns.metrics.conversions')}</th>
                    <th className="num">{t('campaigns.metrics.revenue')}</th>
                    <th className="num">ROAS</th>
                    <th className="num">CPA</th>
                  </tr>
                </thead>
                <tbody>
                  {k.channels.map((c) => (
                    <tr key={c.channel}>
                      <td>
                        {channelLabel(t, c.channel)} {c.paused && <span className="tag warn">{t('campaigns.strategy.paused')}</span>}
                      </td>
                      <td className="num">{c.spendMinor === null ? '—' : format.money(c.spendMinor, k.currency)}</td>
                      <td className="num">{c.plannedMinor === null ? '—' : format.money(c.plannedMinor, k.currency)}</td>
                      <td className="num">{format.number(c.conversions, 1)}</td>
                      <td className="num">{format.money(c.revenueMinor, k.currency)}</td>
                      <td className="num">{c.roas === null ? '—' : format.number(c.roas, 2)}</td>
                      <td className="num">{c.cpaMinor === null ? '—' : format.money(c.cpaMinor, k.currency)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </>
      )}
      <section className="panel">
        <div className="panel-head">
          <h2>{t('campaigns.monitoring.alerts')}</h2>
          {session.can('write') && campaign.status === 'running' && (
            <button type="button" className="button secondary small" onClick={() => void act(() => api(`/campaigns/${campaign.id}/alerts/evaluate`, { method: 'POST' }))}>
              {t('campaigns.monitoring.checkNow')}
            </button>
          )}
        </div>
        {alerts.data && alerts.data.items.length === 0 && <p className="muted">{t('campaigns.monitoring.noAlerts')}</p>}
        <ul className="findings">
          {alerts.data?.items.map((a) => (
            <li key={a.id} className="warning">
              <strong>{a.message}</strong> <span className="muted">{format.relative(a.raisedAt)}</span>
              {session.can('write') && (
                <div className="toolbar" style={{ marginTop: 4 }}>
                  {a.actions.map((action) => (
                    <button key={action.id} type="button" className="button small" onClick={() => void act(() => api(`/campaigns/${campaign.id}/alerts/${a.id}/confirm`, { method: 'POST', body: { actionId: action.id } }))}>
                      {action.description}
                    </button>
                  ))}
                  <button type="button" className="button secondary small" onClick={() => void act(() => api(`/campaigns/${campaign.id}/alerts/${a.id}/dismiss`, { method: 'POST', body: {} }))}>
                    {t('campaigns.monitoring.dismiss')}
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      </section>
    </>
  )
}
