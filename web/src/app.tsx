import { lazy, Suspense, useEffect, type ComponentType } from 'react'
import { useTranslation } from 'react-i18next'
import { CapabilityProvider } from './api/capabilities.tsx'
import { SessionProvider, useSession } from './api/session.tsx'
import { EmptyState } from './components/empty-state.tsx'
import { Link } from './components/link.tsx'
import { Spinner } from './components/progress.tsx'
import { Shell } from './components/shell.tsx'
import { SignInPage } from './pages/sign-in.tsx'
import { matchPath, useLocation } from './router/router.ts'

type Page = ComponentType<{ params: Record<string, string> }>
const page = (load: () => Promise<{ default: Page }>) => lazy(load)

/** Pages are separate bundles, loaded when first visited. */
const ROUTES: Array<[string, Page]> = [
  ['/', page(() => import('./pages/overview/overview-page.tsx'))],
  ['/customers', page(() => import('./pages/customers/customers-page.tsx'))],
  ['/customers/:id', page(() => import('./pages/customers/customer-page.tsx'))],
  ['/audiences', page(() => import('./pages/audiences/audiences-page.tsx'))],
  ['/audiences/new', page(() => import('./pages/audiences/audience-page.tsx'))],
  ['/audiences/:id', page(() => import('./pages/audiences/audience-page.tsx'))],
  ['/journeys', page(() => import('./pages/journeys/journeys-page.tsx'))],
  ['/journeys/:id', page(() => import('./pages/journeys/journey-page.tsx'))],
  ['/content', page(() => import('./pages/content/content-page.tsx'))],
  ['/content/:id', page(() => import('./pages/content/content-detail-page.tsx'))],
  ['/campaigns', page(() => import('./pages/campaigns/campaigns-page.tsx'))],
  ['/campaigns/:id', page(() => import('./pages/campaigns/campaign-page.tsx'))],
  ['/analytics', page(() => import('./pages/analytics/analytics-page.tsx'))],
  ['/settings', page(() => import('./pages/settings/settings-page.tsx'))],
]

function Router() {
  const { t } = useTranslation()
  const { path } = useLocation()
  for (const [pattern, Component] of ROUTES) {
    const params = matchPath(pattern, path)
    if (params) return <Component params={params} />
  }
  return (
    <EmptyState title={t('notFound.title')} action={<Link to="/">{t('notFound.home')}</Link>}>
      <p>{t('notFound.body')}</p>
    </EmptyState>
  )
}

function Gate() {
  const { t } = useTranslation()
  const { session, checking } = useSession()
  useEffect(() => {
    document.title = t('shell.title')
  }, [t])
  if (checking) return <Spinner label={t('common.loading')} />
  if (!session) return <SignInPage />
  return (
    <CapabilityProvider>
      <Shell>
        <Suspense fallback={<Spinner label={t('common.loading')} />}>
          <Router />
        </Suspense>
      </Shell>
    </CapabilityProvider>
  )
}

export function App() {
  return (
    <SessionProvider>
      <Gate />
    </SessionProvider>
  )
}
