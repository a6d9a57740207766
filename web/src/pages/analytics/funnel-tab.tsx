import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useDebounced, useReport } from '../../api/hooks.ts'
import { Chart } from '../../components/chart.tsx'
import { ErrorMessage } from '../../components/error-message.tsx'
import { Spinner } from '../../components/progress.tsx'
import { useFormat } from '../../format/use-format.ts'
import { dayAfter, type Period } from './period.ts'

interface FunnelReport {
  entered: number
  steps: Array<{ step: number; label: string; people: number; conversionFromStart: number; conversionFromPrevious: number; droppedAfter: number; medianMsFromPrevious: number | null }>
}

/** Event steps people go through; `$order` is any event carrying an order amount. */
const DEFAULT_STEPS = ['Product Viewed', 'Product Added', 'Checkout Started', '$order']

/** A conversion funnel over event steps: people per step, conversion and drop-off. */
export function FunnelTab({ period }: { period: Period }) {
  const { t } = useTranslation()
  const format = useFormat()
  const [stepsText, setStepsText] = useState(DEFAULT_STEPS.join('\n'))
  const [mode, setMode] = useState<'ordered' | 'strict' | 'any-order'>('ordered')
  const [windowDays, setWindowDays] = useState(7)
  const steps = useDebounced(stepsText, 600)
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean)
  const body = useMemo(
    () => ({ funnel: { steps: steps.map((event) => ({ event, label: event === '$order' ? t('analytics.anyOrder') : event })), mode, window: { amount: windowDays, unit: 'day' } }, from: period.from, to: dayAfter(period.to) }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [steps.join('|'), mode, windowDays, period, t],
  )
  const report = useReport<FunnelReport>(steps.length >= 2 ? '/measurement/funnels/report' : null, body)
  const r = report.data
  const option = useMemo(
    () =>
      r && {
        tooltip: { trigger: 'item' },
        series: [{ type: 'funnel', sort: 'none', left: '10%', width: '80%', label: { show: true, position: 'inside', formatter: '{b}: {c}' }, data: r.steps.map((s) => ({ name: s.label, value: s.people })) }],
      },
    [r],
  )
  return (
    <div className="split">
      <div>
        {report.loading && <Spinner label={t('analytics.computing')} />}
        {report.error && <ErrorMessage error={report.error} onRetry={report.reload} />}
        {steps.length < 2 && <p className="notice">{t('analytics.funnelNeedsSteps')}</p>}
        {r && option && (
          <section className="panel">
            <h2>{t('analytics.funnelTitle', { count: r.entered })}</h2>
            <Chart option={option} height={320} label={t('analytics.funnelTitle', { count: r.entered })} />
            <div className="table-wrap">
              <table className="table" data-testid="funnel-table">
                <thead>
                  <tr>
                    <th>{t('analytics.step')}</th>
                    <th className="num">{t('analytics.people')}</th>
                    <th className="num">{t('analytics.fromStart')}</th>
                    <th className="num">{t('analytics.fromPrevious')}</th>
                    <th className="num">{t('analytics.dropped')}</th>
                    <th className="num">{t('analytics.medianTime')}</th>
                  </tr>
                </thead>
                <tbody>
                  {r.steps.map((s) => (
                    <tr key={s.step}>
                      <td>{s.label}</td>
                      <td className="num">{format.number(s.people)}</td>
                      <td className="num">{format.percent(s.conversionFromStart)}</td>
                      <td className="num">{format.percent(s.conversionFromPrevious)}</td>
                      <td className="num">{format.number(s.droppedAfter)}</td>
                      <td className="num">{s.medianMsFromPrevious === null ? '—' : t('analytics.hours', { count: Math.round(s.medianMsFromPrevious / 3_600_000) })}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        )}
      </div>
      <aside className="side-panel">
        <label className="field">
          <span>{t('analytics.funnelSteps')}</span>
          <textarea rows={6} value={stepsText} onChange={(e) => setStepsText(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('analytics.funnelMode')}</span>
          <select value={mode} onChange={(e) => setMode(e.target.value as typeof mode)}>
            {(['ordered', 'strict', 'any-order'] as const).map((m) => (
              <option key={m} value={m}>
                {t(`analytics.funnelModes.${m}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('analytics.funnelWindow')}</span>
          <input type="number" min={1} max={90} value={windowDays} onChange={(e) => setWindowDays(Math.max(1, Number(e.target.value) || 1))} />
        </label>
      </aside>
    </div>
  )
}
