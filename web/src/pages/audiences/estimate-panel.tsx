import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ApiError } from '../../api/client.ts'
import { useDebounced } from '../../api/hooks.ts'
import { ErrorMessage } from '../../components/error-message.tsx'
import { Link } from '../../components/link.tsx'
import { Spinner } from '../../components/progress.tsx'
import { useFormat } from '../../format/use-format.ts'
import type { DefinitionIssue, Estimate } from './types.ts'

/**
 * The live size estimate: the definition as it stands is counted by the server (exactly, as the
 * saved audience would be) a moment after each change, with a sample of the people it matches.
 */
export function EstimatePanel({ definition, ruleCount, missing }: { definition: unknown; ruleCount: number; missing: Array<{ at: string; part: string }> }) {
  const { t } = useTranslation()
  const format = useFormat()
  const complete = missing.length === 0
  // The definition, whether it is complete and how many rules it has settle together, so a count
  // is never asked for a definition the page has already moved on from.
  const settledKey = useDebounced(JSON.stringify({ definition, ready: complete && ruleCount > 0 }), 500)
  const { definition: settled, ready } = JSON.parse(settledKey) as { definition: unknown; ready: boolean }
  const [estimate, setEstimate] = useState<Estimate | null>(null)
  const [issues, setIssues] = useState<DefinitionIssue[]>([])
  const [error, setError] = useState<ApiError | null>(null)
  const [loading, setLoading] = useState(false)

  useEffect(() => {
    if (!ready) {
      setEstimate(null)
      setIssues([])
      return
    }
    const controller = new AbortController()
    setLoading(true)
    api<Estimate>('/audiences/estimate', { method: 'POST', body: { definition: settled, sample: 8 }, signal: controller.signal })
      .then((result) => {
        setEstimate(result)
        setIssues([])
        setError(null)
      })
      .catch((failure: unknown) => {
        if ((failure as Error).name === 'AbortError') return
        const apiError = failure as ApiError
        if (apiError.code === 'InvalidDefinition') {
          setIssues((apiError.details as DefinitionIssue[]) ?? [{ path: 'definition', message: apiError.message }])
          setEstimate(null)
          setError(null)
        } else setError(apiError)
      })
      .finally(() => setLoading(false))
    return () => controller.abort()
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settledKey])

  return (
    <section className="panel" aria-labelledby="estimate-title" aria-busy={loading}>
      <h2 id="estimate-title">{t('audiences.estimate.title')}</h2>
      {ruleCount === 0 && <p className="muted">{t('audiences.estimate.addRules')}</p>}
      {ruleCount > 0 && !complete && (
        <div className="notice" role="status">
          <strong>{t('audiences.estimate.incomplete')}</strong>
          <ul className="findings">
            {missing.map((m, i) => (
              <li key={i}>{t('audiences.estimate.missing', { rule: m.at, part: t(`audiences.estimate.parts.${m.part as 'value'}`) })}</li>
            ))}
          </ul>
        </div>
      )}
      {loading && !estimate && <Spinner label={t('audiences.estimate.counting')} />}
      {error && <ErrorMessage error={error} />}
      {issues.length > 0 && (
        <div className="notice" role="status">
          <strong>{t('audiences.estimate.incomplete')}</strong>
          <ul className="findings">
            {issues.map((issue, i) => (
              <li key={i}>
                <code>{issue.path.replace(/^definition\.?/, '') || '—'}</code> {issue.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {complete && estimate && issues.length === 0 && (
        <>
          <div className="kpi-value" data-testid="estimate-size">
            {t('audiences.estimate.people', { count: estimate.size, formatted: format.number(estimate.size) })}
          </div>
          <p className="muted">{loading ? t('audiences.estimate.recounting') : t('audiences.estimate.exact')}</p>
          {estimate.warnings.map((w, i) => (
            <p key={i} className="notice">
              {w.message}
            </p>
          ))}
          {estimate.sample.length > 0 && (
            <>
              <h3>{t('audiences.estimate.sample')}</h3>
              <ul className="findings" data-testid="estimate-sample">
                {estimate.sample.map((s) => (
                  <li key={s.profileId}>
                    <Link to={`/customers/${s.profileId}`}>{typeof s.traits.name === 'string' ? s.traits.name : s.profileId}</Link>
                    {typeof s.traits.city === 'string' && <span className="muted"> · {s.traits.city}</span>}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </section>
  )
}
