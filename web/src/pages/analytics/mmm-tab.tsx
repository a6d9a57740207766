import { useTranslation } from 'react-i18next'
import { RequireCapability } from '../../components/require-capability.tsx'

/** Media-mix response curves and the budget optimiser, once the MMM API is installed. */
export function MmmTab() {
  const { t } = useTranslation()
  return (
    <RequireCapability method="POST" path="/measurement/mmm/fit" capability={t('analytics.capabilities.mmm')}>
      <p className="muted">{t('analytics.mmmHelp')}</p>
    </RequireCapability>
  )
}
