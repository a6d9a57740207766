import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ApiError } from '../../api/client.ts'
import { useApi } from '../../api/hooks.ts'
import { ErrorMessage } from '../../components/error-message.tsx'
import { Spinner } from '../../components/progress.tsx'
import { useFormat } from '../../format/use-format.ts'
import type { Audience } from '../audiences/types.ts'
import type { Broadcast } from './broadcast-types.ts'

const CHANNELS = ['sms', 'email', 'wechat', 'wechat_mini', 'wecom', 'inbox', 'webhook'] as const

/** One message to an audience, now or at a time; the server applies quiet hours and caps. */
export function NewBroadcast({ onCancel, onCreated }: { onCancel(): void; onCreated(b: Broadcast): void }) {
  const { t } = useTranslation()
  const format = useFormat()
  const audiences = useApi<{ items: Audience[] }>('/audiences', { limit: 200 })
  const [name, setName] = useState('')
  const [audienceId, setAudienceId] = useState('')
  const [channel, setChannel] = useState<(typeof CHANNELS)[number]>('sms')
  const [category, setCategory] = useState<'marketing' | 'transactional'>('marketing')
  const [subject, setSubject] = useState('')
  const [text, setText] = useState('')
  const [when, setWhen] = useState<'now' | 'at'>('now')
  const [at, setAt] = useState('')
  const [rate, setRate] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const created = await api<Broadcast>('/broadcasts', {
        method: 'POST',
        body: {
          name: name.trim(),
          audienceId,
          channel,
          category,
          message: { text, ...(channel === 'email' && subject.trim() ? { subject: subject.trim() } : {}) },
          // The picker gives a wall-clock time in the browser's zone; send it as an instant.
          ...(when === 'at' && at ? { schedule: { at: new Date(at).toISOString() } } : {}),
          ...(rate ? { rateLimit: { perSecond: Number(rate) } } : {}),
        },
      })
      onCreated(created)
    } catch (failure) {
      setError(failure as ApiError)
    } finally {
      setBusy(false)
    }
  }

  if (audiences.error) return <ErrorMessage error={audiences.error} onRetry={audiences.reload} />
  if (!audiences.data) return <Spinner label={t('common.loading')} />
  const list = audiences.data.items
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="new-broadcast-title">
      <h2 id="new-broadcast-title">{t('broadcasts.new')}</h2>
      {list.length === 0 && <p className="muted">{t('broadcasts.noAudiences')}</p>}
      {error && <ErrorMessage error={error} />}
      <div className="field-row">
        <label className="field">
          <span>{t('broadcasts.name')}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
        </label>
        <label className="field">
          <span>{t('broadcasts.audience')}</span>
          <select value={audienceId} onChange={(e) => setAudienceId(e.target.value)} required>
            <option value="">{t('broadcasts.pickAudience')}</option>
            {list.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name} · {format.number(a.size)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('broadcasts.channel')}</span>
          <select value={channel} onChange={(e) => setChannel(e.target.value as (typeof CHANNELS)[number])}>
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {t(`journeys.channels.${c}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('broadcasts.category')}</span>
          <select value={category} onChange={(e) => setCategory(e.target.value as 'marketing' | 'transactional')}>
            <option value="marketing">{t('journeys.categories.marketing')}</option>
            <option value="transactional">{t('journeys.categories.transactional')}</option>
          </select>
        </label>
      </div>
      {channel === 'email' && (
        <label className="field">
          <span>{t('broadcasts.subject')}</span>
          <input value={subject} onChange={(e) => setSubject(e.target.value)} maxLength={200} />
        </label>
      )}
      <label className="field">
        <span>{t('broadcasts.text')}</span>
        <textarea value={text} onChange={(e) => setText(e.target.value)} required rows={3} aria-describedby="broadcast-text-hint" />
      </label>
      <p id="broadcast-text-hint" className="muted">
        <small>{t('broadcasts.textHint', { example: '{{ traits.name }}' })}</small>
      </p>
      <div className="field-row">
        <label className="field">
          <span>{t('broadcasts.when')}</span>
          <select value={when} onChange={(e) => setWhen(e.target.value as 'now' | 'at')}>
            <option value="now">{t('broadcasts.now')}</option>
            <option value="at">{t('broadcasts.at')}</option>
          </select>
        </label>
        {when === 'at' && (
          <label className="field">
            <span>{t('broadcasts.sendAt')}</span>
            <input type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} required />
          </label>
        )}
        <label className="field">
          <span>{t('broadcasts.rate')}</span>
          <input type="number" min={1} max={100000} value={rate} onChange={(e) => setRate(e.target.value)} />
        </label>
      </div>
      <div className="modal-actions">
        <button type="button" className="button secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="button" disabled={busy || list.length === 0}>
          {t('broadcasts.send')}
        </button>
      </div>
    </form>
  )
}
