import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ApiError, type Page } from '../../api/client.ts'
import { useApi } from '../../api/hooks.ts'
import { useSignedIn } from '../../api/session.tsx'
import { EmptyState } from '../../components/empty-state.tsx'
import { ErrorMessage } from '../../components/error-message.tsx'
import { ListView } from '../../components/list-view.tsx'
import { RequireCapability } from '../../components/require-capability.tsx'

interface Provider {
  id: string
  name: string
  kind: string
  channel: string
  settings: Record<string, unknown>
  secrets: Record<string, string>
  isDefault: boolean
}

const CHANNELS = ['email', 'sms', 'wechat', 'wechat_mini', 'wecom', 'webhook', 'inbox'] as const
const KINDS = ['smtp', 'aliyun_sms', 'tencent_sms', 'wechat_template', 'wechat_subscribe', 'wecom_customer', 'webhook'] as const

/** Delivery providers per channel, with a "send test" button, and adding one (admins). */
export function ChannelsTab() {
  const { t } = useTranslation()
  return (
    <RequireCapability path="/channels/providers" capability={t('capabilities.channels')}>
      <Providers />
    </RequireCapability>
  )
}

function Providers() {
  const { t } = useTranslation()
  const session = useSignedIn()
  const [version, setVersion] = useState(0)
  const [channel, setChannel] = useState('')
  const [testing, setTesting] = useState<Provider | null>(null)
  return (
    <div className="grid">
      <section className="panel">
        <h2>{t('settings.channels.title')}</h2>
        <p className="muted">{t('settings.channels.intro')}</p>
        <ListView<Provider>
          path="/channels/providers"
          version={version}
          query={{ channel: channel || undefined }}
          searchLabel={t('settings.channels.search')}
          localFilter={{ active: false, match: (p, q) => !q || `${p.name} ${p.kind}`.toLowerCase().includes(q) }}
          filters={
            <select aria-label={t('settings.channels.channel')} value={channel} onChange={(e) => setChannel(e.target.value)}>
              <option value="">{t('settings.channels.anyChannel')}</option>
              {CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {t(`journeys.channels.${c}`)}
                </option>
              ))}
            </select>
          }
          rowKey={(p) => p.id}
          columns={[
            { header: t('settings.channels.name'), cell: (p) => (<><strong>{p.name}</strong>{p.isDefault && <span className="tag good">{t('settings.channels.default')}</span>}</>) },
            { header: t('settings.channels.channel'), cell: (p) => t(`journeys.channels.${p.channel as 'email'}`, { defaultValue: p.channel }) },
            { header: t('settings.channels.kind'), cell: (p) => p.kind, secondary: true },
            ...(session.can('admin') ? [{ header: '', cell: (p: Provider) => <button type="button" className="button secondary small" onClick={() => setTesting(p)}>{t('settings.channels.sendTest')}</button> }] : []),
          ]}
          empty={
            <EmptyState title={t('settings.channels.empty')}>
              <p>{t('settings.channels.emptyBody')}</p>
            </EmptyState>
          }
        />
      </section>
      {testing && <SendTest provider={testing} onClose={() => setTesting(null)} />}
      {session.can('admin') && <AddProvider onAdded={() => setVersion((v) => v + 1)} />}
    </div>
  )
}

function SendTest({ provider, onClose }: { provider: Provider; onClose(): void }) {
  const { t } = useTranslation()
  const templates = useApi<Page<{ id: string; name: string }>>(provider.channel === 'email' ? null : '/templates', { limit: 200 })
  const [to, setTo] = useState('')
  const [templateId, setTemplateId] = useState('')
  const [result, setResult] = useState<{ kind: string; reason?: string; providerMessageId?: string } | null>(null)
  const [error, setError] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)
  const send = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    setResult(null)
    try {
      const answer = await api<{ result: { kind: string; reason?: string; providerMessageId?: string } }>(`/channels/providers/${provider.id}/test`, { method: 'POST', body: { to: to.trim(), ...(templateId ? { templateId } : {}) } })
      setResult(answer.result)
    } catch (failure) {
      setError(failure as ApiError)
    } finally {
      setBusy(false)
    }
  }
  return (
    <form className="panel" onSubmit={send} aria-labelledby="send-test-title">
      <div className="panel-head">
        <h2 id="send-test-title">{t('settings.channels.testTitle', { name: provider.name })}</h2>
        <button type="button" className="button secondary small" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
      <div className="field-row">
        <label className="field">
          <span>{t('settings.channels.to')}</span>
          <input value={to} onChange={(e) => setTo(e.target.value)} required placeholder={provider.channel === 'email' ? 'name@example.com' : provider.channel === 'sms' ? '+8613800138000' : 'openid'} />
        </label>
        {provider.channel !== 'email' && (
          <label className="field">
            <span>{t('settings.channels.template')}</span>
            <select value={templateId} onChange={(e) => setTemplateId(e.target.value)} required>
              <option value="">—</option>
              {templates.data?.items.map((tpl) => (
                <option key={tpl.id} value={tpl.id}>
                  {tpl.name}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <button type="submit" className="button" disabled={busy}>
        {busy ? t('settings.channels.sending') : t('settings.channels.sendTest')}
      </button>
      {error && <ErrorMessage error={error} />}
      {result && (
        <p className={result.kind === 'Sent' ? 'notice' : 'error-inline'} role="status">
          {result.kind === 'Sent' ? t('settings.channels.sent', { id: result.providerMessageId ?? '' }) : t('settings.channels.failed', { reason: result.reason ?? '' })}
        </p>
      )}
    </form>
  )
}

function AddProvider({ onAdded }: { onAdded(): void }) {
  const { t } = useTranslation()
  const [form, setForm] = useState({ name: '', kind: 'smtp' as (typeof KINDS)[number], settings: '{\n  "host": "smtp.example.com",\n  "port": 465,\n  "from": "和声优品 <news@example.com>"\n}', secrets: '{\n  "user": "",\n  "password": ""\n}', isDefault: true })
  const [error, setError] = useState<ApiError | null>(null)
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setError(null)
    let settings: unknown
    let secrets: unknown
    try {
      settings = JSON.parse(form.settings)
      secrets = JSON.parse(form.secrets || '{}')
    } catch {
      setError(new ApiError(400, 'BadJson', t('settings.channels.badJson')))
      return
    }
    try {
      await api('/channels/providers', { method: 'POST', body: { name: form.name.trim(), kind: form.kind, settings, secrets, isDefault: form.isDefault } })
      setForm({ ...form, name: '' })
      onAdded()
    } catch (failure) {
      setError(failure as ApiError)
    }
  }
  return (
    <form className="panel" onSubmit={submit}>
      <h2>{t('settings.channels.add')}</h2>
      {error && <ErrorMessage error={error} />}
      <div className="field-row">
        <label className="field">
          <span>{t('settings.channels.name')}</span>
          <input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} required />
        </label>
        <label className="field">
          <span>{t('settings.channels.kind')}</span>
          <select value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value as (typeof KINDS)[number] })}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="grid two">
        <label className="field">
          <span>{t('settings.channels.settings')}</span>
          <textarea rows={6} value={form.settings} onChange={(e) => setForm({ ...form, settings: e.target.value })} />
        </label>
        <label className="field">
          <span>{t('settings.channels.secrets')}</span>
          <textarea rows={6} value={form.secrets} onChange={(e) => setForm({ ...form, secrets: e.target.value })} />
        </label>
      </div>
      <label className="muted">
        <input type="checkbox" checked={form.isDefault} onChange={(e) => setForm({ ...form, isDefault: e.target.checked })} /> {t('settings.channels.makeDefault')}
      </label>
      <div>
        <button type="submit" className="button">
          {t('settings.channels.addButton')}
        </button>
      </div>
    </form>
  )
}
