import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useApi } from '../../api/hooks.ts'
import { Chart } from '../../components/chart.tsx'
import { channelLabel } from '../../components/channel-icon.tsx'
import { EmptyState } from '../../components/empty-state.tsx'
import { ErrorMessage } from '../../components/error-message.tsx'
import { Kpi } from '../../components/kpi.tsx'
import { Spinner } from '../../components/progress.tsx'
import { useFormat } from '../../format/use-format.ts'
import type { Period } from './period.ts'
import { MODELS, type ModelName, type RoiReport } from './types.ts'

/** ROI, ROAS, CPA and CAC per channel or campaign under one attribution model, with spend. */
export function RoiTab({ period }: { period: Period }) {
  const { t } = useTranslation()
  const format = useFormat()
  const [model, setModel] = useState<ModelName>('markov')
  const [groupBy, setGroupBy] = useState<'channel' | 'campaign'>('channel')
  const report = useApi<RoiReport>('/measurement/roi', { from: period.from, to: period.to, model, groupBy })
  const r = report.data
  const label = (row: { label: string; channel: string }) => (groupBy === 'channel' ? channelLabel(t, row.channel) : row.label)
  const ratio = (v: number | null) => (v === null ? '—' : format.number(v, 2))
  const money = (v: number | null) => (v === null || !r ? '—' : format.money(v, r.currency))
  const option = useMemo(() => {
    if (!r) return null
    const rows = r.rows.filter((row) => row.costMinor > 0)
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 8, bottom: 8, top: 24, containLabel: true },
      xAxis: { type: 'category', data: rows.map(label), axisLabel: { interval: 0, rotate: rows.length > 6 ? 30 : 0 } },
      yAxis: { type: 'value', name: 'ROAS' },
      series: [{ type: 'bar', name: 'ROAS', data: rows.map((row) => (row.roas === null ? 0 : Number(row.roas.toFixed(2)))), itemStyle: { color: '#4c6ef5' } }],
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [r, t])
  return (
    <>
      <div className="toolbar">
        <select aria-label={t('analytics.model')} value={model} onChange={(e) => setModel(e.target.value as ModelName)}>
          {MODELS.map((m) => (
            <option key={m} value={m}>
              {t(`analytics.models.${m}`)}
            </option>
          ))}
        </select>
        <select aria-label={t('analytics.groupBy')} value={groupBy} onChange={(e) => setGroupBy(e.target.value as typeof groupBy)}>
          <option value="channel">{t('analytics.groupings.channel')}</option>
          <option value="campaign">{t('analytics.groupings.campaign')}</option>
        </select>
      </div>
      {report.loading && <Spinner label={t('analytics.computing')} />}
      {report.error && <ErrorMessage error={report.error} onRetry={report.reload} />}
      {r && r.rows.length === 0 && (
        <EmptyState title={t('analytics.noConversions')}>
          <p>{t('analytics.noConversionsBody')}</p>
        </EmptyState>
      )}
      {r && r.rows.length > 0 && (
        <>
          <div className="kpis">
            <Kpi label={t('analytics.spend')} value={format.moneyCompact(r.totals.costMinor, r.currency)} />
            <Kpi label={t('analytics.revenue')} value={format.moneyCompact(r.totals.revenueMinor, r.currency)} />
            <Kpi label="ROAS" value={ratio(r.totals.roas)} />
            <Kpi label="ROI" value={r.totals.roi === null ? '—' : format.percent(r.totals.roi)} />
            <Kpi label={t('analytics.cpa')} value={money(r.totals.cpa)} />
            <Kpi label={t('analytics.cac')} value={money(r.totals.cac)} note={t('analytics.newCustomers', { count: r.totals.newCustomers })} />
          </div>
          {r.warnings.map((w, i) => (
            <p key={i} className="notice">
              {w}
            </p>
          ))}
          {option && r.rows.some((row) => row.costMinor > 0) && (
            <section className="panel">
              <h2>{t('analytics.roasByChannel')}</h2>
              <Chart option={option} height={280} label={t('analytics.roasByChannel')} />
            </section>
          )}
          <section className="panel">
            <div className="table-wrap">
              <table className="table" data-testid="roi-table">
                <thead>
                  <tr>
                    <th>{t(`analytics.groupings.${groupBy}`)}</th>
                    <th className="num">{t('analytics.spend')}</th>
                    <th className="num">{t('analytics.conversions')}</th>
                    <th className="num">{t('analytics.revenue')}</th>
                    <th className="num">ROAS</th>
                    <th className="num">ROI</th>
                    <th className="num">{t('analytics.cpa')}</th>
                    <th className="num">{t('analytics.cac')}</th>
                  </tr>
                </thead>
                <tbody>
                  {r.rows.map((row) => (
                    <tr key={row.label}>
                      <td>{label(row)}</td>
                      <td className="num">{format.money(row.costMinor, r.currency)}</td>
                      <td className="num">{format.number(row.conversions, 1)}</td>
                      <td className="num">{format.money(row.revenueMinor, r.currency)}</td>
                      <td className="num">{ratio(row.roas)}</td>
                      <td className="num">{row.roi === null ? '—' : format.percent(row.roi)}</td>
                      <td className="num">{money(row.cpa)}</td>
                      <td className="num">{money(row.cac)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </>
      )}
    </>
  )
}
