import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { Chart } from '../../components/chart.tsx'
import { channelLabel } from '../../components/channel-icon.tsx'
import { Kpi } from '../../components/kpi.tsx'
import { useMmmFormat } from './mmm-format.ts'
import type { MmmRun } from './mmm-types.ts'

const COLOURS = ['#4c6ef5', '#f76707', '#12b886', '#e64980', '#7950f2', '#fab005', '#15aabf', '#868e96']

/** A fitted run: how well it fits the hold-out, what each channel brought, and its response curves. */
export function MmmReport({ run }: { run: MmmRun & { report: NonNullable<MmmRun['report']>; dataset: NonNullable<MmmRun['dataset']> } }) {
  const { t } = useTranslation()
  const { report, dataset } = run
  const f = useMmmFormat(dataset.currency, dataset.outcome.name)
  const holdout = report.metrics.holdout
  const train = report.metrics.train
  const percent = (v: number | null) => (v === null || !Number.isFinite(v) ? '—' : f.format.percent(v))
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'item' },
      legend: { top: 0, data: report.channels.map((c) => channelLabel(t, c.channel)) },
      grid: { left: 8, right: 16, bottom: 28, top: 36, containLabel: true },
      xAxis: { type: 'value', name: t('analytics.mmm.spendPerPeriod'), nameLocation: 'middle', nameGap: 24 },
      yAxis: { type: 'value', name: t('analytics.mmm.outcomePerPeriod') },
      series: report.channels.flatMap((c, i) => {
        const colour = COLOURS[i % COLOURS.length]
        const name = channelLabel(t, c.channel)
        const today = c.responseCurve.length > 1 ? todayPoint(c.responseCurve, c.meanSpend) : 0
        return [
          { type: 'line', name, showSymbol: false, smooth: true, itemStyle: { color: colour }, data: c.responseCurve.map((p) => [round(p.spend), round(p.response)]) },
          { type: 'scatter', name, symbolSize: 10, itemStyle: { color: colour }, tooltip: { formatter: `${name} · ${t('analytics.mmm.today')}` }, data: [[round(c.meanSpend), round(today)]] },
        ]
      }),
    }),
    [report, t],
  )
  return (
    <>
      <section className="panel">
        <h2>{t('analytics.mmm.quality')}</h2>
        <p className="muted">{t('analytics.mmm.qualityHelp', { periods: report.split.holdout.periods })}</p>
        <div className="kpis" data-testid="mmm-quality">
          <Kpi label={t('analytics.mmm.r2')} value={f.ratio(holdout.r2)} note={t('analytics.mmm.trainNote', { value: f.ratio(train.r2) })} tone={holdout.r2 !== null && holdout.r2 > 0.5 ? 'good' : holdout.r2 !== null && holdout.r2 < 0 ? 'bad' : 'neutral'} />
          <Kpi label={t('analytics.mmm.nrmse')} value={f.ratio(holdout.nrmse, 3)} note={t('analytics.mmm.trainNote', { value: f.ratio(train.nrmse, 3) })} />
          <Kpi label={t('analytics.mmm.mape')} value={percent(holdout.mape)} note={t('analytics.mmm.trainNote', { value: percent(train.mape) })} />
        </div>
      </section>
      <section className="panel">
        <h2>{t('analytics.mmm.channels')}</h2>
        <p className="muted">{t('analytics.mmm.marginalHelp')}</p>
        <div className="table-wrap">
          <table className="table" data-testid="mmm-channels">
            <thead>
              <tr>
                <th>{t('analytics.groupings.channel')}</th>
                <th className="num">{t('analytics.spend')}</th>
                <th className="num">{t('analytics.mmm.contribution')}</th>
                <th className="num">{t('analytics.mmm.share')}</th>
                <th className="num">{t('analytics.mmm.roi')}</th>
                <th className="num">{t('analytics.mmm.marginalRoi')}</th>
              </tr>
            </thead>
            <tbody>
              {report.channels.map((c) => (
                <tr key={c.channel}>
                  <td>{channelLabel(t, c.channel)}</td>
                  <td className="num">{f.money(c.spend)}</td>
                  <td className="num">{f.outcome(c.contribution)}</td>
                  <td className="num">{f.format.percent(c.share)}</td>
                  <td className="num">{f.ratio(c.roi)}</td>
                  <td className="num">{f.ratio(c.marginalRoi)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="panel">
        <h2>{t('analytics.mmm.curves')}</h2>
        <p className="muted">{t('analytics.mmm.curvesHelp')}</p>
        <Chart option={option} height={340} label={t('analytics.mmm.curves')} />
      </section>
    </>
  )
}

/** The response at today's mean spend, read off the sampled curve (linear between points). */
function todayPoint(curve: ReadonlyArray<{ spend: number; response: number }>, spend: number): number {
  for (let i = 1; i < curve.length; i++) {
    const a = curve[i - 1]!
    const b = curve[i]!
    if (spend <= b.spend) return b.spend === a.spend ? b.response : a.response + ((spend - a.spend) / (b.spend - a.spend)) * (b.response - a.response)
  }
  return curve[curve.length - 1]!.response
}

function round(v: number): number {
  return Math.round(v * 100) / 100
}
