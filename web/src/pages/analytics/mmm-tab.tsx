import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ApiError, type Page } from '../../api/client.ts'
import { useApi } from '../../api/hooks.ts'
import { useSignedIn } from '../../api/session.tsx'
import { EmptyState } from '../../components/empty-state.tsx'
import { ErrorMessage } from '../../components/error-message.tsx'
import { ProgressBar, Spinner } from '../../components/progress.tsx'
import { RequireCapability } from '../../components/require-capability.tsx'
import { useFormat } from '../../format/use-format.ts'
import { MmmFitForm } from './mmm-fit-form.tsx'
import { MmmOptimiser, MmmWhatIf } from './mmm-optimiser.tsx'
import { MmmRecommendation } from './mmm-recommendation.tsx'
import { MmmReport } from './mmm-report.tsx'
import { FIT_ROLES, type MmmRun } from './mmm-types.ts'

/** How often a running fit is asked for its progress. */
const POLL_MS = 1000

/** Media-mix modelling: fit with progress, fit quality, response curves, the budget optimiser and "what if". */
export function MmmTab() {
  const { t } = useTranslation()
  return (
    <RequireCapability method="POST" path="/measurement/mmm/fit" capability={t('analytics.capabilities.mmm')}>
      <MediaMix />
    </RequireCapability>
  )
}

function MediaMix() {
  const { t } = useTranslation()
  const session = useSignedIn()
  const format = useFormat()
  const canFit = (FIT_ROLES as readonly string[]).includes(session.role)
  const latest = useApi<Page<MmmRun>>('/measurement/mmm/models', { limit: 1 })
  const [started, setStarted] = useState<string | null>(null)
  const runId = started ?? latest.data?.items[0]?.id ?? null
  const { run, error } = useRunProgress(runId)
  const busy = run?.status === 'queued' || run?.status === 'running'

  if (latest.loading) return <Spinner label={t('common.loading')} />
  if (latest.error) return <ErrorMessage error={latest.error} onRetry={latest.reload} />
  return (
    <>
      {canFit && <MmmFitForm onStarted={setStarted} hasRun={runId !== null} busy={busy} />}
      {runId === null && (
        <EmptyState title={t('analytics.mmm.noRun')}>
          <p>{canFit ? t('analytics.mmm.noRunBody') : t('analytics.mmm.noRunReadOnly')}</p>
        </EmptyState>
      )}
      {error && <ErrorMessage error={error} />}
      {run && busy && (
        <section className="panel" data-testid="mmm-progress">
          <ProgressBar value={run.progress} label={`${t('analytics.mmm.fitting')}: ${t(`analytics.mmm.stages.${run.stage as 'queued'}`, { defaultValue: run.stage })}`} />
        </section>
      )}
      {run?.status === 'failed' && (
        <div className="error-message" role="alert">
          <strong>{t('analytics.mmm.failed')}</strong>
          {run.error && <p className="error-detail">{run.error}</p>}
        </div>
      )}
      {run?.dataset && !busy && (
        <p className="muted" data-testid="mmm-fitted-on">
          {t('analytics.mmm.fittedOn', { conversion: run.dataset.conversion.name, from: run.dataset.from, to: run.dataset.to, periods: run.dataset.periods, when: format.relative(run.finishedAt ?? run.createdAt) })}
        </p>
      )}
      {run?.status === 'insufficient_history' && run.insufficientHistory && run.dataset && <MmmRecommendation run={{ ...run, insufficientHistory: run.insufficientHistory, dataset: run.dataset }} />}
      {run?.status === 'fitted' && run.report && run.dataset && (
        <>
          <MmmReport run={{ ...run, report: run.report, dataset: run.dataset }} />
          <MmmOptimiser key={`opt-${run.id}`} runId={run.id} channels={run.report.channels} currency={run.dataset.currency} outcome={run.dataset.outcome.name} cadence={run.dataset.cadence} />
          <MmmWhatIf key={`what-${run.id}`} runId={run.id} channels={run.report.channels} currency={run.dataset.currency} outcome={run.dataset.outcome.name} cadence={run.dataset.cadence} />
        </>
      )}
    </>
  )
}

/** Reads a run, and again every second while it is queued or running, until it ends. */
function useRunProgress(id: string | null): { run: MmmRun | null; error: ApiError | null } {
  const [state, setState] = useState<{ run: MmmRun | null; error: ApiError | null }>({ run: null, error: null })
  useEffect(() => {
    if (id === null) return
    let stopped = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const read = () => {
      api<MmmRun>(`/measurement/mmm/models/${id}`).then(
        (run) => {
          if (stopped) return
          setState({ run, error: null })
          if (run.status === 'queued' || run.status === 'running') timer = setTimeout(read, POLL_MS)
        },
        (error: unknown) => {
          if (!stopped) setState((s) => ({ ...s, error: error instanceof ApiError ? error : new ApiError(0, 'Network', String(error)) }))
        },
      )
    }
    read()
    return () => {
      stopped = true
      clearTimeout(timer)
    }
  }, [id])
  return id === null ? { run: null, error: null } : state
}
