import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ApiError } from '../../api/client.ts'
import { useApi } from '../../api/hooks.ts'
import { useSignedIn } from '../../api/session.tsx'
import { ErrorMessage } from '../../components/error-message.tsx'
import { Spinner } from '../../components/progress.tsx'
import { useFormat } from '../../format/use-format.ts'
import { ConsistencyHighlighter } from './consistency-highlighter.tsx'
import { PreviewPanel } from './preview-panel.tsx'
import { scoreClass } from './score.ts'
import type { ChannelProfileView, ReviewEvent, Stage, VariantView } from './types.ts'

/**
 * One cell of the matrix: write the copy for a channel and stage, see its problems in place,
 * move it through review (submit → approve or reject → publish), and preview it for a person.
 */
export function VariantPanel(props: { houseId: string; channel: string; stage: Stage; variantId: string | null; profile: ChannelProfileView | undefined; onSaved(): void; onClose(): void }) {
  const { t } = useTranslation()
  const format = useFormat()
  const session = useSignedIn()
  const [version, setVersion] = useState(0)
  const loaded = useApi<VariantView>(props.variantId ? `/content/variants/${props.variantId}` : null, undefined, version)
  const history = useApi<{ items: ReviewEvent[] }>(props.variantId ? `/content/variants/${props.variantId}/history` : null, undefined, version)
  const [fields, setFields] = useState<Record<string, string>>({})
  const [hashtags, setHashtags] = useState('')
  const [comment, setComment] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const variant = loaded.data

  useEffect(() => {
    setFields(variant?.fields ?? {})
    setHashtags((variant?.hashtags ?? []).join(' '))
  }, [variant])

  const fieldNames = [...new Set([...(props.profile?.profile.fields ?? ['title', 'body']), ...Object.keys(fields)])]
  const run = async (work: () => Promise<unknown>) => {
    setBusy(true)
    setError(null)
    try {
      await work()
      setVersion((v) => v + 1)
      props.onSaved()
    } catch (failure) {
      setError(failure as ApiError)
    } finally {
      setBusy(false)
    }
  }
  const save = () =>
    run(() =>
      api<VariantView>(`/content/houses/${props.houseId}/matrix/${encodeURIComponent(props.channel)}/${props.stage}`, {
        method: 'PUT',
        body: {
          fields: Object.fromEntries(Object.entries(fields).filter(([, v]) => v.trim() !== '')),
          hashtags: hashtags.split(/[\s,，#]+/).map((h) => h.trim()).filter(Boolean),
          ...(variant ? { baseVersion: variant.currentVersion } : {}),
        },
      }),
    )
  const step = (action: 'submit' | 'approve' | 'reject' | 'publish') =>
    run(async () => {
      await api(`/content/variants/${variant!.id}/${action}`, { method: 'POST', body: { version: variant!.currentVersion, ...(comment.trim() ? { comment: comment.trim() } : {}) } })
      setComment('')
    })

  const report = variant?.check.report
  const canWrite = session.can('write')
  const canReview = session.can('review')
  return (
    <aside className="panel" aria-labelledby="variant-title">
      <div className="panel-head">
        <h2 id="variant-title">
          {props.profile?.profile.name ?? props.channel} · {t(`content.stages.${props.stage}`)}
        </h2>
        <button type="button" className="button secondary small" onClick={props.onClose}>
          {t('common.close')}
        </button>
      </div>
      {loaded.loading && !variant && props.variantId && <Spinner label={t('common.loading')} />}
      {error && <ErrorMessage error={error} />}
      {variant && (
        <p>
          <span className={`tag ${variant.state === 'approved' || variant.state === 'published' ? 'good' : variant.state === 'in_review' ? 'warn' : ''}`}>{t(`content.states.${variant.state}`)}</span> v{variant.currentVersion}
          {variant.check.score !== null && (
            <>
              {' · '}
              {t('content.score')} <span className={`score ${scoreClass(variant.check.score)}`} data-testid="variant-score">{variant.check.score}</span>
            </>
          )}
        </p>
      )}
      <fieldset disabled={!canWrite || busy} style={{ border: 0, padding: 0, margin: 0 }}>
        {fieldNames.map((name) => (
          <label key={name} className="field">
            <span>{t(`content.fields.${name}`, { defaultValue: name })}</span>
            <textarea rows={name === 'body' ? 5 : 2} value={fields[name] ?? ''} onChange={(e) => setFields({ ...fields, [name]: e.target.value })} />
          </label>
        ))}
        <label className="field">
          <span>{t('content.hashtags')}</span>
          <input value={hashtags} onChange={(e) => setHashtags(e.target.value)} />
        </label>
        {canWrite && (
          <button type="button" className="button" onClick={() => void save()} disabled={Object.values(fields).every((v) => !v.trim())}>
            {variant ? t('content.saveVersion') : t('content.createVariant')}
          </button>
        )}
      </fieldset>
      {variant && report && (
        <>
          <h3 style={{ marginTop: 16 }}>{t('content.checks')}</h3>
          <ConsistencyHighlighter fields={variant.fields} order={props.profile?.profile.fields} items={report.items} pillars={report.pillars} />
        </>
      )}
      {variant && (
        <div style={{ marginTop: 16 }}>
          <h3>{t('content.review')}</h3>
          {(canReview || canWrite) && (
            <label className="field">
              <span>{t('content.comment')}</span>
              <input value={comment} onChange={(e) => setComment(e.target.value)} placeholder={t('content.commentHint')} />
            </label>
          )}
          <div className="page-actions">
            {variant.state === 'draft' && canWrite && (
              <button type="button" className="button" disabled={busy} onClick={() => void step('submit')}>
                {t('content.actions.submit')}
              </button>
            )}
            {variant.state === 'in_review' && canReview && (
              <>
                <button type="button" className="button" disabled={busy || variant.check.blocks > 0} onClick={() => void step('approve')} title={variant.check.blocks > 0 ? t('content.blockedApproval') : undefined}>
                  {t('content.actions.approve')}
                </button>
                <button type="button" className="button secondary" disabled={busy || !comment.trim()} onClick={() => void step('reject')}>
                  {t('content.actions.reject')}
                </button>
              </>
            )}
            {variant.state === 'approved' && canWrite && (
              <button type="button" className="button" disabled={busy} onClick={() => void step('publish')}>
                {t('content.actions.publish')}
              </button>
            )}
          </div>
          {variant.state === 'in_review' && !canReview && <p className="muted">{t('content.waitingForReviewer')}</p>}
          <ol className="findings">
            {history.data?.items.map((e) => (
              <li key={e.id}>
                {t(`content.history.${e.action as 'submit'}`, { defaultValue: e.action })} · v{e.version} · {e.actorName ?? e.actor} ({t(`roles.${e.role as 'admin'}`, { defaultValue: e.role })}) · {format.relative(e.at)}
                {e.comment && <div className="muted">“{e.comment}”</div>}
              </li>
            ))}
          </ol>
        </div>
      )}
      {variant && <PreviewPanel variant={variant} />}
    </aside>
  )
}
