import { useState, type ChangeEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ApiError } from '../../api/client.ts'
import { useSignedIn } from '../../api/session.tsx'
import { EmptyState } from '../../components/empty-state.tsx'
import { ErrorMessage } from '../../components/error-message.tsx'
import { Link } from '../../components/link.tsx'
import { ListView } from '../../components/list-view.tsx'
import { useFormat } from '../../format/use-format.ts'
import type { Audience, UploadReport } from './types.ts'

/** Members of a saved audience, CSV export, and for a static audience, CSV upload. */
export function MembersPanel({ audience, version, onChanged }: { audience: Audience; version: number; onChanged(): void }) {
  const { t } = useTranslation()
  const format = useFormat()
  const session = useSignedIn()
  const [mode, setMode] = useState<'replace' | 'append'>('append')
  const [report, setReport] = useState<UploadReport | null>(null)
  const [error, setError] = useState<ApiError | null>(null)
  const [uploading, setUploading] = useState(false)

  const upload = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0]
    event.target.value = ''
    if (!file) return
    setUploading(true)
    setError(null)
    setReport(null)
    try {
      setReport(await api<UploadReport>(`/audiences/${audience.id}/members/upload`, { method: 'POST', query: { mode }, raw: { body: await file.text(), contentType: 'text/csv' } }))
      onChanged()
    } catch (failure) {
      setError(failure as ApiError)
    } finally {
      setUploading(false)
    }
  }

  return (
    <section className="panel" aria-labelledby="members-title">
      <div className="panel-head">
        <h2 id="members-title">{t('audiences.members.title', { count: audience.size, formatted: format.number(audience.size) })}</h2>
        <a className="button secondary small" href={`/api/v1/audiences/${encodeURIComponent(audience.id)}/members.csv`} download>
          {t('audiences.members.export')}
        </a>
      </div>
      {audience.kind === 'static' && session.can('write') && (
        <div className="notice">
          <p>{t('audiences.members.uploadHelp')}</p>
          <div className="field-row">
            <select aria-label={t('audiences.members.mode')} value={mode} onChange={(e) => setMode(e.target.value as 'replace' | 'append')}>
              <option value="append">{t('audiences.members.append')}</option>
              <option value="replace">{t('audiences.members.replace')}</option>
            </select>
            <label className="button secondary">
              {uploading ? t('audiences.members.uploading') : t('audiences.members.upload')}
              <input type="file" accept=".csv,text/csv" onChange={(e) => void upload(e)} disabled={uploading} className="visually-hidden" />
            </label>
          </div>
        </div>
      )}
      {error && <ErrorMessage error={error} />}
      {report && (
        <div className="notice" role="status">
          {t('audiences.members.report', { rows: report.rows, matched: report.matched, people: report.people, entered: report.entered, exited: report.exited })}
          {report.unmatchedCount > 0 && (
            <ul className="findings">
              {report.unmatched.map((u) => (
                <li key={u.line} className="warning">
                  {t('audiences.members.line', { line: u.line })}: {u.reason}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <ListView<{ profileId: string; enteredAt: string }>
        path={`/audiences/${audience.id}/members`}
        version={version}
        limit={20}
        rowKey={(m) => m.profileId}
        columns={[
          { header: t('audiences.members.person'), cell: (m) => <Link to={`/customers/${m.profileId}`}>{m.profileId}</Link> },
          { header: t('audiences.members.entered'), cell: (m) => <span title={format.dateTime(m.enteredAt)}>{format.relative(m.enteredAt)}</span> },
        ]}
        empty={
          <EmptyState title={t('audiences.members.empty')}>
            <p>{audience.kind === 'static' ? t('audiences.members.emptyStatic') : t('audiences.members.emptyDynamic')}</p>
          </EmptyState>
        }
      />
    </section>
  )
}
