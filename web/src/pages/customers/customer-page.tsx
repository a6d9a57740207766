import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ApiError } from '../../api/client.ts'
import { useApi } from '../../api/hooks.ts'
import { useSignedIn } from '../../api/session.tsx'
import { ChannelIcon } from '../../components/channel-icon.tsx'
import { ConfirmDialog } from '../../components/confirm-dialog.tsx'
import { EmptyState } from '../../components/empty-state.tsx'
import { ErrorMessage } from '../../components/error-message.tsx'
import { Kpi } from '../../components/kpi.tsx'
import { Link } from '../../components/link.tsx'
import { Spinner } from '../../components/progress.tsx'
import { PageHeader } from '../../components/shell.tsx'
import { useFormat } from '../../format/use-format.ts'
import { navigate } from '../../router/router.ts'
import { displayName } from './display-name.ts'
import { MergeGraph } from './merge-graph.tsx'
import { RelatedPanels } from './related-panels.tsx'
import { Timeline } from './timeline.tsx'
import { traitText, type MergeView, type ProfileView } from './types.ts'

/** The 360° view of one person. */
export default function CustomerPage({ params }: { params: Record<string, string> }) {
  const { t } = useTranslation()
  const format = useFormat()
  const session = useSignedIn()
  const id = params.id!
  const profile = useApi<ProfileView>(`/profiles/${encodeURIComponent(id)}`)
  const merges = useApi<{ items: MergeView[] }>(`/profiles/${encodeURIComponent(id)}/merges`)
  const [confirming, setConfirming] = useState(false)
  const [deleting, setDeleting] = useState(false)
  const [deleteError, setDeleteError] = useState<ApiError | null>(null)

  if (profile.error?.kind === 'notFound') {
    return (
      <EmptyState title={t('customer.notFound')} action={<Link to="/customers">{t('customer.backToSearch')}</Link>}>
        <p>{t('customer.notFoundBody')}</p>
      </EmptyState>
    )
  }
  if (profile.error) return <ErrorMessage error={profile.error} onRetry={profile.reload} />
  if (!profile.data) return <Spinner label={t('common.loading')} />
  const p = profile.data
  const name = displayName(p)

  const remove = async () => {
    setDeleting(true)
    setDeleteError(null)
    try {
      await api(`/profiles/${encodeURIComponent(p.id)}`, { method: 'DELETE' })
      navigate('/customers?deleted=1')
    } catch (failure) {
      setDeleteError(failure as ApiError)
      setConfirming(false)
    } finally {
      setDeleting(false)
    }
  }

  return (
    <>
      <PageHeader
        title={name}
        subtitle={<Link to="/customers">← {t('customer.backToSearch')}</Link>}
        actions={
          session.can('delete') && (
            <button type="button" className="button danger" onClick={() => setConfirming(true)}>
              {t('customer.delete')}
            </button>
          )
        }
      />
      {deleteError && <ErrorMessage error={deleteError} />}
      <div className="kpis">
        <Kpi label={t('customer.lifetimeRevenue')} value={format.money(p.lifetimeRevenue.amountMinor, p.lifetimeRevenue.currency)} />
        <Kpi label={t('customer.orders')} value={format.number(p.orderCount)} />
        <Kpi label={t('customer.events')} value={format.number(p.eventCount)} />
        <Kpi label={t('customer.firstSeen')} value={p.firstSeen ? format.relative(p.firstSeen) : '—'} note={p.firstSeen ? format.date(p.firstSeen) : undefined} />
        <Kpi label={t('customer.lastSeen')} value={p.lastSeen ? format.relative(p.lastSeen) : '—'} note={p.lastSeen ? format.date(p.lastSeen) : undefined} />
      </div>
      <div className="grid two">
        <section className="panel" aria-labelledby="traits-title">
          <h2 id="traits-title">{t('customer.traits')}</h2>
          {Object.keys(p.traits).length === 0 ? (
            <p className="muted">{t('customer.noTraits')}</p>
          ) : (
            <dl className="dl" data-testid="traits">
              {Object.entries(p.traits).map(([key, value]) => (
                <div key={key} style={{ display: 'contents' }}>
                  <dt>{key}</dt>
                  <dd>{traitText(value)}</dd>
                </div>
              ))}
            </dl>
          )}
        </section>
        <section className="panel" aria-labelledby="identities-title">
          <h2 id="identities-title">{t('customer.identities')}</h2>
          <dl className="dl">
            {p.identities.map((i) => (
              <div key={`${i.type}:${i.value}`} style={{ display: 'contents' }}>
                <dt>{t(`identifiers.${i.type}`, { defaultValue: i.type })}</dt>
                <dd>{i.value}</dd>
              </div>
            ))}
          </dl>
          <h3 style={{ marginTop: 16 }}>{t('customer.channels')}</h3>
          <div>{p.channels.length === 0 ? <span className="muted">{t('customer.noChannels')}</span> : p.channels.map((c) => <span key={c} style={{ marginRight: 10 }}><ChannelIcon channel={c} withLabel /></span>)}</div>
          <h3 style={{ marginTop: 16 }}>{t('customer.mergeHistory')}</h3>
          {merges.data && merges.data.items.length === 0 && <p className="muted">{t('customer.noMerges')}</p>}
          {merges.data && merges.data.items.length > 0 && <MergeGraph profileId={p.id} merges={merges.data.items} />}
          {merges.error && <ErrorMessage error={merges.error} />}
        </section>
      </div>
      <RelatedPanels profileId={p.id} />
      <Timeline profileId={p.id} />
      {confirming && (
        <ConfirmDialog title={t('customer.deleteTitle', { name })} confirmLabel={t('customer.deleteConfirm')} danger typeToConfirm={t('customer.deleteWord')} busy={deleting} onConfirm={() => void remove()} onCancel={() => setConfirming(false)}>
          <p>{t('customer.deleteBody')}</p>
        </ConfirmDialog>
      )}
    </>
  )
}
