import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ApiError, type Page } from '../../api/client.ts'
import { useApi } from '../../api/hooks.ts'
import { ErrorMessage } from '../../components/error-message.tsx'
import { toMajorText, toMinor } from './money-input.ts'
import { GOAL_METRICS, MONEY_METRICS, type Campaign, type Goal, type GoalAssessment } from './types.ts'

const LETTERS = ['S', 'M', 'A', 'R', 'T'] as const

/**
 * Stage 1 — goals and insight: goals written as SMART (each letter checked by the server against
 * the log's history), the audiences the campaign speaks to, and the budget available.
 */
export function InsightStep({ campaign, editable, onSaved }: { campaign: Campaign; editable: boolean; onSaved(): void }) {
  const { t } = useTranslation()
  const insight = campaign.plan.insight
  const [goals, setGoals] = useState<Goal[]>(insight.goals)
  const [audienceIds, setAudienceIds] = useState<string[]>(insight.audiences.map((a) => a.audienceId))
  const [budget, setBudget] = useState(toMajorText(insight.resources.budgetMinor, campaign.currency))
  const [error, setError] = useState<ApiError | null>(null)
  const [saving, setSaving] = useState(false)
  const smart = useApi<{ goals: GoalAssessment[] }>(`/campaigns/${campaign.id}/smart`, undefined, campaign.planVersion)
  const audiences = useApi<Page<{ id: string; name: string; size: number }>>('/audiences', { limit: 200 })
  const set = (i: number, patch: Partial<Goal>) => setGoals(goals.map((g, j) => (j === i ? { ...g, ...patch } : g)))
  const save = async () => {
    setSaving(true)
    setError(null)
    try {
      const budgetMinor = toMinor(budget, campaign.currency)
      await api(`/campaigns/${campaign.id}/insight`, {
        method: 'PUT',
        body: {
          ...insight,
          goals,
          audiences: audienceIds.map((id) => ({ audienceId: id, name: audiences.data?.items.find((a) => a.id === id)?.name })),
          resources: { ...insight.resources, ...(budgetMinor === null ? {} : { budgetMinor }) },
        },
      })
      onSaved()
    } catch (failure) {
      setError(failure as ApiError)
    } finally {
      setSaving(false)
    }
  }
  return (
    <fieldset className="panel" disabled={!editable} style={{ border: 0 }}>
      <h2>{t('campaigns.insight.goals')}</h2>
      <p className="muted">{t('campaigns.insight.goalsHelp')}</p>
      {error && <ErrorMessage error={error} />}
      {goals.map((goal, i) => {
        const assessment = smart.data?.goals.find((a) => a.goalId === goal.id)
        const money = goal.metric ? MONEY_METRICS.has(goal.metric) : false
        return (
          <div key={i} className="rule-group" data-goal={goal.id}>
            <label className="field">
              <span>{t('campaigns.insight.statement')}</span>
              <input value={goal.statement} onChange={(e) => set(i, { statement: e.target.value })} />
            </label>
            <div className="field-row">
              <label className="field">
                <span>{t('campaigns.insight.metric')}</span>
                <select value={goal.metric ?? ''} onChange={(e) => set(i, { metric: (e.target.value || undefined) as Goal['metric'] })}>
                  <option value="">—</option>
                  {GOAL_METRICS.map((m) => (
                    <option key={m} value={m}>
                      {t(`campaigns.metrics.${m}`)}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field">
                <span>{money ? t('campaigns.insight.targetMoney', { currency: campaign.currency }) : t('campaigns.insight.target')}</span>
                <input
                  inputMode="decimal"
                  value={money ? toMajorText(goal.target, campaign.currency) : (goal.target ?? '')}
                  onChange={(e) => {
                    const value = money ? toMinor(e.target.value, campaign.currency) : e.target.value === '' ? null : Number(e.target.value)
                    set(i, { target: value === null || Number.isNaN(value) ? undefined : value })
                  }}
                />
              </label>
              <label className="field">
                <span>{t('campaigns.insight.deadline')}</span>
                <input type="date" value={goal.deadline?.slice(0, 10) ?? ''} onChange={(e) => set(i, { deadline: e.target.value || undefined })} />
              </label>
              <label className="field">
                <span>{t('campaigns.insight.baseline')}</span>
                <select value={goal.baseline?.kind ?? ''} onChange={(e) => set(i, { baseline: e.target.value === 'previous-period' ? { kind: 'previous-period' } : undefined })}>
                  <option value="">—</option>
                  <option value="previous-period">{t('campaigns.insight.previousPeriod')}</option>
                </select>
              </label>
            </div>
            <label className="field">
              <span>{t('campaigns.insight.why')}</span>
              <input value={goal.why ?? ''} onChange={(e) => set(i, { why: e.target.value || undefined })} />
            </label>
            {assessment && (
              <div className="smart" aria-label={t('campaigns.insight.smart')}>
                {LETTERS.map((letter) => (
                  <span key={letter} className={`tag ${assessment.letters[letter].status === 'ok' ? 'good' : assessment.letters[letter].status === 'unverified' ? 'warn' : 'bad'}`} title={assessment.letters[letter].message}>
                    {letter}
                  </span>
                ))}
                {assessment.missing.length > 0 && (
                  <ul className="findings">
                    {assessment.missing.map((letter) => (
                      <li key={letter} className="warning">
                        <strong>{letter}</strong> {assessment.letters[letter].message}
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            )}
            {editable && (
              <button type="button" className="button secondary small" onClick={() => setGoals(goals.filter((_, j) => j !== i))}>
                {t('campaigns.insight.removeGoal')}
              </button>
            )}
          </div>
        )
      })}
      {editable && (
        <button type="button" className="link-button" onClick={() => setGoals([...goals, { id: `goal-${goals.length + 1}`, statement: '', baseline: { kind: 'previous-period' } }])}>
          + {t('campaigns.insight.addGoal')}
        </button>
      )}
      <h2 style={{ marginTop: 16 }}>{t('campaigns.insight.audiences')}</h2>
      <div className="toolbar">
        {(audiences.data?.items ?? []).map((a) => (
          <label key={a.id} className="tag">
            <input type="checkbox" checked={audienceIds.includes(a.id)} onChange={(e) => setAudienceIds(e.target.checked ? [...audienceIds, a.id] : audienceIds.filter((x) => x !== a.id))} /> {a.name}
          </label>
        ))}
        {audiences.data?.items.length === 0 && <span className="muted">{t('campaigns.insight.noAudiences')}</span>}
      </div>
      <label className="field" style={{ maxWidth: 300 }}>
        <span>{t('campaigns.insight.budget', { currency: campaign.currency })}</span>
        <input inputMode="decimal" value={budget} onChange={(e) => setBudget(e.target.value)} />
      </label>
      {editable && (
        <button type="button" className="button" disabled={saving} onClick={() => void save()}>
          {saving ? t('common.saving') : t('campaigns.saveStage')}
        </button>
      )}
    </fieldset>
  )
}
