import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ApiError } from '../../api/client.ts'
import { useApi, useDebounced } from '../../api/hooks.ts'
import { useSignedIn } from '../../api/session.tsx'
import { channelLabel } from '../../components/channel-icon.tsx'
import { ErrorMessage } from '../../components/error-message.tsx'
import { Kpi } from '../../components/kpi.tsx'
import { Spinner } from '../../components/progress.tsx'
import { useFormat } from '../../format/use-format.ts'
import type { Campaign, Lesson, Retrospective } from './types.ts'

/**
 * Stage 5 — review: goals achieved or missed and by how much, channel return, journeys, content
 * consistency, plan changes and alerts; lessons recorded, and the knowledge base of lessons from
 * every campaign searched in Chinese and English.
 */
export function ReviewStep({ campaign }: { campaign: Campaign }) {
  const { t } = useTranslation()
  const format = useFormat()
  const session = useSignedIn()
  const [version, setVersion] = useState(0)
  const review = useApi<Retrospective>(`/campaigns/${campaign.id}/review`, undefined, version)
  const [lesson, setLesson] = useState({ title: '', body: '' })
  const [error, setError] = useState<ApiError | null>(null)
  const [q, setQ] = useState('')
  const settled = useDebounced(q.trim(), 300)
  const search = useApi<{ items: Array<{ lesson: Lesson; snippet: string }> }>(settled ? '/lessons/search' : null, { q: settled, limit: 10 })
  const suggested = useApi<{ items: Array<{ lesson: Lesson }> }>(`/campaigns/${campaign.id}/lessons/suggested`)
  const r = review.data
  const addLesson = async (event: FormEvent) => {
    event.preventDefault()
    setError(null)
    try {
      await api(`/campaigns/${campaign.id}/lessons`, { method: 'POST', body: lesson })
      setLesson({ title: '', body: '' })
      setVersion((v) => v + 1)
    } catch (failure) {
      setError(failure as ApiError)
    }
  }
  return (
    <>
      {review.error && <ErrorMessage error={review.error} onRetry={review.reload} />}
      {!r && !review.error && <Spinner label={t('campaigns.review.generating')} />}
      {r && (
        <section className="panel" data-testid="review">
          <div className="panel-head">
            <h2>{t('campaigns.review.title')}</h2>
            <span>
              <a className="button secondary small" href={`/api/v1/campaigns/${campaign.id}/review.md`} download>
                Markdown
              </a>{' '}
              <a className="button secondary small" href={`/api/v1/campaigns/${campaign.id}/review.pdf`} download>
                PDF
              </a>
            </span>
          </div>
          <p className="muted">{r.finished ? t('campaigns.review.final', { when: format.dateTime(r.generatedAt) }) : t('campaigns.review.interim', { when: format.dateTime(r.generatedAt) })}</p>
          <div className="kpis">
            <Kpi label={t('campaigns.metrics.revenue')} value={format.moneyCompact(r.kpis.revenueMinor, campaign.currency)} />
            <Kpi label={t('campaigns.metrics.conversions')} value={format.number(r.kpis.conversions)} />
            <Kpi label={t('campaigns.metrics.new_customers')} value={format.number(r.kpis.newCustomers)} />
            <Kpi label="ROI" value={r.kpis.roi === null ? '—' : format.percent(r.kpis.roi)} />
          </div>
          <h3>{t('campaigns.review.goals')}</h3>
          <ul className="findings">
            {r.goals.map((g) => (
              <li key={g.goalId} className={g.verdict === 'missed' ? 'error' : undefined}>
                <span className={`tag ${g.verdict === 'achieved' ? 'good' : g.verdict === 'missed' ? 'bad' : ''}`}>{t(`campaigns.verdicts.${g.verdict}`)}</span> {g.statement}
                {g.differenceShare !== null && <span className="muted"> ({format.signedPercent(g.differenceShare)})</span>}
              </li>
            ))}
          </ul>
          <h3>{t('campaigns.review.channels')}</h3>
          {r.channels.available ? (
            <ul className="findings">
              {r.channels.rows.map((c) => (
                <li key={c.channel}>
                  {channelLabel(t, c.channel)}: {format.money(c.revenueMinor, campaign.currency)}
                  {c.roas !== null && ` · ROAS ${format.number(c.roas, 2)}`}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">{r.channels.note}</p>
          )}
          <h3>{t('campaigns.review.journeys')}</h3>
          {r.journeys.available && r.journeys.items.length > 0 ? (
            <ul className="findings">
              {r.journeys.items.map((j) => (
                <li key={j.journeyId}>{t('campaigns.review.journeyLine', { name: j.name, entered: j.entered, converted: j.converted })}</li>
              ))}
            </ul>
          ) : (
            <p className="muted">{r.journeys.note}</p>
          )}
          <h3>{t('campaigns.review.content')}</h3>
          <p className="muted">{r.content.available ? t('campaigns.review.contentLine', { score: r.content.score ?? '—', missing: r.content.pillarsMissing.join('、') || '—' }) : r.content.note}</p>
          <h3>{t('campaigns.review.changes', { count: r.changes.length })}</h3>
          <h3>{t('campaigns.review.alerts', { count: r.alerts.length })}</h3>
          <ul className="findings">
            {r.alerts.map((a) => (
              <li key={a.id}>
                {a.message} <span className="tag">{a.status}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <div className="grid two">
        <section className="panel">
          <h2>{t('campaigns.review.lessons')}</h2>
          {error && <ErrorMessage error={error} />}
          <ul className="findings">
            {r?.lessons.map((l) => (
              <li key={l.id}>
                <strong>{l.title}</strong>
                <div className="muted">{l.body}</div>
              </li>
            ))}
          </ul>
          {session.can('write') && (
            <form onSubmit={addLesson}>
              <label className="field">
                <span>{t('campaigns.review.lessonTitle')}</span>
                <input value={lesson.title} onChange={(e) => setLesson({ ...lesson, title: e.target.value })} required />
              </label>
              <label className="field">
                <span>{t('campaigns.review.lessonBody')}</span>
                <textarea rows={3} value={lesson.body} onChange={(e) => setLesson({ ...lesson, body: e.target.value })} required />
              </label>
              <button type="submit" className="button">
                {t('campaigns.review.addLesson')}
              </button>
            </form>
          )}
        </section>
        <section className="panel">
          <h2>{t('campaigns.review.knowledge')}</h2>
          <input type="search" className="search" style={{ width: '100%' }} aria-label={t('campaigns.review.searchLessons')} placeholder={t('campaigns.review.searchLessons')} value={q} onChange={(e) => setQ(e.target.value)} />
          <ul className="findings">
            {(settled ? (search.data?.items ?? []) : (suggested.data?.items ?? [])).map(({ lesson: l }) => (
              <li key={l.id}>
                <strong>{l.title}</strong>
                <div className="muted">{l.body}</div>
              </li>
            ))}
          </ul>
          {settled && search.data?.items.length === 0 && <p className="muted">{t('content.noResults')}</p>}
          {!settled && <p className="muted">{t('campaigns.review.suggested')}</p>}
        </section>
      </div>
    </>
  )
}
