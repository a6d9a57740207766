import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ApiError } from '../../api/client.ts'
import { useSignedIn } from '../../api/session.tsx'
import { EmptyState } from '../../components/empty-state.tsx'
import { ErrorMessage } from '../../components/error-message.tsx'
import { Link } from '../../components/link.tsx'
import { ListView } from '../../components/list-view.tsx'
import { RequireCapability } from '../../components/require-capability.tsx'
import { PageHeader } from '../../components/shell.tsx'
import { useFormat } from '../../format/use-format.ts'
import { navigate } from '../../router/router.ts'
import type { Campaign } from './types.ts'

/** Campaigns by status, searchable; a new one starts its five-stage plan. */
export default function CampaignsPage() {
  const { t } = useTranslation()
  const format = useFormat()
  const session = useSignedIn()
  const [status, setStatus] = useState('')
  const [creating, setCreating] = useState(false)
  return (
    <>
      <PageHeader
        title={t('campaigns.title')}
        subtitle={t('campaigns.subtitle')}
        actions={
          session.can('write') && (
            <button type="button" className="button" onClick={() => setCreating(true)}>
              {t('campaigns.new')}
            </button>
          )
        }
      />
      <RequireCapability path="/campaigns" capability={t('capabilities.campaigns')}>
        {creating && <NewCampaign onCancel={() => setCreating(false)} />}
        <ListView<Campaign>
          path="/campaigns"
          query={{ status: status || undefined }}
          searchLabel={t('campaigns.search')}
          localFilter={{ active: false, match: (c, q) => !q || `${c.name} ${c.brand}`.toLowerCase().includes(q) }}
          filters={
            <select aria-label={t('campaigns.status')} value={status} onChange={(e) => setStatus(e.target.value)}>
              <option value="">{t('campaigns.anyStatus')}</option>
              {(['planning', 'running', 'finished'] as const).map((s) => (
                <option key={s} value={s}>
                  {t(`campaigns.statuses.${s}`)}
                </option>
              ))}
            </select>
          }
          rowKey={(c) => c.id}
          onOpen={(c) => navigate(`/campaigns/${c.id}`)}
          columns={[
            { header: t('campaigns.name'), cell: (c) => (<><Link to={`/campaigns/${c.id}`}>{c.name}</Link><div className="muted">{c.brand}</div></>) },
            { header: t('campaigns.status'), cell: (c) => <span className={c.status === 'running' ? 'tag good' : 'tag'}>{t(`campaigns.statuses.${c.status}`)}</span> },
            { header: t('campaigns.dates'), cell: (c) => `${format.date(c.startsAt)} – ${format.date(c.endsAt)}` },
            { header: t('campaigns.budget'), cell: (c) => (c.plan.strategy.budget ? format.money(c.plan.strategy.budget.totalMinor, c.currency) : '—'), secondary: true },
          ]}
          empty={
            <EmptyState title={t('campaigns.emptyTitle')} action={session.can('write') && <button type="button" className="button" onClick={() => setCreating(true)}>{t('campaigns.new')}</button>}>
              <p>{t('campaigns.emptyBody')}</p>
            </EmptyState>
          }
        />
      </RequireCapability>
    </>
  )
}

function NewCampaign({ onCancel }: { onCancel(): void }) {
  const { t } = useTranslation()
  const [form, setForm] = useState({ name: '', brand: '', startsAt: '', endsAt: '' })
  const [error, setError] = useState<ApiError | null>(null)
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setError(null)
    try {
      const created = await api<Campaign>('/campaigns', { method: 'POST', body: form })
      navigate(`/campaigns/${created.id}`)
    } catch (failure) {
      setError(failure as ApiError)
    }
  }
  return (
    <form className="panel" onSubmit={submit}>
      <h2>{t('campaigns.new')}</h2>
      {error && <ErrorMessage error={error} />}
      <div className="field-row">
        <label className="field">
          <span>{t('campaigns.name')}</span>
          <input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} required />
        </label>
        <label className="field">
          <span>{t('campaigns.brand')}</span>
          <input value={form.brand} onChange={(e) => setForm({ ...form, brand: e.target.value })} required />
        </label>
        <label className="field">
          <span>{t('campaigns.starts')}</span>
          <input type="date" value={form.startsAt} onChange={(e) => setForm({ ...form, startsAt: e.target.value })} required />
        </label>
        <label className="field">
          <span>{t('campaigns.ends')}</span>
          <input type="date" value={form.endsAt} min={form.startsAt} onChange={(e) => setForm({ ...form, endsAt: e.target.value })} required />
        </label>
      </div>
      <div className="modal-actions">
        <button type="button" className="button secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="button">
          {t('common.create')}
        </button>
      </div>
    </form>
  )
}
