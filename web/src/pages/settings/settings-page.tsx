import { useTranslation } from 'react-i18next'
import { useSignedIn } from '../../api/session.tsx'
import { PageHeader } from '../../components/shell.tsx'
import { Tabs } from '../../components/tabs.tsx'
import { setSearchParams, useLocation } from '../../router/router.ts'
import { ChannelsTab } from './channels-tab.tsx'
import { IdentityTab } from './identity-tab.tsx'
import { ImportsTab } from './imports-tab.tsx'
import { MeasurementTab } from './measurement-tab.tsx'
import { SourcesTab } from './sources-tab.tsx'
import { UsersTab } from './users-tab.tsx'

/** Settings: sources and SDK set-up, identity rules, channel providers, users, grouping and conversions. */
export default function SettingsPage() {
  const { t } = useTranslation()
  const session = useSignedIn()
  const { search } = useLocation()
  const tabs = [
    { id: 'sources', label: t('settings.tabs.sources') },
    // Importing writes events, so only roles that may write see it (the API refuses the others).
    ...(session.can('write') ? [{ id: 'imports', label: t('settings.tabs.imports') }] : []),
    { id: 'identity', label: t('settings.tabs.identity') },
    { id: 'channels', label: t('settings.tabs.channels') },
    ...(session.can('admin') ? [{ id: 'users', label: t('settings.tabs.users') }] : []),
    { id: 'grouping', label: t('settings.tabs.grouping') },
    { id: 'conversions', label: t('settings.tabs.conversions') },
  ]
  const active = tabs.some((tab) => tab.id === search.get('tab')) ? search.get('tab')! : 'sources'
  return (
    <>
      <PageHeader title={t('settings.title')} />
      <Tabs label={t('settings.title')} tabs={tabs} active={active} onChange={(tab) => setSearchParams({ tab })} />
      {active === 'sources' && <SourcesTab />}
      {active === 'imports' && <ImportsTab />}
      {active === 'identity' && <IdentityTab />}
      {active === 'channels' && <ChannelsTab />}
      {active === 'users' && <UsersTab />}
      {active === 'grouping' && <MeasurementTab kind="grouping" />}
      {active === 'conversions' && <MeasurementTab kind="conversions" />}
    </>
  )
}
