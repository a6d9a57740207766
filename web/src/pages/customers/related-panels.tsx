import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, type Page } from '../../api/client.ts'
import { useCapabilities } from '../../api/capabilities.tsx'
import { useApi } from '../../api/hooks.ts'
import { Link } from '../../components/link.tsx'
import { Spinner } from '../../components/progress.tsx'
import { Unavailable } from '../../components/unavailable.tsx'
import { useFormat } from '../../format/use-format.ts'

interface Consent {
  doNotContact: { reason: string; since: string } | null
  channels: Record<string, { state: string; source: string | null; updatedAt: string | null }>
}

interface Run {
  id: string
  state: string
  nodeId: string
  enteredAt: string
  convertedAt: string | null
}

/** How many journeys are searched for the person's runs (newest first). */
const JOURNEYS_SEARCHED = 20

/**
 * What other modules know about the person — journeys, consent, predicted scores, audiences —
 * each shown when this installation has its API, and saying what is missing when not.
 */
export function RelatedPanels({ profileId }: { profileId: string }) {
  const { t } = useTranslation()
  const caps = useCapabilities()
  if (!caps.loaded) return <Spinner label={t('common.loading')} />
  return (
    <div className="grid two">
      <section className="panel">
        <h2>{t('customer.journeys')}</h2>
        {caps.has('GET', '/journeys/:id/runs') ? <PersonJourneys profileId={profileId} /> : <Unavailable capability={t('capabilities.journeys')} api="GET /api/v1/journeys/{id}/runs" />}
      </section>
      <section className="panel">
        <h2>{t('customer.consent')}</h2>
        {caps.has('GET', '/channels/consents/:profileId') ? <PersonConsent profileId={profileId} /> : <Unavailable capability={t('capabilities.consent')} api="GET /api/v1/channels/consents/{profileId}" />}
      </section>
      <section className="panel">
        <h2>{t('customer.scores')}</h2>
        {caps.has('GET', '/measurement/scores/profiles/:id') ? <PersonScores profileId={profileId} /> : <Unavailable capability={t('capabilities.scores')} api="GET /api/v1/measurement/scores/profiles/{id}" />}
      </section>
      <section className="panel">
        <h2>{t('customer.audiences')}</h2>
        {caps.has('GET', '/profiles/:id/audiences') ? <PersonAudiences profileId={profileId} /> : <Unavailable capability={t('customer.audienceMembership')} api="GET /api/v1/profiles/{id}/audiences" />}
      </section>
    </div>
  )
}

function PersonJourneys({ profileId }: { profileId: string }) {
  const { t } = useTranslation()
  const format = useFormat()
  const [runs, setRuns] = useState<Array<Run & { journeyId: string; journeyName: string }> | null>(null)
  useEffect(() => {
    let cancelled = false
    void (async () => {
      const journeys = await api<Page<{ id: string; name: string }>>('/journeys', { query: { limit: JOURNEYS_SEARCHED } })
      const found = await Promise.all(
        journeys.items.map(async (j) => (await api<Page<Run>>(`/journeys/${j.id}/runs`, { query: { profileId, limit: 5 } })).items.map((r) => ({ ...r, journeyId: j.id, journeyName: j.name }))),
      )
      if (!cancelled) setRuns(found.flat())
    })().catch(() => !cancelled && setRuns([]))
    return () => {
      cancelled = true
    }
  }, [profileId])
  if (!runs) return <Spinner label={t('common.loading')} />
  if (runs.length === 0) return <p className="muted">{t('customer.notInJourneys')}</p>
  return (
    <ul className="findings">
      {runs.map((r) => (
        <li key={r.id}>
          <Link to={`/journeys/${r.journeyId}`}>{r.journeyName}</Link> · {t(`journeys.runs.states.${r.state as 'active'}`, { defaultValue: r.state })} · {r.nodeId} · {format.relative(r.enteredAt)}
          {r.convertedAt && <span className="tag good">{t('journeys.metrics.converted')}</span>}
        </li>
      ))}
    </ul>
  )
}

function PersonConsent({ profileId }: { profileId: string }) {
  const { t } = useTranslation()
  const format = useFormat()
  const consent = useApi<Consent>(`/channels/consents/${encodeURIComponent(profileId)}`)
  if (!consent.data) return consent.loading ? <Spinner label={t('common.loading')} /> : null
  const c = consent.data
  return (
    <>
      {c.doNotContact && <p className="error-inline">{t('customer.doNotContact', { reason: c.doNotContact.reason, since: format.date(c.doNotContact.since) })}</p>}
      <dl className="dl">
        {Object.entries(c.channels).map(([channel, record]) => (
          <div key={channel} style={{ display: 'contents' }}>
            <dt>{t(`journeys.channels.${channel as 'email'}`, { defaultValue: channel })}</dt>
            <dd>
              <span className={record.state === 'granted' || record.state === 'subscribed' ? 'tag good' : record.state === 'unknown' ? 'tag' : 'tag bad'}>{t(`customer.consentStates.${record.state as 'unknown'}`, { defaultValue: record.state })}</span>
              {record.updatedAt && <span className="muted"> {format.relative(record.updatedAt)}</span>}
            </dd>
          </div>
        ))}
      </dl>
    </>
  )
}

function PersonScores({ profileId }: { profileId: string }) {
  const { t } = useTranslation()
  const format = useFormat()
  const scores = useApi<{ scores: Record<string, { score: number; computedAt: string }> }>(`/measurement/scores/profiles/${encodeURIComponent(profileId)}`)
  if (!scores.data) return scores.loading ? <Spinner label={t('common.loading')} /> : null
  const entries = Object.entries(scores.data.scores)
  if (entries.length === 0) return <p className="muted">{t('customer.noScores')}</p>
  return (
    <dl className="dl">
      {entries.map(([kind, s]) => (
        <div key={kind} style={{ display: 'contents' }}>
          <dt>{t(`customer.scoreKinds.${kind as 'churn'}`, { defaultValue: kind })}</dt>
          <dd>
            {kind === 'predicted_ltv' ? format.money(s.score) : format.percent(s.score)} <span className="muted">· {format.relative(s.computedAt)}</span>
          </dd>
        </div>
      ))}
    </dl>
  )
}

function PersonAudiences({ profileId }: { profileId: string }) {
  const { t } = useTranslation()
  const audiences = useApi<{ items: Array<{ id: string; name: string; enteredAt: string }> }>(`/profiles/${encodeURIComponent(profileId)}/audiences`)
  if (!audiences.data) return audiences.loading ? <Spinner label={t('common.loading')} /> : null
  if (audiences.data.items.length === 0) return <p className="muted">{t('customer.notInAudiences')}</p>
  return (
    <ul className="findings">
      {audiences.data.items.map((a) => (
        <li key={a.id}>
          <Link to={`/audiences/${a.id}`}>{a.name}</Link>
        </li>
      ))}
    </ul>
  )
}
