import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api } from '../../api/client.ts'
import { ProgressBar } from '../../components/progress.tsx'
import { useFormat } from '../../format/use-format.ts'
import type { Recompute } from './types.ts'

/** Follows a full re-evaluation until it finishes: people checked so far, entered and left. */
export function RecomputeProgress({ audienceId, initial, onFinished }: { audienceId: string; initial: Recompute; onFinished(run: Recompute): void }) {
  const { t } = useTranslation()
  const format = useFormat()
  const [run, setRun] = useState(initial)
  useEffect(() => setRun(initial), [initial])
  useEffect(() => {
    if (run.status === 'done' || run.status === 'failed') return
    const timer = setTimeout(() => {
      api<Recompute>(`/audiences/${audienceId}/recomputes/${run.id}`).then(
        (next) => {
          setRun(next)
          if (next.status === 'done' || next.status === 'failed') onFinished(next)
        },
        () => setTimeout(() => setRun({ ...run }), 2000),
      )
    }, 800)
    return () => clearTimeout(timer)
  }, [run, audienceId, onFinished])

  if (run.status === 'failed') return <p className="error-inline">{t('audiences.recompute.failed', { error: run.error ?? '' })}</p>
  if (run.status === 'done') {
    return (
      <p className="muted" role="status">
        {t('audiences.recompute.done', { matched: format.number(run.matched ?? 0), entered: format.number(run.entered), exited: format.number(run.exited) })}
      </p>
    )
  }
  const ratio = run.total ? run.done / run.total : 0
  return <ProgressBar value={ratio} label={run.status === 'queued' ? t('audiences.recompute.queued') : t('audiences.recompute.running', { done: format.number(run.done), total: format.number(run.total ?? 0) })} />
}
