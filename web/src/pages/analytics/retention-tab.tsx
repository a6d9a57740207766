import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useReport } from '../../api/hooks.ts'
import { Chart } from '../../components/chart.tsx'
import { channelLabel } from '../../components/channel-icon.tsx'
import { ErrorMessage } from '../../components/error-message.tsx'
import { Spinner } from '../../components/progress.tsx'
import { useFormat } from '../../format/use-format.ts'
import { dayAfter, type Period } from './period.ts'

interface RetentionReport {
  cohorts: Array<{ cohort: string; size: number; cells: Array<{ period: number; people: number; eligible: number; rate: number | null; complete: boolean }> }>
  total: { cohort: string; size: number; cells: Array<{ period: number; rate: number | null }> }
}

/** Retention as a heat map: cohorts down, periods since their start across, share still active. */
export function RetentionTab({ period }: { period: Period }) {
  const { t } = useTranslation()
  const format = useFormat()
  const [cohortBy, setCohortBy] = useState<'first-seen' | 'channel'>('first-seen')
  const [unit, setUnit] = useState<'day' | 'week'>('day')
  const body = useMemo(() => ({ cohortBy, period: unit, periods: unit === 'day' ? 14 : 8, from: period.from, to: dayAfter(period.to) }), [cohortBy, unit, period])
  const report = useReport<RetentionReport>('/measurement/retention', body)
  const r = report.data
  const cohortName = (c: string) => (cohortBy === 'channel' ? channelLabel(t, c) : c)
  const option = useMemo(() => {
    if (!r) return null
    const columns = Math.max(0, ...r.cohorts.map((c) => c.cells.length))
    const data = r.cohorts.flatMap((c, y) => c.cells.filter((cell) => cell.rate !== null).map((cell) => [cell.period, y, Math.round(cell.rate! * 1000) / 10]))
    return {
      tooltip: { position: 'top', formatter: (p: { value: [number, number, number] }) => `${cohortName(r.cohorts[p.value[1]]!.cohort)} · +${p.value[0]}: ${p.value[2]}%` },
      grid: { left: 8, right: 8, top: 8, bottom: 48, containLabel: true },
      xAxis: { type: 'category', data: Array.from({ length: columns }, (_, i) => `+${i}`), splitArea: { show: true } },
      yAxis: { type: 'category', data: r.cohorts.map((c) => cohortName(c.cohort)), inverse: true, splitArea: { show: true } },
      visualMap: { min: 0, max: 100, calculable: true, orient: 'horizontal', left: 'center', bottom: 0, inRange: { color: ['#f1f3ff', '#3b5bdb'] } },
      series: [{ type: 'heatmap', data, label: { show: true, formatter: (p: { value: [number, number, number] }) => `${p.value[2]}` } }],
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [r, cohortBy, t])
  return (
    <>
      <div className="toolbar">
        <select aria-label={t('analytics.cohortBy')} value={cohortBy} onChange={(e) => setCohortBy(e.target.value as typeof cohortBy)}>
          <option value="first-seen">{t('analytics.cohorts.firstSeen')}</option>
          <option value="channel">{t('analytics.cohorts.channel')}</option>
        </select>
        <select aria-label={t('analytics.periodUnit')} value={unit} onChange={(e) => setUnit(e.target.value as typeof unit)}>
          <option value="day">{t('analytics.units.day')}</option>
          <option value="week">{t('analytics.units.week')}</option>
        </select>
      </div>
      {report.loading && <Spinner label={t('analytics.computing')} />}
      {report.error && <ErrorMessage error={report.error} onRetry={report.reload} />}
      {r && option && (
        <section className="panel">
          <h2>{t('analytics.retentionTitle')}</h2>
          <p className="muted">{t('analytics.retentionHelp', { people: format.number(r.total.size) })}</p>
          <Chart option={option} height={Math.max(260, 40 + r.cohorts.length * 26)} label={t('analytics.retentionTitle')} />
        </section>
      )}
    </>
  )
}
