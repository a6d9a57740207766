import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ApiError, type Page } from '../../api/client.ts'
import { useDebounced, useApi } from '../../api/hooks.ts'
import { useCapabilities } from '../../api/capabilities.tsx'
import { useSignedIn } from '../../api/session.tsx'
import { ErrorMessage } from '../../components/error-message.tsx'
import { Unavailable } from '../../components/unavailable.tsx'
import type { VariantView } from './types.ts'

interface Template {
  id: string
  name: string
}

interface Preview {
  channels: {
    email?: { html?: string; content: { subject?: string } }
    sms?: { counted: string; encoding: string; length: number; segments: number; perSegment: number; cnDomestic: { length: number; segments: number; perSegment: number } }
  }
}

/** Which delivery channel a content channel goes out on (only these two can be previewed). */
const DELIVERY: Record<string, 'sms' | 'email'> = { sms: 'sms', email: 'email' }

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** The variant as a channel template body (the template is what journeys and broadcasts send). */
export function templateFor(variant: VariantView, smsTemplateCode: string) {
  const f = variant.fields
  if (DELIVERY[variant.channel] === 'sms') return { sms: { text: `${f.body ?? ''}`, templateCode: smsTemplateCode.trim() } }
  const paragraphs = (f.body ?? '').split(/\n+/).filter(Boolean).map((p) => `<p>${escapeHtml(p)}</p>`).join('')
  const cta = f.cta ? `<p><a href="${escapeHtml(f.link ?? '#')}">${escapeHtml(f.cta)}</a></p>` : ''
  return { email: { subject: f.subject ?? f.title ?? '', html: `<!doctype html><html><body>${f.preheader ? `<div style="display:none">${escapeHtml(f.preheader)}</div>` : ''}${paragraphs}${cta}</body></html>` } }
}

/**
 * Preview for a chosen person: the variant is kept as a channel template named after it, and the
 * channels API renders that template for the person — SMS length and billed segments, the email
 * as the person will receive it (in a sandboxed frame that runs no script).
 */
export function PreviewPanel({ variant }: { variant: VariantView }) {
  const { t } = useTranslation()
  const caps = useCapabilities()
  const session = useSignedIn()
  const delivery = DELIVERY[variant.channel]
  const [q, setQ] = useState('')
  const settled = useDebounced(q.trim(), 300)
  const people = useApi<Page<{ id: string; displayName: string }>>(settled ? '/profiles' : null, { q: settled, limit: 5 })
  const [person, setPerson] = useState<{ id: string; displayName: string } | null>(null)
  const [code, setCode] = useState('')
  const [preview, setPreview] = useState<Preview | null>(null)
  const [error, setError] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)
  if (!delivery) return null
  if (!caps.has('POST', '/templates/:id/preview')) {
    return (
      <div style={{ marginTop: 16 }}>
        <h3>{t('content.preview.title')}</h3>
        <Unavailable capability={t('capabilities.channels')} api="POST /api/v1/templates/{id}/preview" />
      </div>
    )
  }
  const name = `content:${variant.id}`
  const render = async () => {
    setBusy(true)
    setError(null)
    try {
      const templates = await api<Page<Template>>('/templates', { query: { limit: 200 } })
      let template = templates.items.find((tpl) => tpl.name === name)
      const body = { name, description: t('content.preview.templateDescription'), variants: templateFor(variant, code || 'SMS_PREVIEW') }
      if (session.can('write')) {
        template = template ? await api<Template>(`/templates/${template.id}`, { method: 'PUT', body }) : await api<Template>('/templates', { method: 'POST', body })
      }
      if (!template) throw new ApiError(403, 'Forbidden', t('content.preview.needsWriter'))
      setPreview(await api<Preview>(`/templates/${template.id}/preview`, { method: 'POST', body: { profileId: person?.id, channels: [delivery] } }))
    } catch (failure) {
      setError(failure as ApiError)
    } finally {
      setBusy(false)
    }
  }
  return (
    <div style={{ marginTop: 16 }}>
      <h3>{t('content.preview.title')}</h3>
      <div className="field-row">
        <label className="field">
          <span>{t('content.preview.person')}</span>
          <input type="search" value={person ? person.displayName : q} onChange={(e) => { setPerson(null); setQ(e.target.value) }} placeholder={t('content.preview.personHint')} />
        </label>
        {delivery === 'sms' && (
          <label className="field">
            <span>{t('content.preview.smsCode')}</span>
            <input value={code} onChange={(e) => setCode(e.target.value)} placeholder="SMS_123456789" />
          </label>
        )}
      </div>
      {!person && settled && (
        <ul className="findings">
          {people.data?.items.map((p) => (
            <li key={p.id}>
              <button type="button" className="link-button" onClick={() => setPerson(p)}>
                {p.displayName}
              </button>
            </li>
          ))}
        </ul>
      )}
      <button type="button" className="button secondary" disabled={busy} onClick={() => void render()}>
        {t('content.preview.render')}
      </button>
      {error && <ErrorMessage error={error} />}
      {preview?.channels.sms && (
        <div className="notice" data-testid="sms-preview">
          <p>{preview.channels.sms.counted}</p>
          <p>
            {t('content.preview.smsSegments', {
              length: preview.channels.sms.cnDomestic.length,
              segments: preview.channels.sms.cnDomestic.segments,
              perSegment: preview.channels.sms.cnDomestic.perSegment,
            })}
          </p>
        </div>
      )}
      {preview?.channels.email?.html && (
        <>
          <p>
            <strong>{preview.channels.email.content.subject}</strong>
          </p>
          <iframe className="email-preview" title={t('content.preview.email')} sandbox="" srcDoc={preview.channels.email.html} />
        </>
      )}
    </div>
  )
}
