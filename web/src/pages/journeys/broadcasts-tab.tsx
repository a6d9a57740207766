import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ApiError } from '../../api/client.ts'
import { useSignedIn } from '../../api/session.tsx'
import { ChannelIcon } from '../../components/channel-icon.tsx'
import { ConfirmDialog } from '../../components/confirm-dialog.tsx'
import { EmptyState } from '../../components/empty-state.tsx'
import { ErrorMessage } from '../../components/error-message.tsx'
import { ListView } from '../../components/list-view.tsx'
import { RequireCapability } from '../../components/require-capability.tsx'
import { useFormat } from '../../format/use-format.ts'
import { BroadcastProgress } from './broadcast-progress.tsx'
import { inFlight, type Broadcast } from './broadcast-types.ts'
import { NewBroadcast } from './new-broadcast.tsx'

const POLL_MS = 1500
const STATUSES = ['scheduled', 'sending', 'paused', 'completed', 'cancelled'] as const

/** Broadcasts, newest first, each following its own progress while it sends. */
export function BroadcastsTab() {
  const { t } = useTranslation()
  const format = useFormat()
  const session = useSignedIn()
  const [creating, setCreating] = useState(false)
  const [version, setVersion] = useState(0)
  const [status, setStatus] = useState('')
  return (
    <RequireCapability path="/broadcasts" capability={t('broadcasts.title')}>
      {session.can('write') && !creating && (
        <p>
          <button type="button" className="button" onClick={() => setCreating(true)}>
            {t('broadcasts.new')}
          </button>
        </p>
      )}
      {creating && (
        <NewBroadcast
          onCancel={() => setCreating(false)}
          onCreated={() => {
            setCreating(false)
            setVersion((v) => v + 1)
          }}
        />
      )}
      <ListView<Broadcast>
        path="/broadcasts"
        version={version}
        searchLabel={t('broadcasts.search')}
        // The API lists newest first without filters; the loaded page is narrowed here.
        localFilter={{ active: status !== '', match: (b, q) => (!q || b.name.toLowerCase().includes(q)) && (!status || b.status === status) }}
        filters={
          <select aria-label={t('broadcasts.status')} value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">{t('broadcasts.anyStatus')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`broadcasts.statuses.${s}`)}
              </option>
            ))}
          </select>
        }
        rowKey={(b) => b.id}
        columns={[
          { header: t('broadcasts.name'), cell: (b) => b.name },
          { header: t('broadcasts.channel'), cell: (b) => <ChannelIcon channel={b.channel} withLabel />, secondary: true },
          { header: t('broadcasts.created'), cell: (b) => format.relative(b.createdAt), secondary: true },
          { header: t('broadcasts.progress'), cell: (b) => <LiveBroadcast initial={b} /> },
        ]}
        empty={
          <EmptyState title={t('broadcasts.emptyTitle')} action={session.can('write') && <button type="button" className="button" onClick={() => setCreating(true)}>{t('broadcasts.new')}</button>}>
            <p>{t('broadcasts.emptyBody')}</p>
          </EmptyState>
        }
      />
    </RequireCapability>
  )
}

/** One broadcast's status, progress and controls, polled while it is scheduled or sending. */
function LiveBroadcast({ initial }: { initial: Broadcast }) {
  const { t } = useTranslation()
  const session = useSignedIn()
  const [b, setB] = useState(initial)
  const [error, setError] = useState<ApiError | null>(null)
  const [confirming, setConfirming] = useState(false)
  useEffect(() => setB(initial), [initial])
  useEffect(() => {
    if (!inFlight(b)) return
    const timer = setTimeout(() => {
      api<Broadcast>(`/broadcasts/${b.id}`).then(setB, () => setB({ ...b }))
    }, POLL_MS)
    return () => clearTimeout(timer)
  }, [b])
  const act = async (action: 'pause' | 'resume' | 'cancel') => {
    setError(null)
    try {
      setB(await api<Broadcast>(`/broadcasts/${b.id}/${action}`, { method: 'POST' }))
    } catch (failure) {
      setError(failure as ApiError)
    }
  }
  const tone = b.status === 'completed' ? 'tag good' : b.status === 'paused' ? 'tag warn' : b.status === 'cancelled' ? 'tag bad' : 'tag'
  return (
    <div className="broadcast-cell">
      <div className="broadcast-cell-top">
        <span className={tone} data-testid={`broadcast-status-${b.id}`}>
          {t(`broadcasts.statuses.${b.status}`)}
        </span>
        {session.can('write') && (
          <span className="broadcast-actions">
            {inFlight(b) && (
              <button type="button" className="button secondary small" onClick={() => void act('pause')}>
                {t('broadcasts.pause')}
              </button>
            )}
            {b.status === 'paused' && (
              <button type="button" className="button secondary small" onClick={() => void act('resume')}>
                {t('broadcasts.resume')}
              </button>
            )}
            {(inFlight(b) || b.status === 'paused') && (
              <button type="button" className="button danger small" onClick={() => setConfirming(true)}>
                {t('broadcasts.cancel')}
              </button>
            )}
          </span>
        )}
      </div>
      <BroadcastProgress broadcast={b} />
      {error && <ErrorMessage error={error} />}
      {confirming && (
        <ConfirmDialog
          title={t('broadcasts.cancel')}
          confirmLabel={t('broadcasts.cancel')}
          danger
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false)
            void act('cancel')
          }}
        >
          <p>{t('broadcasts.confirmCancel', { name: b.name })}</p>
        </ConfirmDialog>
      )}
    </div>
  )
}
