import { useTranslation } from 'react-i18next'
import { ProgressBar } from '../../components/progress.tsx'
import { useFormat } from '../../format/use-format.ts'
import type { ImportRecord } from './import-types.ts'

const TONES: Record<ImportRecord['state'], string> = { queued: 'tag', running: 'tag', done: 'tag good', failed: 'tag bad', interrupted: 'tag warn' }

/** An import's state, bytes read of the file, row counts and the lines that were refused. */
export function ImportProgress({ item: i }: { item: ImportRecord }) {
  const { t } = useTranslation()
  const format = useFormat()
  const fraction = i.bytesTotal > 0 ? i.bytesRead / i.bytesTotal : 0
  return (
    <div className="import-progress" data-testid={`import-${i.id}`}>
      <span className={TONES[i.state]}>{t(`imports.states.${i.state}`)}</span>
      {(i.state === 'running' || i.state === 'queued') && <ProgressBar value={fraction} label={t('imports.bytes', { read: format.number(i.bytesRead / 1024 / 1024, 1), total: format.number(i.bytesTotal / 1024 / 1024, 1) })} />}
      <small className="muted">
        {t('imports.counts', { read: format.number(i.rowsRead), stored: format.number(i.stored), duplicates: format.number(i.duplicates), rejected: format.number(i.rejected) })}
        {i.state === 'running' && i.rowsPerSecond > 0 && ` · ${t('imports.rate', { rate: format.number(i.rowsPerSecond) })}`}
      </small>
      {i.state === 'interrupted' ? <p className="error-inline">{t('imports.interruptedHint')}</p> : i.error && <p className="error-inline">{i.error}</p>}
      {i.rejections.length > 0 && (
        <details>
          <summary>{t('imports.rejectedLines', { count: i.rejected })}</summary>
          <ul className="import-rejections">
            {i.rejections.map((r) => (
              <li key={`${r.line}-${r.reason}`}>{t('imports.rejectedLine', { line: r.line, reason: r.reason })}</li>
            ))}
          </ul>
          {i.rejected > i.rejections.length && <small className="muted">{t('imports.moreRejected', { count: i.rejected - i.rejections.length })}</small>}
        </details>
      )}
    </div>
  )
}
