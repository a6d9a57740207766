import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ApiError } from '../../api/client.ts'
import { useApi } from '../../api/hooks.ts'
import { useSignedIn } from '../../api/session.tsx'
import { ErrorMessage } from '../../components/error-message.tsx'
import { Spinner } from '../../components/progress.tsx'

interface IdentityRules {
  priority: string[]
  limits: Record<string, number>
  defaultLimit: number
  blockedValues: string[]
  blockedPatterns: string[]
  defaultCountryCode: string
}

/** Identity resolution rules: which identifier wins, how many of each a person may have, what never links. */
export function IdentityTab() {
  const { t } = useTranslation()
  const session = useSignedIn()
  const loaded = useApi<IdentityRules>('/identity/rules')
  const [rules, setRules] = useState<IdentityRules | null>(null)
  const [saving, setSaving] = useState(false)
  const [saved, setSaved] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  useEffect(() => {
    if (loaded.data) setRules(loaded.data)
  }, [loaded.data])

  if (loaded.error) return <ErrorMessage error={loaded.error} onRetry={loaded.reload} />
  if (!rules) return <Spinner label={t('common.loading')} />
  const editable = session.can('admin')
  const change = (next: Partial<IdentityRules>) => {
    setSaved(false)
    setRules({ ...rules, ...next })
  }
  const move = (index: number, by: number) => {
    const priority = [...rules.priority]
    const [item] = priority.splice(index, 1)
    priority.splice(index + by, 0, item!)
    change({ priority })
  }
  const save = async () => {
    setSaving(true)
    setError(null)
    try {
      setRules(await api<IdentityRules>('/identity/rules', { method: 'PUT', body: rules }))
      setSaved(true)
    } catch (failure) {
      setError(failure as ApiError)
    } finally {
      setSaving(false)
    }
  }
  const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter((l, i, all) => l !== '' || i < all.length - 1).filter(Boolean)

  return (
    <section className="panel">
      <h2>{t('settings.identity.title')}</h2>
      <p className="muted">{t('settings.identity.intro')}</p>
      {!editable && <p className="notice">{t('settings.readOnly')}</p>}
      {error && <ErrorMessage error={error} />}
      <div className="grid two">
        <div>
          <h3>{t('settings.identity.priority')}</h3>
          <p className="muted">{t('settings.identity.priorityHint')}</p>
          <ol>
            {rules.priority.map((type, i) => (
              <li key={type} style={{ marginBottom: 4 }}>
                <span style={{ display: 'inline-block', minWidth: 150 }}>{t(`identifiers.${type}`, { defaultValue: type })}</span>
                <label className="muted">
                  {t('settings.identity.limit')}{' '}
                  <input
                    type="number"
                    min={1}
                    max={1000}
                    style={{ width: 70 }}
                    disabled={!editable}
                    value={rules.limits[type] ?? rules.defaultLimit}
                    onChange={(e) => change({ limits: { ...rules.limits, [type]: Math.max(1, Number(e.target.value) || 1) } })}
                  />
                </label>{' '}
                {editable && (
                  <>
                    <button type="button" className="button secondary small" disabled={i === 0} onClick={() => move(i, -1)} aria-label={t('settings.identity.moveUp', { type })}>
                      ↑
                    </button>{' '}
                    <button type="button" className="button secondary small" disabled={i === rules.priority.length - 1} onClick={() => move(i, 1)} aria-label={t('settings.identity.moveDown', { type })}>
                      ↓
                    </button>
                  </>
                )}
              </li>
            ))}
          </ol>
          <div className="field-row">
            <label className="field">
              <span>{t('settings.identity.defaultLimit')}</span>
              <input type="number" min={1} max={1000} disabled={!editable} value={rules.defaultLimit} onChange={(e) => change({ defaultLimit: Math.max(1, Number(e.target.value) || 1) })} />
            </label>
            <label className="field">
              <span>{t('settings.identity.countryCode')}</span>
              <input disabled={!editable} value={rules.defaultCountryCode} onChange={(e) => change({ defaultCountryCode: e.target.value.replace(/\D/g, '').slice(0, 3) })} />
            </label>
          </div>
        </div>
        <div>
          <label className="field">
            <span>{t('settings.identity.blockedValues')}</span>
            <textarea rows={8} disabled={!editable} value={rules.blockedValues.join('\n')} onChange={(e) => change({ blockedValues: lines(e.target.value) })} />
          </label>
          <label className="field">
            <span>{t('settings.identity.blockedPatterns')}</span>
            <textarea rows={3} disabled={!editable} value={rules.blockedPatterns.join('\n')} onChange={(e) => change({ blockedPatterns: lines(e.target.value) })} />
          </label>
        </div>
      </div>
      {editable && (
        <button type="button" className="button" disabled={saving} onClick={() => void save()}>
          {saving ? t('common.saving') : t('common.save')}
        </button>
      )}
      {saved && <span className="muted" role="status"> {t('common.saved')}</span>}
    </section>
  )
}
