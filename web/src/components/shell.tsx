import { useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { useSignedIn, useSession } from '../api/session.tsx'
import { LANGUAGES, setLanguage } from '../i18n/index.ts'
import { useLocation } from '../router/router.ts'
import { Link } from './link.tsx'

export const NAV = [
  { to: '/', key: 'overview', icon: '◎' },
  { to: '/customers', key: 'customers', icon: '☺' },
  { to: '/audiences', key: 'audiences', icon: '◍' },
  { to: '/journeys', key: 'journeys', icon: '⇢' },
  { to: '/content', key: 'content', icon: '✎' },
  { to: '/campaigns', key: 'campaigns', icon: '⚑' },
  { to: '/analytics', key: 'analytics', icon: '▥' },
  { to: '/settings', key: 'settings', icon: '⚙' },
] as const

/** The frame around every signed-in page: navigation, workspace, language, the user and sign-out. */
export function Shell({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation()
  const session = useSignedIn()
  const { signOut } = useSession()
  const { path } = useLocation()
  const [menuOpen, setMenuOpen] = useState(false)
  const active = (to: string) => (to === '/' ? path === '/' : path === to || path.startsWith(`${to}/`))
  const who = session.user ? session.user.displayName : t('shell.adminToken')
  return (
    <div className="shell">
      <header className="topbar">
        <button type="button" className="menu-toggle" aria-expanded={menuOpen} aria-controls="main-nav" onClick={() => setMenuOpen((o) => !o)}>
          <span aria-hidden="true">☰</span>
          <span className="visually-hidden">{t('shell.menu')}</span>
        </button>
        <Link to="/" className="brand">
          {t('shell.brand')}
        </Link>
        <span className="workspace" title={t('shell.workspace')}>
          {session.workspace.name}
        </span>
        <div className="topbar-right">
          <label className="language">
            <span className="visually-hidden">{t('shell.language')}</span>
            <select aria-label={t('shell.language')} value={i18n.language} onChange={(e) => void setLanguage(e.target.value as 'zh-CN' | 'en')}>
              {LANGUAGES.map((l) => (
                <option key={l.code} value={l.code}>
                  {l.label}
                </option>
              ))}
            </select>
          </label>
          <span className="who" data-testid="signed-in-as">
            {who} · {t(`roles.${session.role}`)}
          </span>
          <button type="button" className="button secondary small" onClick={() => void signOut()}>
            {t('shell.signOut')}
          </button>
        </div>
      </header>
      <nav id="main-nav" className={menuOpen ? 'sidebar open' : 'sidebar'} aria-label={t('shell.navigation')}>
        <ul>
          {NAV.map((item) => (
            <li key={item.to}>
              <Link to={item.to} className={active(item.to) ? 'active' : undefined} aria-current={active(item.to) ? 'page' : undefined} onClick={() => setMenuOpen(false)}>
                <span className="nav-icon" aria-hidden="true">
                  {item.icon}
                </span>
                {t(`nav.${item.key}`)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main className="content">{children}</main>
    </div>
  )
}

/** A page's title row with its actions. */
export function PageHeader({ title, subtitle, actions }: { title: string; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="page-header">
      <div>
        <h1>{title}</h1>
        {subtitle && <p className="subtitle">{subtitle}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </div>
  )
}
