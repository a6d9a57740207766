import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError } from '../api/client.ts'
import { useSession } from '../api/session.tsx'
import { LANGUAGES, setLanguage } from '../i18n/index.ts'

/** Sign-in with a user name and password, or (for the first start) the admin token chorus printed. */
export function SignInPage() {
  const { t, i18n } = useTranslation()
  const { signIn, error: sessionError } = useSession()
  const [mode, setMode] = useState<'password' | 'token'>('password')
  const [name, setName] = useState('')
  const [password, setPassword] = useState('')
  const [workspace, setWorkspace] = useState('default')
  const [token, setToken] = useState('')
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setProblem(null)
    try {
      await signIn(mode === 'token' ? { token: token.trim() } : { name: name.trim(), password, workspace: workspace.trim() || 'default' })
    } catch (error) {
      const failure = error as ApiError
      if (failure.status === 401) setProblem(mode === 'token' ? t('signIn.wrongToken') : t('signIn.wrongPassword'))
      else if (failure.code === 'UserDisabled') setProblem(t('signIn.disabled'))
      else if (failure.code === 'TooManyAttempts') setProblem(t('signIn.lockedOut'))
      else if (failure.kind === 'network') setProblem(t('errors.network.title'))
      else setProblem(failure.message)
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="sign-in">
      <form className="sign-in-card" onSubmit={submit} aria-labelledby="sign-in-title">
        <div className="sign-in-top">
          <h1 id="sign-in-title">{t('signIn.title')}</h1>
          <select aria-label={t('shell.language')} value={i18n.language} onChange={(e) => void setLanguage(e.target.value as 'zh-CN' | 'en')}>
            {LANGUAGES.map((l) => (
              <option key={l.code} value={l.code}>
                {l.label}
              </option>
            ))}
          </select>
        </div>
        <p className="muted">{t('signIn.subtitle')}</p>
        {sessionError && sessionError.kind !== 'signedOut' && <p className="error-inline">{t(`errors.${sessionError.kind}.title`, { role: '' })}</p>}
        {mode === 'password' ? (
          <>
            <label className="field">
              <span>{t('signIn.name')}</span>
              <input name="username" autoComplete="username" value={name} onChange={(e) => setName(e.target.value)} required />
            </label>
            <label className="field">
              <span>{t('signIn.password')}</span>
              <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
            </label>
            <details className="more">
              <summary>{t('signIn.otherWorkspace')}</summary>
              <label className="field">
                <span>{t('signIn.workspace')}</span>
                <input name="workspace" value={workspace} onChange={(e) => setWorkspace(e.target.value)} />
              </label>
            </details>
          </>
        ) : (
          <label className="field">
            <span>{t('signIn.token')}</span>
            <input name="token" type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} required />
            <small className="muted">{t('signIn.tokenHint')}</small>
          </label>
        )}
        {problem && (
          <p className="error-inline" role="alert">
            {problem}
          </p>
        )}
        <button type="submit" className="button wide" disabled={busy}>
          {busy ? t('signIn.signingIn') : t('signIn.submit')}
        </button>
        <button type="button" className="link-button" onClick={() => setMode(mode === 'password' ? 'token' : 'password')}>
          {mode === 'password' ? t('signIn.useToken') : t('signIn.usePassword')}
        </button>
      </form>
    </div>
  )
}
