import { useTranslation } from 'react-i18next'
import { EmptyState } from './empty-state.tsx'

/**
 * A page or panel whose API is not part of this installation: says which capability is missing
 * instead of failing.
 */
export function Unavailable({ capability, api }: { capability: string; api: string }) {
  const { t } = useTranslation()
  return (
    <EmptyState title={t('unavailable.title', { capability })} icon="⊘">
      <p>{t('unavailable.body', { capability })}</p>
      <p className="muted">
        {t('unavailable.api')} <code>{api}</code>
      </p>
    </EmptyState>
  )
}
