import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ApiError } from '../../api/client.ts'
import { useSignedIn } from '../../api/session.tsx'
import { EmptyState } from '../../components/empty-state.tsx'
import { ErrorMessage } from '../../components/error-message.tsx'
import { ListView } from '../../components/list-view.tsx'
import { ProgressBar } from '../../components/progress.tsx'
import { useFormat } from '../../format/use-format.ts'

type Kind = 'ltv' | 'propensity' | 'churn'
const KINDS: readonly Kind[] = ['ltv', 'propensity', 'churn']
const POLL_MS = 1500

/** A customer model run as GET /api/v1/measurement/models answers it (src/measurement/customers). */
interface ModelRun {
  id: string
  kind: Kind
  status: 'queued' | 'running' | 'succeeded' | 'failed'
  progress: number
  stage: string
  result: Record<string, any> | null
  error: string | null
  createdAt: string
}

/** Customer models: start a lifetime-value, propensity or churn run and follow its progress. */
export function PredictionsTab() {
  const { t } = useTranslation()
  const format = useFormat()
  const session = useSignedIn()
  const [kind, setKind] = useState('')
  const [version, setVersion] = useState(0)
  const [error, setError] = useState<ApiError | null>(null)
  const start = async (which: Kind) => {
    setError(null)
    try {
      if (which === 'ltv') await api('/measurement/ltv/models', { method: 'POST', body: {} })
      else await api('/measurement/scores/train', { method: 'POST', body: { kind: which } })
      setVersion((v) => v + 1)
    } catch (failure) {
      setError(failure as ApiError)
    }
  }
  return (
    <section className="panel">
      <p className="muted">{t('predictions.intro')}</p>
      {session.can('write') && (
        <p className="button-row">
          {KINDS.map((k) => (
            <button key={k} type="button" className="button secondary" onClick={() => void start(k)}>
              {t(`predictions.fit.${k}`)}
            </button>
          ))}
        </p>
      )}
      {error && <ErrorMessage error={error} />}
      <ListView<ModelRun>
        path="/measurement/models"
        version={version}
        query={{ kind: kind || undefined }}
        filters={
          <select aria-label={t('predictions.kind')} value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="">{t('predictions.anyKind')}</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`predictions.kinds.${k}`)}
              </option>
            ))}
          </select>
        }
        searchLabel={t('predictions.search')}
        localFilter={{ active: false, match: (r, q) => !q || `${t(`predictions.kinds.${r.kind}`)} ${r.stage} ${r.error ?? ''}`.toLowerCase().includes(q) }}
        rowKey={(r) => r.id}
        columns={[
          { header: t('predictions.kind'), cell: (r) => t(`predictions.kinds.${r.kind}`) },
          { header: t('predictions.started'), cell: (r) => format.relative(r.createdAt), secondary: true },
          { header: t('predictions.status'), cell: (r) => <LiveRun initial={r} /> },
        ]}
        empty={
          <EmptyState title={t('predictions.emptyTitle')}>
            <p>{t('predictions.emptyBody')}</p>
          </EmptyState>
        }
      />
    </section>
  )
}

/** One run's status: progress with its stage while it works, then what it found or why it failed. */
function LiveRun({ initial }: { initial: ModelRun }) {
  const { t } = useTranslation()
  const [run, setRun] = useState(initial)
  useEffect(() => setRun(initial), [initial])
  useEffect(() => {
    if (run.status === 'succeeded' || run.status === 'failed') return
    const timer = setTimeout(() => {
      api<ModelRun>(`/measurement/models/${run.id}`).then(setRun, () => setRun({ ...run }))
    }, POLL_MS)
    return () => clearTimeout(timer)
  }, [run])
  const tone = run.status === 'succeeded' ? 'tag good' : run.status === 'failed' ? 'tag bad' : 'tag'
  return (
    <div className="broadcast-cell" data-testid={`model-run-${run.id}`}>
      <span className={tone}>{t(`predictions.statuses.${run.status}`)}</span>
      {(run.status === 'queued' || run.status === 'running') && <ProgressBar value={run.progress} label={run.stage || t(`predictions.statuses.${run.status}`)} />}
      {run.status === 'failed' && <small className="error-inline">{t('predictions.failed', { error: run.error ?? '' })}</small>}
      {run.status === 'succeeded' && run.result && <RunSummary run={run} />}
    </div>
  )
}

/** What a finished run found, in one line: hold-out quality and how many people it scored. */
function RunSummary({ run }: { run: ModelRun }) {
  const { t } = useTranslation()
  const format = useFormat()
  const r = run.result!
  const text =
    run.kind === 'ltv'
      ? t('predictions.ltvResult', {
          customers: format.number(r.final?.customers ?? 0),
          revenue: format.money(r.final?.predictedRevenueMinor ?? 0, r.currency),
          predicted: format.number(r.validation?.predictedRepeatTransactions ?? 0, 0),
          actual: format.number(r.validation?.actualRepeatTransactions ?? 0),
        })
      : t('predictions.scoreResult', {
          auc: format.number(r.holdout?.auc ?? 0, 3),
          people: format.number(r.holdout?.people ?? 0),
          base: format.percent(r.holdout?.baseRate ?? 0),
          scored: format.number(r.scored ?? 0),
        })
  return <small className="muted">{text}</small>
}
