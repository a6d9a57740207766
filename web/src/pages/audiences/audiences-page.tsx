import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useSignedIn } from '../../api/session.tsx'
import { EmptyState } from '../../components/empty-state.tsx'
import { Link } from '../../components/link.tsx'
import { ListView } from '../../components/list-view.tsx'
import { RequireCapability } from '../../components/require-capability.tsx'
import { PageHeader } from '../../components/shell.tsx'
import { useFormat } from '../../format/use-format.ts'
import { navigate } from '../../router/router.ts'
import type { Audience } from './types.ts'

/** Every audience with its size; search by name, filter by kind and status. */
export default function AudiencesPage() {
  const { t } = useTranslation()
  const format = useFormat()
  const session = useSignedIn()
  const [kind, setKind] = useState('')
  const [status, setStatus] = useState('')
  return (
    <>
      <PageHeader
        title={t('audiences.title')}
        subtitle={t('audiences.subtitle')}
        actions={
          session.can('write') && (
            <Link className="button" to="/audiences/new">
              {t('audiences.new')}
            </Link>
          )
        }
      />
      <RequireCapability path="/audiences" capability={t('capabilities.audiences')}>
        <ListView<Audience>
          path="/audiences"
          limit={200}
          searchLabel={t('audiences.search')}
          localFilter={{
            active: kind !== '' || status !== '',
            match: (a, q) => (!kind || a.kind === kind) && (!status || a.status === status) && (!q || `${a.name} ${a.description ?? ''}`.toLowerCase().includes(q)),
          }}
          filters={
            <>
              <select aria-label={t('audiences.kind')} value={kind} onChange={(e) => setKind(e.target.value)}>
                <option value="">{t('audiences.anyKind')}</option>
                <option value="dynamic">{t('audiences.kinds.dynamic')}</option>
                <option value="static">{t('audiences.kinds.static')}</option>
              </select>
              <select aria-label={t('audiences.status')} value={status} onChange={(e) => setStatus(e.target.value)}>
                <option value="">{t('audiences.anyStatus')}</option>
                <option value="active">{t('audiences.statuses.active')}</option>
                <option value="paused">{t('audiences.statuses.paused')}</option>
              </select>
            </>
          }
          rowKey={(a) => a.id}
          onOpen={(a) => navigate(`/audiences/${a.id}`)}
          columns={[
            { header: t('audiences.name'), cell: (a) => (<><Link to={`/audiences/${a.id}`}>{a.name}</Link>{a.description && <div className="muted">{a.description}</div>}</>) },
            { header: t('audiences.size'), cell: (a) => <span title={format.number(a.size)}>{format.compact(a.size)}</span> },
            { header: t('audiences.kind'), cell: (a) => t(`audiences.kinds.${a.kind}`), secondary: true },
            { header: t('audiences.status'), cell: (a) => <span className={a.status === 'active' ? 'tag good' : 'tag'}>{t(`audiences.statuses.${a.status}`)}</span> },
            { header: t('audiences.updated'), cell: (a) => format.relative(a.updatedAt), secondary: true },
          ]}
          empty={
            <EmptyState title={t('audiences.emptyTitle')} action={session.can('write') && <Link className="button" to="/audiences/new">{t('audiences.new')}</Link>}>
              <p>{t('audiences.emptyBody')}</p>
            </EmptyState>
          }
        />
      </RequireCapability>
    </>
  )
}
