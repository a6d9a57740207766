import { useTranslation } from 'react-i18next'
import { useSignedIn } from '../../api/session.tsx'
import { RequireCapability } from '../../components/require-capability.tsx'
import { PageHeader } from '../../components/shell.tsx'
import { Tabs } from '../../components/tabs.tsx'
import { setSearchParams, useLocation } from '../../router/router.ts'
import { AttributionTab } from './attribution-tab.tsx'
import { FunnelTab } from './funnel-tab.tsx'
import { MmmTab } from './mmm-tab.tsx'
import { PeriodPicker } from './period-picker.tsx'
import { PredictionsTab } from './predictions-tab.tsx'
import { usePeriod } from './period.ts'
import { RetentionTab } from './retention-tab.tsx'
import { RoiTab } from './roi-tab.tsx'

const TABS = ['attribution', 'roi', 'funnel', 'retention', 'paths', 'predictions', 'mmm'] as const
type Tab = (typeof TABS)[number]

/** What worked: attribution models compared, ROI, funnels, retention, channel paths, customer predictions, media mix. */
export default function AnalyticsPage() {
  const { t } = useTranslation()
  const session = useSignedIn()
  const { search } = useLocation()
  const tab: Tab = (TABS as readonly string[]).includes(search.get('tab') ?? '') ? (search.get('tab') as Tab) : 'attribution'
  const [period, setPeriod] = usePeriod(session.workspace.timezone, 30)
  return (
    <>
      <PageHeader title={t('analytics.title')} subtitle={t('analytics.subtitle')} />
      <Tabs label={t('analytics.title')} tabs={TABS.map((id) => ({ id, label: id === 'predictions' ? t('predictions.tab') : t(`analytics.tabs.${id}`) }))} active={tab} onChange={(id) => setSearchParams({ tab: id })} />
      {tab !== 'mmm' && tab !== 'predictions' && <PeriodPicker value={period} onChange={setPeriod} timeZone={session.workspace.timezone} />}
      {(tab === 'attribution' || tab === 'paths') && (
        <RequireCapability method="POST" path="/measurement/attribution" capability={t('capabilities.attribution')}>
          <AttributionTab period={period} view={tab === 'paths' ? 'paths' : 'models'} />
        </RequireCapability>
      )}
      {tab === 'roi' && (
        <RequireCapability path="/measurement/roi" capability={t('capabilities.analytics')}>
          <RoiTab period={period} />
        </RequireCapability>
      )}
      {tab === 'funnel' && (
        <RequireCapability method="POST" path="/measurement/funnels/report" capability={t('analytics.capabilities.funnels')}>
          <FunnelTab period={period} />
        </RequireCapability>
      )}
      {tab === 'retention' && (
        <RequireCapability method="POST" path="/measurement/retention" capability={t('analytics.capabilities.retention')}>
          <RetentionTab period={period} />
        </RequireCapability>
      )}
      {tab === 'predictions' && (
        <RequireCapability path="/measurement/models" capability={t('predictions.tab')}>
          <PredictionsTab />
        </RequireCapability>
      )}
      {tab === 'mmm' && <MmmTab />}
    </>
  )
}
