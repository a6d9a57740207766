import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ApiError } from '../../api/client.ts'
import { useApi } from '../../api/hooks.ts'
import { useSignedIn } from '../../api/session.tsx'
import { ConfirmDialog } from '../../components/confirm-dialog.tsx'
import { CopyField } from '../../components/copy-field.tsx'
import { EmptyState } from '../../components/empty-state.tsx'
import { ErrorMessage } from '../../components/error-message.tsx'
import { Spinner } from '../../components/progress.tsx'
import { Tabs } from '../../components/tabs.tsx'
import { SNIPPET_KINDS, snippet, type SnippetKind } from './snippets.ts'

interface Source {
  id: string
  name: string
  kind: string
  writeKey: string
}

/** Sources and their write keys, with set-up code for each SDK. */
export function SourcesTab() {
  const { t } = useTranslation()
  const session = useSignedIn()
  const [version, setVersion] = useState(0)
  const sources = useApi<{ items: Source[] }>('/sources', undefined, version)
  const [filter, setFilter] = useState('')
  const [selected, setSelected] = useState<string | null>(null)
  const [kind, setKind] = useState<SnippetKind>('segmentWeb')
  const [name, setName] = useState('')
  const [sourceKind, setSourceKind] = useState('segment')
  const [error, setError] = useState<ApiError | null>(null)
  const [deleting, setDeleting] = useState<Source | null>(null)

  const create = async (event: FormEvent) => {
    event.preventDefault()
    setError(null)
    try {
      const source = await api<Source>('/sources', { method: 'POST', body: { name: name.trim(), kind: sourceKind } })
      setName('')
      setSelected(source.id)
      setVersion((v) => v + 1)
    } catch (failure) {
      setError(failure as ApiError)
    }
  }
  const remove = async (source: Source) => {
    try {
      await api(`/sources/${encodeURIComponent(source.id)}`, { method: 'DELETE' })
      setDeleting(null)
      setVersion((v) => v + 1)
    } catch (failure) {
      setError(failure as ApiError)
      setDeleting(null)
    }
  }

  if (sources.error) return <ErrorMessage error={sources.error} onRetry={sources.reload} />
  if (!sources.data) return <Spinner label={t('common.loading')} />
  const needle = filter.trim().toLowerCase()
  const items = sources.data.items.filter((s) => !needle || `${s.name} ${s.kind}`.toLowerCase().includes(needle))
  const current = sources.data.items.find((s) => s.id === selected) ?? sources.data.items[0]

  return (
    <div className="grid two">
      <section className="panel">
        <h2>{t('settings.sources.title')}</h2>
        <p className="muted">{t('settings.sources.intro')}</p>
        {error && <ErrorMessage error={error} />}
        {sources.data.items.length === 0 ? (
          <EmptyState title={t('settings.sources.empty')}>
            <p>{t('settings.sources.emptyBody')}</p>
          </EmptyState>
        ) : (
          <>
            <div className="toolbar">
              <input type="search" className="search" aria-label={t('settings.sources.filter')} placeholder={t('settings.sources.filter')} value={filter} onChange={(e) => setFilter(e.target.value)} />
            </div>
            <div className="table-wrap">
              <table className="table clickable">
                <thead>
                  <tr>
                    <th>{t('settings.sources.name')}</th>
                    <th>{t('settings.sources.kind')}</th>
                    <th className="secondary">{t('settings.sources.writeKey')}</th>
                    {session.can('admin') && <th />}
                  </tr>
                </thead>
                <tbody>
                  {items.map((s) => (
                    <tr key={s.id} onClick={() => setSelected(s.id)} aria-selected={current?.id === s.id}>
                      <td>{current?.id === s.id ? <strong>{s.name}</strong> : s.name}</td>
                      <td>{s.kind}</td>
                      <td className="secondary">
                        <code>{s.writeKey.slice(0, 10)}…</code>
                      </td>
                      {session.can('admin') && (
                        <td>
                          <button type="button" className="button secondary small" onClick={(e) => { e.stopPropagation(); setDeleting(s) }}>
                            {t('common.delete')}
                          </button>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {items.length === 0 && <div className="empty-inline">{t('common.noMatches')}</div>}
          </>
        )}
        {session.can('admin') && (
          <form onSubmit={create} className="field-row" style={{ marginTop: 12 }}>
            <label className="field">
              <span>{t('settings.sources.newName')}</span>
              <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} placeholder={t('settings.sources.newNamePlaceholder')} />
            </label>
            <label className="field">
              <span>{t('settings.sources.kind')}</span>
              <select value={sourceKind} onChange={(e) => setSourceKind(e.target.value)}>
                {['segment', 'sensors', 'import', 'webhook'].map((k) => (
                  <option key={k} value={k}>
                    {k}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" className="button" style={{ marginBottom: 12 }}>
              {t('settings.sources.create')}
            </button>
          </form>
        )}
      </section>
      {current && (
        <section className="panel" aria-labelledby="snippet-title">
          <h2 id="snippet-title">{t('settings.sources.setUp', { name: current.name })}</h2>
          <CopyField label={t('settings.sources.writeKey')} value={current.writeKey} />
          <Tabs label={t('settings.sources.sdk')} tabs={SNIPPET_KINDS.map((k) => ({ id: k, label: t(`settings.sources.snippets.${k}`) }))} active={kind} onChange={(k) => setKind(k as SnippetKind)} />
          <p className="muted">{t(`settings.sources.snippetHints.${kind}`)}</p>
          <CopyField multiline label={t(`settings.sources.snippets.${kind}`)} value={snippet(kind, { origin: window.location.origin, writeKey: current.writeKey, workspace: session.workspace.name })} />
        </section>
      )}
      {deleting && (
        <ConfirmDialog title={t('settings.sources.deleteTitle', { name: deleting.name })} confirmLabel={t('common.delete')} danger onConfirm={() => void remove(deleting)} onCancel={() => setDeleting(null)}>
          <p>{t('settings.sources.deleteBody')}</p>
        </ConfirmDialog>
      )}
    </div>
  )
}
