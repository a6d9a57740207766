import { useTranslation } from 'react-i18next'
import { useApi } from '../../api/hooks.ts'
import { EmptyState } from '../../components/empty-state.tsx'
import { ErrorMessage } from '../../components/error-message.tsx'
import { Kpi } from '../../components/kpi.tsx'
import { Spinner } from '../../components/progress.tsx'
import { scoreClass } from './score.ts'
import type { CheckItem } from './types.ts'

interface CampaignReport {
  score: number | null
  pillarsCarried: string[]
  pillarsMissing: string[]
  variants: Array<{ variantId: string; channel: string; stage: string; score: number }>
  items: CheckItem[]
}

/** Consistency across the house's variants: one score, pillars carried and missing, contradictions. */
export function HouseReportView({ houseId }: { houseId: string }) {
  const { t } = useTranslation()
  const report = useApi<CampaignReport | null>(`/content/houses/${houseId}/report`)
  // A house whose variants have never been checked has no report yet.
  if (report.error && report.error.kind !== 'notFound') return <ErrorMessage error={report.error} onRetry={report.reload} />
  if (report.loading) return <Spinner label={t('common.loading')} />
  const r = report.data
  if (!r || r.variants.length === 0) {
    return (
      <EmptyState title={t('content.report.empty')}>
        <p>{t('content.report.emptyBody')}</p>
      </EmptyState>
    )
  }
  return (
    <>
      <div className="kpis">
        <Kpi label={t('content.report.score')} value={<span className={`score ${scoreClass(r.score)}`}>{r.score ?? '—'}</span>} />
        <Kpi label={t('content.report.variants')} value={r.variants.length} />
        <Kpi label={t('content.report.carried')} value={r.pillarsCarried.length} note={r.pillarsCarried.join('、')} />
        <Kpi label={t('content.report.missing')} value={r.pillarsMissing.length} note={r.pillarsMissing.join('、')} tone={r.pillarsMissing.length > 0 ? 'bad' : 'good'} />
      </div>
      <section className="panel">
        <h2>{t('content.report.findings')}</h2>
        {r.items.length === 0 ? (
          <p className="muted">{t('content.noFindings')}</p>
        ) : (
          <ul className="findings">
            {r.items.map((item, i) => (
              <li key={i} className={item.severity === 'block' ? 'error' : item.severity === 'warn' ? 'warning' : undefined}>
                <strong>{item.what}</strong>
                <div className="muted">{item.why}</div>
                {item.where.map((w, j) => (
                  <div key={j}>
                    <code>{w.field}</code> “{w.before}
                    <mark>{w.text}</mark>
                    {w.after}”
                  </div>
                ))}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  )
}
