import { useTranslation } from 'react-i18next'
import { useApi } from '../../api/hooks.ts'
import { ErrorMessage } from '../../components/error-message.tsx'
import { Link } from '../../components/link.tsx'
import { Spinner } from '../../components/progress.tsx'
import { RequireCapability } from '../../components/require-capability.tsx'
import { PageHeader } from '../../components/shell.tsx'
import { Tabs } from '../../components/tabs.tsx'
import { setSearchParams, useLocation } from '../../router/router.ts'
import { HouseEditor } from './house-editor.tsx'
import { HouseReportView } from './house-report.tsx'
import { Matrix } from './matrix.tsx'
import type { HouseView } from './types.ts'

/** One message house: its editor, the content matrix, and the campaign-level consistency report. */
export default function ContentDetailPage({ params }: { params: Record<string, string> }) {
  const { t } = useTranslation()
  return (
    <RequireCapability path="/content/houses" capability={t('capabilities.content')}>
      <HouseDetail id={params.id === 'new' ? null : params.id!} />
    </RequireCapability>
  )
}

function HouseDetail({ id }: { id: string | null }) {
  const { t } = useTranslation()
  const { search } = useLocation()
  const house = useApi<HouseView>(id ? `/content/houses/${id}` : null)
  const tab = id ? (search.get('tab') ?? 'matrix') : 'house'
  if (id && house.error) return <ErrorMessage error={house.error} onRetry={house.reload} />
  if (id && !house.data) return <Spinner label={t('common.loading')} />
  return (
    <>
      <PageHeader title={house.data?.name ?? t('content.newHouse')} subtitle={<Link to="/content">← {t('content.back')}</Link>} />
      {house.data && <p className="subtitle">“{house.data.house.coreMessage}”</p>}
      {id && (
        <Tabs
          label={t('content.title')}
          tabs={[
            { id: 'matrix', label: t('content.tabs.matrix') },
            { id: 'house', label: t('content.tabs.house') },
            { id: 'report', label: t('content.tabs.report') },
          ]}
          active={tab}
          onChange={(next) => setSearchParams({ tab: next })}
        />
      )}
      {tab === 'house' && <HouseEditor house={house.data ?? null} onSaved={() => house.reload()} />}
      {tab === 'matrix' && id && <Matrix houseId={id} />}
      {tab === 'report' && id && <HouseReportView houseId={id} />}
    </>
  )
}
