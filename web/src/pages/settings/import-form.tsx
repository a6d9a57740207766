import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ApiError } from '../../api/client.ts'
import { useSignedIn } from '../../api/session.tsx'
import { ErrorMessage } from '../../components/error-message.tsx'
import { csvHeader, guessTarget, identityColumn, mappingSpec, MAPPING_TARGETS, type ImportRecord, type MappingTarget } from './import-types.ts'

const CALL_TYPES = ['track', 'identify', 'page', 'screen', 'group'] as const

/**
 * Choose a file, say how to read it (format; for CSV, where each column goes, the call type and
 * event name) and upload it. The file goes as the request body, as it is on disk.
 */
export function ImportForm({ onStarted }: { onStarted(item: ImportRecord): void }) {
  const { t } = useTranslation()
  const session = useSignedIn()
  const [file, setFile] = useState<File | null>(null)
  const [format, setFormat] = useState<'csv' | 'ndjson'>('csv')
  const [columns, setColumns] = useState<Array<{ column: string; target: MappingTarget }>>([])
  const [type, setType] = useState<(typeof CALL_TYPES)[number]>('track')
  const [event, setEvent] = useState('')
  const [timezone, setTimezone] = useState(session.workspace.timezone)
  const [sending, setSending] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)

  const choose = async (chosen: File | null) => {
    setFile(chosen)
    setError(null)
    setColumns([])
    if (!chosen) return
    const csv = /\.csv$/i.test(chosen.name) || chosen.type === 'text/csv'
    setFormat(csv ? 'csv' : 'ndjson')
    if (csv) setColumns(csvHeader(await chosen.slice(0, 64 * 1024).text()).map((column) => ({ column, target: guessTarget(column) })))
  }

  const identity = identityColumn(columns)
  const hasId = identity !== null || columns.some((c) => c.target === 'userId' || c.target === 'anonymousId')

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!file) return
    setSending(true)
    setError(null)
    try {
      const csv = format === 'csv'
      const started = await api<ImportRecord>('/imports', {
        method: 'POST',
        query: { format, name: file.name, timezone, ...(csv ? { map: mappingSpec(columns) || undefined, type, event: event.trim() || undefined } : {}) },
        raw: { body: file, contentType: csv ? 'text/csv' : 'application/x-ndjson' },
      })
      onStarted(started)
      setFile(null)
      setColumns([])
      ;(e.target as HTMLFormElement).reset()
    } catch (failure) {
      setError(failure as ApiError)
    } finally {
      setSending(false)
    }
  }

  return (
    <form onSubmit={submit} className="import-form" aria-label={t('imports.upload')}>
      <p className="muted">{t('imports.intro')}</p>
      <div className="field-row">
        <label className="field">
          <span>{t('imports.file')}</span>
          <input type="file" accept=".csv,.ndjson,.jsonl,.json,text/csv,application/x-ndjson" onChange={(e) => void choose(e.target.files?.[0] ?? null)} />
        </label>
        <label className="field">
          <span>{t('imports.format')}</span>
          <select value={format} onChange={(e) => setFormat(e.target.value as 'csv' | 'ndjson')}>
            <option value="csv">{t('imports.formats.csv')}</option>
            <option value="ndjson">{t('imports.formats.ndjson')}</option>
          </select>
        </label>
        <label className="field">
          <span>{t('imports.timezone')}</span>
          <input value={timezone} onChange={(e) => setTimezone(e.target.value)} maxLength={64} />
        </label>
      </div>
      {format === 'csv' && (
        <>
          <div className="field-row">
            <label className="field">
              <span>{t('imports.type')}</span>
              <select value={type} onChange={(e) => setType(e.target.value as (typeof CALL_TYPES)[number])}>
                {CALL_TYPES.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            </label>
            {type === 'track' && (
              <label className="field">
                <span>{t('imports.event')}</span>
                <input value={event} onChange={(e) => setEvent(e.target.value)} maxLength={200} placeholder={t('imports.eventPlaceholder')} />
              </label>
            )}
          </div>
          {columns.length > 0 && (identity !== null ? <p className="muted">{t('imports.identifiedBy', { column: identity })}</p> : !hasId && <p className="error-inline">{t('imports.needsIdentity')}</p>)}
          {columns.length > 0 && (
            <div className="table-wrap">
              <table className="table">
                <caption className="muted">{t('imports.mappingHint')}</caption>
                <thead>
                  <tr>
                    <th>{t('imports.column')}</th>
                    <th>{t('imports.target')}</th>
                  </tr>
                </thead>
                <tbody>
                  {columns.map((c, index) => (
                    <tr key={c.column}>
                      <td>
                        <code>{c.column}</code>
                      </td>
                      <td>
                        <select
                          aria-label={t('imports.targetFor', { column: c.column })}
                          value={c.target}
                          onChange={(e) => setColumns((all) => all.map((x, i) => (i === index ? { ...x, target: e.target.value as MappingTarget } : x)))}
                        >
                          {MAPPING_TARGETS.map((target) => (
                            <option key={target} value={target}>
                              {t(`imports.targets.${target}`)}
                            </option>
                          ))}
                        </select>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      {error && <ErrorMessage error={error} />}
      <button type="submit" className="button" disabled={!file || sending || (format === 'csv' && columns.length > 0 && !hasId)}>
        {sending ? t('imports.sending') : t('imports.upload')}
      </button>
    </form>
  )
}
