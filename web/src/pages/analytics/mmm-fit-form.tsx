import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ApiError } from '../../api/client.ts'
import { ErrorMessage } from '../../components/error-message.tsx'

const EFFORT = { quick: 500, standard: 2000, thorough: 5000 } as const

/** Starts a fit of the workspace's spend (POST /measurement/mmm/fit) and hands back the run id. */
export function MmmFitForm({ onStarted, hasRun, busy }: { onStarted(id: string): void; hasRun: boolean; busy: boolean }) {
  const { t } = useTranslation()
  const [outcome, setOutcome] = useState<'revenue' | 'conversions'>('revenue')
  const [cadence, setCadence] = useState<'day' | 'week'>('day')
  const [effort, setEffort] = useState<keyof typeof EFFORT>('standard')
  const [weekday, setWeekday] = useState(true)
  const [starting, setStarting] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const start = async () => {
    setStarting(true)
    setError(null)
    try {
      const body = { outcome, cadence, iterations: EFFORT[effort], ...(cadence === 'day' ? { weekdaySeasonality: weekday } : {}) }
      const started = await api<{ id: string }>('/measurement/mmm/fit', { method: 'POST', body })
      onStarted(started.id)
    } catch (failure) {
      setError(failure instanceof ApiError ? failure : new ApiError(0, 'Network', String(failure)))
    } finally {
      setStarting(false)
    }
  }
  return (
    <section className="panel">
      <h2>{t('analytics.mmm.fitTitle')}</h2>
      <p className="muted">{t('analytics.mmm.fitHelp')}</p>
      <div className="field-row">
        <label className="field">
          {t('analytics.mmm.outcome')}
          <select value={outcome} onChange={(e) => setOutcome(e.target.value as typeof outcome)}>
            <option value="revenue">{t('analytics.mmm.outcomes.revenue')}</option>
            <option value="conversions">{t('analytics.mmm.outcomes.conversions')}</option>
          </select>
        </label>
        <label className="field">
          {t('analytics.mmm.cadence')}
          <select value={cadence} onChange={(e) => setCadence(e.target.value as typeof cadence)}>
            <option value="day">{t('analytics.mmm.cadences.day')}</option>
            <option value="week">{t('analytics.mmm.cadences.week')}</option>
          </select>
        </label>
        <label className="field">
          {t('analytics.mmm.iterations')}
          <select value={effort} onChange={(e) => setEffort(e.target.value as typeof effort)}>
            {(Object.keys(EFFORT) as Array<keyof typeof EFFORT>).map((k) => (
              <option key={k} value={k}>
                {t(`analytics.mmm.effort.${k}`)}
              </option>
            ))}
          </select>
        </label>
        {cadence === 'day' && (
          <label className="field" style={{ flexDirection: 'row', alignItems: 'center' }}>
            <input type="checkbox" checked={weekday} onChange={(e) => setWeekday(e.target.checked)} />
            {t('analytics.mmm.weekday')}
          </label>
        )}
        <div className="field">
          <button type="button" className="button" disabled={starting || busy} onClick={() => void start()}>
            {hasRun ? t('analytics.mmm.refit') : t('analytics.mmm.fit')}
          </button>
        </div>
      </div>
      {error && <ErrorMessage error={error} />}
    </section>
  )
}
