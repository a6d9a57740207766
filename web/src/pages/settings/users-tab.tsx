import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ApiError } from '../../api/client.ts'
import { useSignedIn, type Department, type Role } from '../../api/session.tsx'
import { EmptyState } from '../../components/empty-state.tsx'
import { ErrorMessage } from '../../components/error-message.tsx'
import { ListView } from '../../components/list-view.tsx'
import { useFormat } from '../../format/use-format.ts'

const ROLES: Role[] = ['admin', 'marketer', 'analyst', 'content_reviewer', 'viewer']
const DEPARTMENTS: Department[] = ['marketing', 'sales', 'product', 'service', 'other']

interface User {
  id: string
  name: string
  displayName: string
  role: Role
  department: Department
  disabled: boolean
  lastLoginAt: string | null
}

/** Users and roles (admins only): create, change role or department, disable. */
export function UsersTab() {
  const { t } = useTranslation()
  const format = useFormat()
  const session = useSignedIn()
  const [version, setVersion] = useState(0)
  const [role, setRole] = useState('')
  const [department, setDepartment] = useState('')
  const [status, setStatus] = useState('')
  const [error, setError] = useState<ApiError | null>(null)
  const [form, setForm] = useState({ name: '', displayName: '', role: 'marketer' as Role, department: 'marketing' as Department, password: '' })
  const [created, setCreated] = useState<string | null>(null)

  const create = async (event: FormEvent) => {
    event.preventDefault()
    setError(null)
    setCreated(null)
    try {
      const user = await api<User>('/users', { method: 'POST', body: { ...form, displayName: form.displayName || undefined } })
      setCreated(user.name)
      setForm({ ...form, name: '', displayName: '', password: '' })
      setVersion((v) => v + 1)
    } catch (failure) {
      setError(failure as ApiError)
    }
  }
  const update = async (user: User, change: Partial<Pick<User, 'role' | 'department' | 'disabled'>>) => {
    setError(null)
    try {
      await api(`/users/${encodeURIComponent(user.id)}`, { method: 'PATCH', body: change })
      setVersion((v) => v + 1)
    } catch (failure) {
      setError(failure as ApiError)
    }
  }

  return (
    <div className="grid">
      <section className="panel">
        <h2>{t('settings.users.title')}</h2>
        <p className="muted">{t('settings.users.intro')}</p>
        {error && <ErrorMessage error={error} />}
        <ListView<User>
          path="/users"
          version={version}
          query={{ role: role || undefined, department: department || undefined, status: status || undefined }}
          searchLabel={t('settings.users.search')}
          filters={
            <>
              <select aria-label={t('settings.users.role')} value={role} onChange={(e) => setRole(e.target.value)}>
                <option value="">{t('settings.users.anyRole')}</option>
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {t(`roles.${r}`)}
                  </option>
                ))}
              </select>
              <select aria-label={t('settings.users.department')} value={department} onChange={(e) => setDepartment(e.target.value)}>
                <option value="">{t('settings.users.anyDepartment')}</option>
                {DEPARTMENTS.map((d) => (
                  <option key={d} value={d}>
                    {t(`departments.${d}`)}
                  </option>
                ))}
              </select>
              <select aria-label={t('settings.users.status')} value={status} onChange={(e) => setStatus(e.target.value)}>
                <option value="">{t('settings.users.anyStatus')}</option>
                <option value="active">{t('settings.users.active')}</option>
                <option value="disabled">{t('settings.users.disabled')}</option>
              </select>
            </>
          }
          rowKey={(u) => u.id}
          columns={[
            { header: t('settings.users.name'), cell: (u) => (<><strong>{u.displayName}</strong> <span className="muted">@{u.name}</span></>) },
            {
              header: t('settings.users.role'),
              cell: (u) => (
                <select aria-label={t('settings.users.roleOf', { name: u.name })} value={u.role} onChange={(e) => void update(u, { role: e.target.value as Role })}>
                  {ROLES.map((r) => (
                    <option key={r} value={r}>
                      {t(`roles.${r}`)}
                    </option>
                  ))}
                </select>
              ),
            },
            {
              header: t('settings.users.department'),
              cell: (u) => (
                <select aria-label={t('settings.users.departmentOf', { name: u.name })} value={u.department} onChange={(e) => void update(u, { department: e.target.value as Department })}>
                  {DEPARTMENTS.map((d) => (
                    <option key={d} value={d}>
                      {t(`departments.${d}`)}
                    </option>
                  ))}
                </select>
              ),
            },
            { header: t('settings.users.lastLogin'), cell: (u) => (u.lastLoginAt ? format.relative(u.lastLoginAt) : t('settings.users.never')), secondary: true },
            {
              header: t('settings.users.status'),
              cell: (u) =>
                u.id === session.user?.id ? (
                  <span className="tag good">{t('settings.users.you')}</span>
                ) : (
                  <button type="button" className="button secondary small" onClick={() => void update(u, { disabled: !u.disabled })}>
                    {u.disabled ? t('settings.users.enable') : t('settings.users.disable')}
                  </button>
                ),
            },
          ]}
          empty={
            <EmptyState title={t('settings.users.empty')}>
              <p>{t('settings.users.emptyBody')}</p>
            </EmptyState>
          }
        />
      </section>
      <section className="panel">
        <h2>{t('settings.users.create')}</h2>
        {created && <p className="notice" role="status">{t('settings.users.created', { name: created })}</p>}
        <form onSubmit={create}>
          <div className="field-row">
            <label className="field">
              <span>{t('settings.users.signInName')}</span>
              <input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} required minLength={2} maxLength={64} autoComplete="off" />
            </label>
            <label className="field">
              <span>{t('settings.users.displayName')}</span>
              <input value={form.displayName} onChange={(e) => setForm({ ...form, displayName: e.target.value })} maxLength={100} />
            </label>
          </div>
          <div className="field-row">
            <label className="field">
              <span>{t('settings.users.role')}</span>
              <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {t(`roles.${r}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>{t('settings.users.department')}</span>
              <select value={form.department} onChange={(e) => setForm({ ...form, department: e.target.value as Department })}>
                {DEPARTMENTS.map((d) => (
                  <option key={d} value={d}>
                    {t(`departments.${d}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>{t('settings.users.password')}</span>
              <input type="password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} required minLength={8} autoComplete="new-password" />
            </label>
          </div>
          <p className="muted">{t('settings.users.roleHelp')}</p>
          <button type="submit" className="button">
            {t('settings.users.createButton')}
          </button>
        </form>
      </section>
    </div>
  )
}
