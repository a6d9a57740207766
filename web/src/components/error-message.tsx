import { useTranslation } from 'react-i18next'
import type { ApiError } from '../api/client.ts'
import { useSession } from '../api/session.tsx'

/**
 * An API failure in words: a headline for the kind of problem in the person's language, what to
 * do about it, and the server's own explanation (which names the field or value at fault).
 */
export function ErrorMessage({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  const { t } = useTranslation()
  const { session } = useSession()
  const role = session ? t(`roles.${session.role}`) : ''
  const showDetail = error.kind === 'invalid' || error.kind === 'conflict' || error.kind === 'forbidden' || error.kind === 'notFound'
  return (
    <div className="error-message" role="alert">
      <strong>{t(`errors.${error.kind}.title`, { role })}</strong>
      <p>{t(`errors.${error.kind}.hint`, { role })}</p>
      {showDetail && error.message && <p className="error-detail">{error.message}</p>}
      {onRetry && (error.kind === 'network' || error.kind === 'server' || error.kind === 'busy') && (
        <button type="button" className="button secondary" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  )
}
