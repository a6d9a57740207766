import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { useCapabilities } from '../api/capabilities.tsx'
import { Spinner } from './progress.tsx'
import { Unavailable } from './unavailable.tsx'

/** Renders its children when this installation has the route, else says what is missing. */
export function RequireCapability({ method = 'GET', path, capability, children }: { method?: string; path: string; capability: string; children: ReactNode }) {
  const { t } = useTranslation()
  const caps = useCapabilities()
  if (!caps.loaded) return <Spinner label={t('common.loading')} />
  if (!caps.has(method, path)) return <Unavailable capability={capability} api={`${method} /api/v1${path}`} />
  return <>{children}</>
}
