import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useDebounced, useReport } from '../../api/hooks.ts'
import { channelLabel } from '../../components/channel-icon.tsx'
import { ErrorMessage } from '../../components/error-message.tsx'
import { Kpi } from '../../components/kpi.tsx'
import { useMmmFormat } from './mmm-format.ts'
import type { MmmRun, OptimiseAnswer } from './mmm-types.ts'

/**
 * A run whose history was too short to fit: says how much is missing, and offers the simpler
 * recommendation from attributed ROAS with a budget slider (the same optimise call answers it),
 * within the 0.7×–1.3× of today's spend that method allows.
 */
export function MmmRecommendation({ run }: { run: MmmRun & { insufficientHistory: NonNullable<MmmRun['insufficientHistory']>; dataset: NonNullable<MmmRun['dataset']> } }) {
  const { t } = useTranslation()
  const history = run.insufficientHistory
  const f = useMmmFormat(run.dataset.currency, 'revenue')
  const first = history.recommendation
  const current = first ? first.channels.reduce((s, c) => s + c.cost, 0) : 0
  const [budget, setBudget] = useState(Math.round(current * 100) / 100)
  const body = useDebounced({ budget }, 350)
  const answer = useReport<OptimiseAnswer>(first ? `/measurement/mmm/models/${run.id}/optimise` : null, body)
  const recommendation = answer.data?.basis === 'attribution' ? answer.data.recommendation : first
  return (
    <section className="panel" data-testid="mmm-short-history">
      <h2>{t('analytics.mmm.shortHistory')}</h2>
      <p>{t('analytics.mmm.shortHistoryBody', { required: history.requiredPeriods, periods: history.periods })}</p>
      {!recommendation && history.recommendationNote && <p className="notice">{history.recommendationNote}</p>}
      {recommendation && (
        <>
          <p className="muted">{t('analytics.mmm.attributionBasis', { note: history.recommendationNote ?? '' })}</p>
          <div className="slider-row">
            <label htmlFor="mmm-attribution-budget">
              {t('analytics.mmm.budget')} ({t('analytics.mmm.perPeriod.day')})
            </label>
            <input id="mmm-attribution-budget" type="range" min={Math.round(current * 70) / 100} max={Math.round(current * 130) / 100} step={Math.max(0.01, Math.round(current) / 200)} value={budget} onChange={(e) => setBudget(Number(e.target.value))} />
            <strong>{f.money(budget)}</strong>
          </div>
          {answer.error && <ErrorMessage error={answer.error} />}
          <div className="kpis">
            <Kpi label={`${t('analytics.mmm.expectedRevenue')} · ${t('analytics.mmm.current')}`} value={f.money(recommendation.currentRevenue)} />
            <Kpi label={`${t('analytics.mmm.expectedRevenue')} · ${t('analytics.mmm.recommended')}`} value={f.money(recommendation.expectedRevenue)} />
          </div>
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th>{t('analytics.groupings.channel')}</th>
                  <th className="num">{t('analytics.mmm.current')}</th>
                  <th className="num">{t('analytics.mmm.roas')}</th>
                  <th className="num">{t('analytics.mmm.recommended')}</th>
                  <th className="num">{t('analytics.mmm.change')}</th>
                </tr>
              </thead>
              <tbody>
                {recommendation.channels.map((c) => (
                  <tr key={c.channel}>
                    <td>{channelLabel(t, c.channel)}</td>
                    <td className="num">{f.money(c.cost)}</td>
                    <td className="num">{f.ratio(c.roas)}</td>
                    <td className="num">{f.money(c.recommendedSpend)}</td>
                    <td className="num">{`${c.change >= 0 ? '+' : ''}${f.money(c.change)}`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <details>
            <summary>{t('analytics.mmm.assumptions')}</summary>
            <ul>
              {recommendation.assumptions.map((a) => (
                <li key={a}>{a}</li>
              ))}
            </ul>
          </details>
        </>
      )}
    </section>
  )
}
