import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useApi, useReport } from '../../api/hooks.ts'
import { Chart } from '../../components/chart.tsx'
import { channelLabel } from '../../components/channel-icon.tsx'
import { EmptyState } from '../../components/empty-state.tsx'
import { ErrorMessage } from '../../components/error-message.tsx'
import { Kpi } from '../../components/kpi.tsx'
import { Spinner } from '../../components/progress.tsx'
import { useFormat } from '../../format/use-format.ts'
import type { Period } from './period.ts'
import { PathsSankey } from './paths-sankey.tsx'
import { MODELS, type AttributionReport, type Conversion, type ModelName } from './types.ts'

const DEFAULT_MODELS: ModelName[] = ['first_touch', 'last_touch', 'linear', 'time_decay', 'position_based', 'markov', 'shapley']

/**
 * Attribution models side by side: the same conversions credited to channels by each model, as a
 * bar chart per channel and a table, with the Markov removal effects and the paths people took.
 */
export function AttributionTab({ period, view }: { period: Period; view: 'models' | 'paths' }) {
  const { t } = useTranslation()
  const format = useFormat()
  const conversions = useApi<{ items: Conversion[] }>('/measurement/conversions')
  const [conversion, setConversion] = useState('purchase')
  const [models, setModels] = useState<ModelName[]>(DEFAULT_MODELS)
  const [measure, setMeasure] = useState<'conversions' | 'revenue'>('conversions')
  const [groupBy, setGroupBy] = useState<'channel' | 'campaign' | 'journey'>('channel')
  const body = useMemo(() => ({ from: period.from, to: period.to, conversion, models, groupBy, topPaths: 30 }), [period, conversion, models, groupBy])
  const report = useReport<AttributionReport>(models.length > 0 ? '/measurement/attribution' : null, body)
  const r = report.data
  const label = (row: { label: string; channel: string }) => (groupBy === 'channel' ? channelLabel(t, row.channel) : row.label)

  const option = useMemo(() => {
    if (!r) return null
    const rows = r.comparison.filter((c) => Object.values(c.models).some((m) => (m?.conversions ?? 0) > 0))
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, type: 'scroll' },
      grid: { left: 8, right: 8, bottom: 8, top: 40, containLabel: true },
      xAxis: { type: 'category', data: rows.map(label), axisLabel: { interval: 0, rotate: rows.length > 6 ? 30 : 0 } },
      yAxis: { type: 'value' },
      series: models.map((model) => ({
        name: t(`analytics.models.${model}`),
        type: 'bar',
        data: rows.map((c) => {
          const m = c.models[model]
          return m ? (measure === 'conversions' ? Number(m.conversions.toFixed(2)) : m.revenueMinor / 100) : 0
        }),
      })),
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [r, models, measure, t])

  const toggle = (model: ModelName) => setModels((current) => (current.includes(model) ? current.filter((m) => m !== model) : [...current, model]))

  return (
    <>
      <div className="toolbar">
        <select aria-label={t('analytics.conversion')} value={conversion} onChange={(e) => setConversion(e.target.value)}>
          {(conversions.data?.items ?? [{ key: 'purchase' }]).map((c) => (
            <option key={c.key} value={c.key}>
              {c.name ?? c.key}
            </option>
          ))}
        </select>
        <select aria-label={t('analytics.groupBy')} value={groupBy} onChange={(e) => setGroupBy(e.target.value as typeof groupBy)}>
          {(['channel', 'campaign', 'journey'] as const).map((g) => (
            <option key={g} value={g}>
              {t(`analytics.groupings.${g}`)}
            </option>
          ))}
        </select>
        {view === 'models' && (
          <select aria-label={t('analytics.measure')} value={measure} onChange={(e) => setMeasure(e.target.value as typeof measure)}>
            <option value="conversions">{t('analytics.conversions')}</option>
            <option value="revenue">{t('analytics.revenue')}</option>
          </select>
        )}
      </div>
      {view === 'models' && (
        <fieldset className="toolbar" style={{ border: 0, padding: 0 }} aria-label={t('analytics.modelsToCompare')}>
          {MODELS.map((model) => (
            <label key={model} className="tag">
              <input type="checkbox" checked={models.includes(model)} onChange={() => toggle(model)} /> {t(`analytics.models.${model}`)}
            </label>
          ))}
        </fieldset>
      )}
      {report.loading && <Spinner label={t('analytics.computing')} />}
      {report.error && <ErrorMessage error={report.error} onRetry={report.reload} />}
      {r && !report.loading && r.totals.conversions === 0 && (
        <EmptyState title={t('analytics.noConversions')}>
          <p>{t('analytics.noConversionsBody')}</p>
        </EmptyState>
      )}
      {r && r.totals.conversions > 0 && (
        <>
          <div className="kpis">
            <Kpi label={t('analytics.conversions')} value={format.number(r.totals.conversions, 0)} />
            <Kpi label={t('analytics.revenue')} value={format.moneyCompact(r.totals.revenueMinor, r.currency)} />
            <Kpi label={t('analytics.buyers')} value={format.number(r.totals.people)} />
            <Kpi label={t('analytics.spend')} value={format.moneyCompact(r.totals.costMinor, r.currency)} />
          </div>
          {r.warnings.map((w, i) => (
            <p key={i} className="notice">
              {w}
            </p>
          ))}
          {view === 'models' && option && (
            <>
              <section className="panel">
                <h2>{t('analytics.comparison')}</h2>
                <Chart option={option} height={360} label={t('analytics.comparison')} />
              </section>
              <section className="panel">
                <div className="table-wrap">
                  <table className="table" data-testid="attribution-table">
                    <thead>
                      <tr>
                        <th>{t(`analytics.groupings.${groupBy}`)}</th>
                        {models.map((m) => (
                          <th key={m} className="num">
                            {t(`analytics.models.${m}`)}
                          </th>
                        ))}
                        <th className="num">{t('analytics.spend')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {r.comparison.map((row) => (
                        <tr key={row.label}>
                          <td>{label(row)}</td>
                          {models.map((m) => (
                            <td key={m} className="num">
                              {measure === 'conversions' ? format.number(row.models[m]?.conversions ?? 0, 1) : format.money(row.models[m]?.revenueMinor ?? 0, r.currency)}
                            </td>
                          ))}
                          <td className="num">{row.costMinor === null ? '—' : format.money(row.costMinor, r.currency)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </section>
              {r.markov && r.markov.removalEffects.length > 0 && (
                <section className="panel">
                  <h2>{t('analytics.removalEffects')}</h2>
                  <p className="muted">{t('analytics.removalHelp', { probability: format.percent(r.markov.conversionProbability, 2) })}</p>
                  <ul className="findings">
                    {[...r.markov.removalEffects].sort((a, b) => b.conversions - a.conversions).map((e) => (
                      <li key={e.label}>
                        {groupBy === 'channel' ? channelLabel(t, e.label) : e.label}: {format.percent(e.conversions)}
                      </li>
                    ))}
                  </ul>
                </section>
              )}
            </>
          )}
          {view === 'paths' && <PathsSankey paths={r.topPaths} groupBy={groupBy} />}
        </>
      )}
    </>
  )
}
