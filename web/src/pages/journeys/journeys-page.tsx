import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ApiError } from '../../api/client.ts'
import { useSignedIn } from '../../api/session.tsx'
import { EmptyState } from '../../components/empty-state.tsx'
import { ErrorMessage } from '../../components/error-message.tsx'
import { Link } from '../../components/link.tsx'
import { ListView } from '../../components/list-view.tsx'
import { RequireCapability } from '../../components/require-capability.tsx'
import { PageHeader } from '../../components/shell.tsx'
import { Tabs } from '../../components/tabs.tsx'
import { useFormat } from '../../format/use-format.ts'
import { navigate, setSearchParams, useLocation } from '../../router/router.ts'
import { BroadcastsTab } from './broadcasts-tab.tsx'
import type { JourneyView } from './types.ts'

/** Every journey with its status (create one from an entry event or audience), and the broadcasts tab. */
export default function JourneysPage() {
  const { t } = useTranslation()
  const session = useSignedIn()
  const { search } = useLocation()
  const [creating, setCreating] = useState(false)
  const tab = search.get('tab') === 'broadcasts' ? 'broadcasts' : 'journeys'
  return (
    <>
      <PageHeader
        title={t('journeys.title')}
        subtitle={t('journeys.subtitle')}
        actions={
          tab === 'journeys' &&
          session.can('write') && (
            <button type="button" className="button" onClick={() => setCreating(true)}>
              {t('journeys.new')}
            </button>
          )
        }
      />
      <Tabs
        label={t('journeys.title')}
        tabs={[
          { id: 'journeys', label: t('broadcasts.tabs.journeys') },
          { id: 'broadcasts', label: t('broadcasts.tabs.broadcasts') },
        ]}
        active={tab}
        onChange={(id) => setSearchParams({ tab: id })}
      />
      {tab === 'journeys' ? <JourneyList creating={creating} setCreating={setCreating} /> : <BroadcastsTab />}
    </>
  )
}

function JourneyList({ creating, setCreating }: { creating: boolean; setCreating(value: boolean): void }) {
  const { t } = useTranslation()
  const format = useFormat()
  const session = useSignedIn()
  const [status, setStatus] = useState('')
  return (
    <>
      <RequireCapability path="/journeys" capability={t('capabilities.journeys')}>
        {creating && <NewJourney onCancel={() => setCreating(false)} />}
        <ListView<JourneyView>
          path="/journeys"
          query={{ status: status || undefined }}
          searchLabel={t('journeys.search')}
          localFilter={{ active: false, match: (j, q) => !q || j.name.toLowerCase().includes(q) }}
          filters={
            <select aria-label={t('journeys.status')} value={status} onChange={(e) => setStatus(e.target.value)}>
              <option value="">{t('journeys.anyStatus')}</option>
              {(['draft', 'published', 'paused', 'archived'] as const).map((s) => (
                <option key={s} value={s}>
                  {t(`journeys.statuses.${s}`)}
                </option>
              ))}
            </select>
          }
          rowKey={(j) => j.id}
          onOpen={(j) => navigate(`/journeys/${j.id}`)}
          columns={[
            { header: t('journeys.name'), cell: (j) => <Link to={`/journeys/${j.id}`}>{j.name}</Link> },
            { header: t('journeys.status'), cell: (j) => <span className={j.status === 'published' ? 'tag good' : j.status === 'paused' ? 'tag warn' : 'tag'}>{t(`journeys.statuses.${j.status}`)}</span> },
            { header: t('journeys.version'), cell: (j) => (j.currentVersion ? `v${j.currentVersion}` : '—') + (j.draftVersion ? ` (${t('journeys.draftPending', { version: j.draftVersion })})` : ''), secondary: true },
            { header: t('journeys.updated'), cell: (j) => format.relative(j.updatedAt), secondary: true },
          ]}
          empty={
            <EmptyState title={t('journeys.emptyTitle')} action={session.can('write') && <button type="button" className="button" onClick={() => setCreating(true)}>{t('journeys.new')}</button>}>
              <p>{t('journeys.emptyBody')}</p>
            </EmptyState>
          }
        />
      </RequireCapability>
    </>
  )
}

function NewJourney({ onCancel }: { onCancel(): void }) {
  const { t } = useTranslation()
  const [name, setName] = useState('')
  const [entryKind, setEntryKind] = useState<'event' | 'audience'>('event')
  const [entry, setEntry] = useState('Order Completed')
  const [allowUnknown, setAllowUnknown] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setError(null)
    const definition = {
      entry: entryKind === 'event' ? { event: entry.trim() } : { audience: entry.trim() },
      start: 'send-1',
      nodes: [
        { id: 'send-1', type: 'send', channel: 'sms', message: { text: '{{ traits.name }},' }, next: 'exit' },
        { id: 'exit', type: 'exit' },
      ],
    }
    try {
      const created = await api<JourneyView>('/journeys', { method: 'POST', query: { allowUnknownNames: allowUnknown ? 'true' : undefined }, body: { name: name.trim(), definition } })
      navigate(`/journeys/${created.id}`)
    } catch (failure) {
      setError(failure as ApiError)
    }
  }
  return (
    <form className="panel" onSubmit={submit}>
      <h2>{t('journeys.new')}</h2>
      {error && <ErrorMessage error={error} />}
      <div className="field-row">
        <label className="field">
          <span>{t('journeys.name')}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
        </label>
        <label className="field">
          <span>{t('journeys.entryKind')}</span>
          <select value={entryKind} onChange={(e) => setEntryKind(e.target.value as 'event' | 'audience')}>
            <option value="event">{t('journeys.entryKinds.event')}</option>
            <option value="audience">{t('journeys.entryKinds.audience')}</option>
          </select>
        </label>
        <label className="field">
          <span>{entryKind === 'event' ? t('journeys.fields.event') : t('journeys.audienceId')}</span>
          <input value={entry} onChange={(e) => setEntry(e.target.value)} required />
        </label>
      </div>
      <label className="muted">
        <input type="checkbox" checked={allowUnknown} onChange={(e) => setAllowUnknown(e.target.checked)} /> {t('common.allowUnknownNames')}
      </label>
      <div className="modal-actions">
        <button type="button" className="button secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="button">
          {t('common.create')}
        </button>
      </div>
    </form>
  )
}
