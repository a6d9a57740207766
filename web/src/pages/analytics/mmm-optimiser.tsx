import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useDebounced, useReport } from '../../api/hooks.ts'
import { channelLabel } from '../../components/channel-icon.tsx'
import { ErrorMessage } from '../../components/error-message.tsx'
import { Kpi } from '../../components/kpi.tsx'
import { Spinner } from '../../components/progress.tsx'
import { useMmmFormat } from './mmm-format.ts'
import type { MmmChannel, OptimiseAnswer, Scenario } from './mmm-types.ts'

interface Props {
  runId: string
  channels: MmmChannel[]
  currency: string
  outcome: 'revenue' | 'conversions'
  cadence: 'day' | 'week'
}

/**
 * The budget optimiser on a fitted model: a slider for the total per period and each channel's
 * limits (default half to twice today's spend, as the API's), answered by
 * POST /measurement/mmm/models/:id/optimise as they settle.
 */
export function MmmOptimiser({ runId, channels, currency, outcome, cadence }: Props) {
  const { t } = useTranslation()
  const f = useMmmFormat(currency, outcome)
  const current = channels.reduce((s, c) => s + c.meanSpend, 0)
  const [budget, setBudget] = useState(round(current))
  const [limits, setLimits] = useState(() => Object.fromEntries(channels.map((c) => [c.channel, { min: round(c.meanSpend * 0.5), max: round(c.meanSpend * 2) }])))
  const lowest = Object.values(limits).reduce((s, l) => s + l.min, 0)
  const highest = Object.values(limits).reduce((s, l) => s + l.max, 0)
  const body = useDebounced({ budget, bounds: Object.entries(limits).map(([channel, l]) => ({ channel, min: l.min, max: l.max })) }, 350)
  const answer = useReport<OptimiseAnswer>(`/measurement/mmm/models/${runId}/optimise`, body)
  const plan = answer.data?.basis === 'mmm' ? answer.data.plan : null
  const per = t(`analytics.mmm.perPeriod.${cadence}`)
  const setLimit = (channel: string, side: 'min' | 'max', value: number) => setLimits((l) => ({ ...l, [channel]: { ...l[channel]!, [side]: Number.isFinite(value) && value >= 0 ? value : 0 } }))
  return (
    <section className="panel">
      <h2>{t('analytics.mmm.optimiser')}</h2>
      <p className="muted">{t('analytics.mmm.optimiserHelp')}</p>
      <div className="slider-row">
        <label htmlFor="mmm-budget">
          {t('analytics.mmm.budget')} ({per})
        </label>
        <input id="mmm-budget" type="range" min={round(Math.min(lowest, budget))} max={round(Math.max(highest, budget))} step={Math.max(0.01, round(current / 200))} value={budget} onChange={(e) => setBudget(Number(e.target.value))} />
        <strong data-testid="mmm-budget-value">{f.money(budget)}</strong>
      </div>
      {answer.error && <ErrorMessage error={answer.error} />}
      {answer.loading && !plan && <Spinner label={t('analytics.computing')} />}
      {plan && (
        <div className="kpis">
          <Kpi label={`${t('analytics.mmm.predicted')} · ${t('analytics.mmm.current')}`} value={f.outcome(plan.currentResponse)} />
          <Kpi label={`${t('analytics.mmm.predicted')} · ${t('analytics.mmm.recommended')}`} value={f.outcome(plan.recommendedResponse)} />
          <Kpi label={t('analytics.mmm.uplift')} value={`${plan.uplift >= 0 ? '+' : ''}${f.outcome(plan.uplift)}`} tone={plan.uplift > 0 ? 'good' : 'neutral'} note={plan.upliftRelativeToOutcome === null ? undefined : f.format.signedPercent(plan.upliftRelativeToOutcome)} />
        </div>
      )}
      <div className="table-wrap">
        <table className="table" data-testid="mmm-plan">
          <thead>
            <tr>
              <th>{t('analytics.groupings.channel')}</th>
              <th className="num">{t('analytics.mmm.lower')}</th>
              <th className="num">{t('analytics.mmm.upper')}</th>
              <th className="num">{t('analytics.mmm.current')}</th>
              <th className="num">{t('analytics.mmm.recommended')}</th>
              <th className="num">{t('analytics.mmm.change')}</th>
            </tr>
          </thead>
          <tbody>
            {channels.map((c) => {
              const row = plan?.channels.find((p) => p.channel === c.channel)
              const name = channelLabel(t, c.channel)
              return (
                <tr key={c.channel}>
                  <td>{name}</td>
                  <td className="num">
                    <input type="number" min={0} step="any" aria-label={`${name} · ${t('analytics.mmm.lower')}`} value={limits[c.channel]!.min} onChange={(e) => setLimit(c.channel, 'min', Number(e.target.value))} style={{ width: 100 }} />
                  </td>
                  <td className="num">
                    <input type="number" min={0} step="any" aria-label={`${name} · ${t('analytics.mmm.upper')}`} value={limits[c.channel]!.max} onChange={(e) => setLimit(c.channel, 'max', Number(e.target.value))} style={{ width: 100 }} />
                  </td>
                  <td className="num">{f.money(c.meanSpend)}</td>
                  <td className="num">
                    {row ? f.money(row.recommendedSpend) : '—'}
                    {row?.atBound && <div className="muted">{t(row.atBound === 'lower' ? 'analytics.mmm.atLower' : 'analytics.mmm.atUpper')}</div>}
                  </td>
                  <td className="num">{row ? `${row.change >= 0 ? '+' : ''}${f.money(row.change)}` : '—'}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
    </section>
  )
}

/** "What if": a spend per period per channel, and what the model expects it to deliver. */
export function MmmWhatIf({ runId, channels, currency, outcome, cadence }: Props) {
  const { t } = useTranslation()
  const f = useMmmFormat(currency, outcome)
  const today = () => Object.fromEntries(channels.map((c) => [c.channel, round(c.meanSpend)]))
  const [spends, setSpends] = useState<Record<string, number>>(today)
  const body = useDebounced({ spends }, 350)
  const scenario = useReport<Scenario>(`/measurement/mmm/models/${runId}/what-if`, body)
  const s = scenario.data
  return (
    <section className="panel">
      <div className="panel-head">
        <h2>{t('analytics.mmm.whatIf')}</h2>
        <button type="button" className="button secondary small" onClick={() => setSpends(today())}>
          {t('analytics.mmm.resetToToday')}
        </button>
      </div>
      <p className="muted">{t('analytics.mmm.whatIfHelp')}</p>
      {channels.map((c) => {
        const name = channelLabel(t, c.channel)
        const top = round(Math.max(c.meanSpend * 3, ...c.responseCurve.map((p) => p.spend)))
        return (
          <div className="slider-row" key={c.channel}>
            <label htmlFor={`what-if-${c.channel}`}>
              {name} ({t(`analytics.mmm.perPeriod.${cadence}`)})
            </label>
            <input id={`what-if-${c.channel}`} type="range" min={0} max={top} step={Math.max(0.01, round(top / 200))} value={spends[c.channel] ?? 0} onChange={(e) => setSpends((v) => ({ ...v, [c.channel]: Number(e.target.value) }))} />
            <span>{f.money(spends[c.channel] ?? 0)}</span>
          </div>
        )
      })}
      {scenario.error && <ErrorMessage error={scenario.error} />}
      {s && (
        <div className="kpis" data-testid="mmm-what-if">
          <Kpi label={t('analytics.spend')} value={f.money(s.totalSpend)} note={`${t('analytics.mmm.current')} ${f.money(s.currentSpend)}`} />
          <Kpi label={t('analytics.mmm.predicted')} value={f.outcome(s.totalResponse)} note={`${t('analytics.mmm.current')} ${f.outcome(s.currentResponse)}`} />
          <Kpi label={t('analytics.mmm.uplift')} value={`${s.change >= 0 ? '+' : ''}${f.outcome(s.change)}`} tone={s.change > 0 ? 'good' : s.change < 0 ? 'bad' : 'neutral'} />
        </div>
      )}
    </section>
  )
}

function round(v: number): number {
  return Math.round(v * 100) / 100
}
