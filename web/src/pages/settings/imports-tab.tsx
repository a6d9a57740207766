import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api } from '../../api/client.ts'
import { EmptyState } from '../../components/empty-state.tsx'
import { ListView } from '../../components/list-view.tsx'
import { useFormat } from '../../format/use-format.ts'
import { ImportForm } from './import-form.tsx'
import { ImportProgress } from './import-progress.tsx'
import { inProgress, type ImportRecord } from './import-types.ts'

const POLL_MS = 1000

/** Upload historical data (order exports, event files) and follow each import to its report. */
export function ImportsTab() {
  const { t } = useTranslation()
  const format = useFormat()
  const [version, setVersion] = useState(0)
  return (
    <div className="grid">
      <section className="panel">
        <h2>{t('imports.title')}</h2>
        <ImportForm onStarted={() => setVersion((v) => v + 1)} />
      </section>
      <section className="panel">
        <h2>{t('imports.history')}</h2>
        <ListView<ImportRecord>
          path="/imports"
          version={version}
          searchLabel={t('imports.search')}
          // The API lists newest first without a search; the loaded page is narrowed here.
          localFilter={{ active: false, match: (i, q) => !q || i.name.toLowerCase().includes(q) }}
          rowKey={(i) => i.id}
          columns={[
            { header: t('imports.name'), cell: (i) => <code>{i.name}</code> },
            { header: t('imports.created'), cell: (i) => format.relative(i.createdAt), secondary: true },
            { header: t('imports.progress'), cell: (i) => <LiveImport initial={i} /> },
          ]}
          empty={
            <EmptyState title={t('imports.emptyTitle')}>
              <p>{t('imports.emptyBody')}</p>
            </EmptyState>
          }
        />
      </section>
    </div>
  )
}

/** One import, polled while it is queued or running. */
function LiveImport({ initial }: { initial: ImportRecord }) {
  const [item, setItem] = useState(initial)
  useEffect(() => setItem(initial), [initial])
  useEffect(() => {
    if (!inProgress(item)) return
    const timer = setTimeout(() => {
      api<ImportRecord>(`/imports/${item.id}`).then(setItem, () => setItem({ ...item }))
    }, POLL_MS)
    return () => clearTimeout(timer)
  }, [item])
  return <ImportProgress item={item} />
}
