import { useTranslation } from 'react-i18next'
import { ProgressBar, Spinner } from '../../components/progress.tsx'
import { useFormat } from '../../format/use-format.ts'
import { handled, type Broadcast } from './broadcast-types.ts'

/** How far a broadcast has got: people found, messages handled, then what became of them. */
export function BroadcastProgress({ broadcast: b }: { broadcast: Broadcast }) {
  const { t } = useTranslation()
  const format = useFormat()
  const done = handled(b)
  const blocked = Object.entries(b.blockedByReason)
  return (
    <div className="broadcast-progress" data-testid={`broadcast-progress-${b.id}`}>
      {b.status === 'sending' && !b.fannedOut && b.total === 0 ? (
        <Spinner label={t('broadcasts.preparing')} />
      ) : (
        b.status !== 'scheduled' && <ProgressBar value={b.total > 0 ? done / b.total : b.status === 'completed' ? 1 : 0} label={t('broadcasts.processed', { done: format.number(done), total: format.number(b.total) })} />
      )}
      <small className="muted">
        {t('broadcasts.resultLine', { sent: format.number(b.counts.sent), delivered: format.number(b.delivered), opened: format.number(b.opened), clicked: format.number(b.clicked) })}
      </small>
      {blocked.length > 0 && (
        <small className="muted">
          {' · '}
          {t('broadcasts.blocked', { count: b.counts.blocked, reasons: blocked.map(([reason, n]) => `${reason} ${format.number(n)}`).join(', ') })}
        </small>
      )}
      {b.counts.failed > 0 && <small className="error-inline"> {t('broadcasts.failed', { count: b.counts.failed })}</small>}
    </div>
  )
}
