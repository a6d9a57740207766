import { useTranslation } from 'react-i18next'
import { lastDays, type Period } from './period.ts'

/** From and to dates with quick choices (last 7, 14, 30, 90 days). */
export function PeriodPicker({ value, onChange, timeZone }: { value: Period; onChange(next: Period): void; timeZone: string }) {
  const { t } = useTranslation()
  return (
    <div className="toolbar" role="group" aria-label={t('analytics.period')}>
      <label className="field" style={{ marginBottom: 0 }}>
        <span>{t('analytics.from')}</span>
        <input type="date" value={value.from} max={value.to} onChange={(e) => e.target.value && onChange({ ...value, from: e.target.value })} />
      </label>
      <label className="field" style={{ marginBottom: 0 }}>
        <span>{t('analytics.to')}</span>
        <input type="date" value={value.to} min={value.from} onChange={(e) => e.target.value && onChange({ ...value, to: e.target.value })} />
      </label>
      <div style={{ display: 'flex', gap: 4, alignItems: 'flex-end' }}>
        {[7, 14, 30, 90].map((days) => (
          <button key={days} type="button" className="button secondary small" onClick={() => onChange(lastDays(days, timeZone))}>
            {t('analytics.lastDays', { count: days })}
          </button>
        ))}
      </div>
    </div>
  )
}
