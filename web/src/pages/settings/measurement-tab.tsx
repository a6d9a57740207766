import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ApiError } from '../../api/client.ts'
import { useApi } from '../../api/hooks.ts'
import { useSignedIn } from '../../api/session.tsx'
import { channelLabel } from '../../components/channel-icon.tsx'
import { EmptyState } from '../../components/empty-state.tsx'
import { ErrorMessage } from '../../components/error-message.tsx'
import { ListView } from '../../components/list-view.tsx'
import { RequireCapability } from '../../components/require-capability.tsx'

interface Condition {
  field: string
  op: 'in' | 'not_in' | 'matches' | 'domain' | 'exists' | 'absent'
  values?: string[]
}
interface Rule {
  position: number
  id: string
  name: string
  when: Condition[]
  exclude: boolean
  channel?: string
  group?: string
}
interface Conversion {
  key: string
  name: string
  events: string[]
  lookbackDays: number
  value: { from: string }
  builtIn: boolean
}

/** Channel grouping rules and conversion definitions (measurement settings). */
export function MeasurementTab({ kind }: { kind: 'grouping' | 'conversions' }) {
  const { t } = useTranslation()
  return kind === 'grouping' ? (
    <RequireCapability path="/measurement/channel-rules" capability={t('capabilities.grouping')}>
      <ChannelRules />
    </RequireCapability>
  ) : (
    <RequireCapability path="/measurement/conversions" capability={t('capabilities.conversions')}>
      <Conversions />
    </RequireCapability>
  )
}

function conditionText(c: Condition): string {
  return `${c.field} ${c.op}${c.values ? ` ${c.values.join(' | ')}` : ''}`
}

function ChannelRules() {
  const { t } = useTranslation()
  const session = useSignedIn()
  const [version, setVersion] = useState(0)
  const [group, setGroup] = useState('')
  const meta = useApi<{ groups: string[]; fields: string[]; isDefault: boolean; version: number }>('/measurement/channel-rules', { limit: 1 }, version)
  const [error, setError] = useState<ApiError | null>(null)
  const [sample, setSample] = useState('{"type":"page","context":{"page":{"url":"https://shop.example.com/?utm_source=douyin&utm_medium=cpc"}}}')
  const [preview, setPreview] = useState<Record<string, unknown> | null>(null)
  const editable = session.can('write')
  const act = async (work: () => Promise<unknown>) => {
    setError(null)
    try {
      await work()
      setVersion((v) => v + 1)
    } catch (failure) {
      setError(failure as ApiError)
    }
  }
  const move = (rule: Rule, by: number) => act(() => api(`/measurement/channel-rules/${encodeURIComponent(rule.id)}`, { method: 'PUT', body: { ...rule, position: rule.position + by, version: meta.data?.version } }))
  const remove = (rule: Rule) => act(() => api(`/measurement/channel-rules/${encodeURIComponent(rule.id)}`, { method: 'DELETE' }))
  const reset = () => act(() => api('/measurement/channel-rules/reset', { method: 'POST' }))
  const classify = async () => {
    setError(null)
    try {
      setPreview(await api('/measurement/channel-rules/preview', { method: 'POST', body: { event: JSON.parse(sample) } }))
    } catch (failure) {
      if (failure instanceof SyntaxError) setError(new ApiError(400, 'BadJson', t('settings.grouping.badJson')))
      else setError(failure as ApiError)
    }
  }
  return (
    <div className="grid">
      <section className="panel">
        <div className="panel-head">
          <h2>{t('settings.grouping.title')}</h2>
          {editable && meta.data && !meta.data.isDefault && (
            <button type="button" className="button secondary small" onClick={() => void reset()}>
              {t('settings.grouping.reset')}
            </button>
          )}
        </div>
        <p className="muted">{t('settings.grouping.intro')}</p>
        {error && <ErrorMessage error={error} />}
        <ListView<Rule>
          path="/measurement/channel-rules"
          version={version}
          limit={50}
          searchLabel={t('settings.grouping.search')}
          localFilter={{ active: group !== '', match: (r, q) => (!group || r.group === group) && (!q || `${r.name} ${r.channel ?? ''} ${r.id}`.toLowerCase().includes(q)) }}
          filters={
            <select aria-label={t('settings.grouping.group')} value={group} onChange={(e) => setGroup(e.target.value)}>
              <option value="">{t('settings.grouping.anyGroup')}</option>
              {meta.data?.groups.map((g) => (
                <option key={g} value={g}>
                  {g}
                </option>
              ))}
            </select>
          }
          rowKey={(r) => r.id}
          columns={[
            { header: '#', cell: (r) => r.position },
            { header: t('settings.grouping.rule'), cell: (r) => (<><strong>{r.name}</strong><div className="muted">{r.when.map(conditionText).join(' · ') || t('settings.grouping.always')}</div></>) },
            { header: t('settings.grouping.channel'), cell: (r) => (r.exclude ? <span className="tag warn">{t('settings.grouping.excluded')}</span> : channelLabel(t, r.channel)) },
            { header: t('settings.grouping.group'), cell: (r) => r.group ?? '—', secondary: true },
            ...(editable
              ? [
                  {
                    header: '',
                    cell: (r: Rule) => (
                      <span style={{ whiteSpace: 'nowrap' }}>
                        <button type="button" className="button secondary small" aria-label={t('settings.grouping.moveUp', { name: r.name })} disabled={r.position === 1} onClick={() => void move(r, -1)}>
                          ↑
                        </button>{' '}
                        <button type="button" className="button secondary small" aria-label={t('settings.grouping.moveDown', { name: r.name })} onClick={() => void move(r, 1)}>
                          ↓
                        </button>{' '}
                        <button type="button" className="button secondary small" onClick={() => void remove(r)}>
                          {t('common.delete')}
                        </button>
                      </span>
                    ),
                  },
                ]
              : []),
          ]}
          empty={
            <EmptyState title={t('settings.grouping.empty')}>
              <p>{t('settings.grouping.emptyBody')}</p>
            </EmptyState>
          }
        />
      </section>
      <section className="panel">
        <h2>{t('settings.grouping.tryTitle')}</h2>
        <label className="field">
          <span>{t('settings.grouping.sample')}</span>
          <textarea rows={3} value={sample} onChange={(e) => setSample(e.target.value)} />
        </label>
        <button type="button" className="button secondary" onClick={() => void classify()}>
          {t('settings.grouping.classify')}
        </button>
        {preview && (
          <p className="notice" role="status">
            {preview.touchpoint ? t('settings.grouping.result', { channel: String(preview.channel), group: String(preview.group) }) : String(preview.reason)}
          </p>
        )}
      </section>
    </div>
  )
}

function Conversions() {
  const { t } = useTranslation()
  const session = useSignedIn()
  const [version, setVersion] = useState(0)
  const [error, setError] = useState<ApiError | null>(null)
  const [form, setForm] = useState({ key: '', name: '', events: '', lookbackDays: 30 })
  const create = async (event: FormEvent) => {
    event.preventDefault()
    setError(null)
    try {
      await api(`/measurement/conversions/${encodeURIComponent(form.key.trim())}`, {
        method: 'PUT',
        body: { key: form.key.trim(), name: form.name.trim(), events: form.events.split(/[,，\n]/).map((e) => e.trim()).filter(Boolean), lookbackDays: form.lookbackDays },
      })
      setForm({ key: '', name: '', events: '', lookbackDays: 30 })
      setVersion((v) => v + 1)
    } catch (failure) {
      setError(failure as ApiError)
    }
  }
  const remove = async (c: Conversion) => {
    setError(null)
    try {
      await api(`/measurement/conversions/${encodeURIComponent(c.key)}`, { method: 'DELETE' })
      setVersion((v) => v + 1)
    } catch (failure) {
      setError(failure as ApiError)
    }
  }
  return (
    <div className="grid">
      <section className="panel">
        <h2>{t('settings.conversions.title')}</h2>
        <p className="muted">{t('settings.conversions.intro')}</p>
        {error && <ErrorMessage error={error} />}
        <ListView<Conversion>
          path="/measurement/conversions"
          version={version}
          searchLabel={t('settings.conversions.search')}
          localFilter={{ active: false, match: (c, q) => !q || `${c.key} ${c.name} ${c.events.join(' ')}`.toLowerCase().includes(q) }}
          rowKey={(c) => c.key}
          columns={[
            { header: t('settings.conversions.name'), cell: (c) => (<><strong>{c.name}</strong> <code>{c.key}</code>{c.builtIn && <span className="tag">{t('settings.conversions.builtIn')}</span>}</>) },
            { header: t('settings.conversions.events'), cell: (c) => c.events.join(', ') },
            { header: t('settings.conversions.lookback'), cell: (c) => t('settings.conversions.days', { count: c.lookbackDays }), secondary: true },
            ...(session.can('delete') ? [{ header: '', cell: (c: Conversion) => !c.builtIn && <button type="button" className="button secondary small" onClick={() => void remove(c)}>{t('common.delete')}</button> }] : []),
          ]}
          empty={<EmptyState title={t('settings.conversions.empty')} />}
        />
      </section>
      {session.can('write') && (
        <form className="panel" onSubmit={create}>
          <h2>{t('settings.conversions.add')}</h2>
          <div className="field-row">
            <label className="field">
              <span>{t('settings.conversions.key')}</span>
              <input value={form.key} onChange={(e) => setForm({ ...form, key: e.target.value })} required pattern="[a-z0-9_\-]+" placeholder="signup" />
            </label>
            <label className="field">
              <span>{t('settings.conversions.name')}</span>
              <input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} required />
            </label>
            <label className="field">
              <span>{t('settings.conversions.events')}</span>
              <input value={form.events} onChange={(e) => setForm({ ...form, events: e.target.value })} required placeholder="Signed Up" />
            </label>
            <label className="field">
              <span>{t('settings.conversions.lookback')}</span>
              <input type="number" min={1} max={365} value={form.lookbackDays} onChange={(e) => setForm({ ...form, lookbackDays: Number(e.target.value) || 30 })} />
            </label>
          </div>
          <button type="submit" className="button">
            {t('settings.conversions.save')}
          </button>
        </form>
      )}
    </div>
  )
}
