import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ApiError } from '../../api/client.ts'
import { useApi } from '../../api/hooks.ts'
import { useSignedIn } from '../../api/session.tsx'
import { EmptyState } from '../../components/empty-state.tsx'
import { ErrorMessage } from '../../components/error-message.tsx'
import { Link } from '../../components/link.tsx'
import { ListView } from '../../components/list-view.tsx'
import { Spinner } from '../../components/progress.tsx'
import { RequireCapability } from '../../components/require-capability.tsx'
import { PageHeader } from '../../components/shell.tsx'
import { useFormat } from '../../format/use-format.ts'
import { JourneyCanvas } from './canvas.tsx'
import { MetricsPanel } from './metrics-panel.tsx'
import { NodeEditor } from './node-editor.tsx'
import type { DefinitionProblem, JourneyDefinition, JourneyView, VersionMetrics } from './types.ts'

export default function JourneyPage({ params }: { params: Record<string, string> }) {
  const { t } = useTranslation()
  return (
    <RequireCapability path="/journeys" capability={t('capabilities.journeys')}>
      <Journey id={params.id!} />
    </RequireCapability>
  )
}

/**
 * One journey: the canvas of its current (or draft) version with per-step counts, side-panel
 * editing of the draft, versions, publish / pause / resume / archive, branch conversion, holdout
 * lift, and the runs.
 */
function Journey({ id }: { id: string }) {
  const { t } = useTranslation()
  const format = useFormat()
  const session = useSignedIn()
  const [reload, setReload] = useState(0)
  const journey = useApi<JourneyView>(`/journeys/${id}`, undefined, reload)
  const [viewVersion, setViewVersion] = useState<number | 'draft' | null>(null)
  const published = journey.data?.currentVersion ?? null
  const shownVersion = viewVersion === 'draft' ? null : (viewVersion ?? published)
  const metrics = useApi<VersionMetrics>(shownVersion !== null ? `/journeys/${id}/metrics` : null, { version: shownVersion ?? undefined }, reload)
  const versionDefinition = useApi<{ definition: JourneyDefinition }>(typeof viewVersion === 'number' && viewVersion !== published ? `/journeys/${id}/versions/${viewVersion}` : null)
  const [draft, setDraft] = useState<JourneyDefinition | null>(null)
  const [selected, setSelected] = useState<string | null>(null)
  const [problems, setProblems] = useState<DefinitionProblem[]>([])
  const [error, setError] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)
  const [runState, setRunState] = useState('')

  useEffect(() => {
    if (!journey.data) return
    setDraft(journey.data.draft ?? journey.data.definition)
    if (viewVersion === null && journey.data.currentVersion === null) setViewVersion('draft')
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [journey.data])

  if (journey.error) return <ErrorMessage error={journey.error} onRetry={journey.reload} />
  if (!journey.data || !draft) return <Spinner label={t('common.loading')} />
  const j = journey.data
  const editing = viewVersion === 'draft' || (viewVersion === null && published === null)
  const definition = editing ? draft : typeof viewVersion === 'number' && viewVersion !== published ? versionDefinition.data?.definition : (j.definition ?? draft)
  const canEdit = session.can('write') && j.status !== 'archived' && editing
  const selectedNode = definition?.nodes.find((n) => n.id === selected)

  const act = async (work: () => Promise<unknown>) => {
    setBusy(true)
    setError(null)
    setProblems([])
    try {
      await work()
      setReload((r) => r + 1)
    } catch (failure) {
      const apiError = failure as ApiError
      if (apiError.code === 'InvalidJourney' && Array.isArray(apiError.details)) setProblems(apiError.details as DefinitionProblem[])
      setError(apiError)
    } finally {
      setBusy(false)
    }
  }
  const saveDraft = () => act(() => api(`/journeys/${id}`, { method: 'PUT', body: { definition: draft } }))
  const publish = () =>
    act(async () => {
      if (j.draftVersion === null || JSON.stringify(draft) !== JSON.stringify(j.draft)) await api(`/journeys/${id}`, { method: 'PUT', body: { definition: draft } })
      await api(`/journeys/${id}/publish`, { method: 'POST' })
      setViewVersion(null)
    })
  const setStatus = (action: 'pause' | 'resume' | 'archive') => act(() => api(`/journeys/${id}/${action}`, { method: 'POST' }))

  return (
    <>
      <PageHeader
        title={j.name}
        subtitle={
          <>
            <Link to="/journeys">← {t('journeys.back')}</Link> · <span className="tag">{t(`journeys.statuses.${j.status}`)}</span>
          </>
        }
        actions={
          session.can('write') &&
          j.status !== 'archived' && (
            <>
              {j.status === 'published' && (
                <button type="button" className="button secondary" disabled={busy} onClick={() => void setStatus('pause')}>
                  {t('journeys.pause')}
                </button>
              )}
              {j.status === 'paused' && (
                <button type="button" className="button secondary" disabled={busy} onClick={() => void setStatus('resume')}>
                  {t('journeys.resume')}
                </button>
              )}
              <button type="button" className="button secondary" disabled={busy} onClick={() => void setStatus('archive')}>
                {t('journeys.archive')}
              </button>
            </>
          )
        }
      />
      {error && <ErrorMessage error={error} />}
      {problems.length > 0 && (
        <ul className="findings">
          {problems.map((p, i) => (
            <li key={i} className="error">
              {p.node && <code>{p.node}</code>} {p.message}
            </li>
          ))}
        </ul>
      )}
      <div className="toolbar">
        <select aria-label={t('journeys.version')} value={String(viewVersion ?? published ?? 'draft')} onChange={(e) => setViewVersion(e.target.value === 'draft' ? 'draft' : Number(e.target.value))}>
          {j.versions.map((v) => (
            <option key={v.version} value={v.state === 'draft' ? 'draft' : v.version}>
              v{v.version} · {t(`journeys.versionStates.${v.state}`)} · {format.date(v.publishedAt ?? v.createdAt)}
            </option>
          ))}
          {j.draftVersion === null && session.can('write') && j.status !== 'archived' && <option value="draft">{t('journeys.newDraft')}</option>}
        </select>
        {canEdit && (
          <>
            <button type="button" className="button secondary" disabled={busy} onClick={() => void saveDraft()}>
              {t('journeys.saveDraft')}
            </button>
            <button type="button" className="button" disabled={busy} onClick={() => void publish()}>
              {t('journeys.publish')}
            </button>
          </>
        )}
      </div>
      {definition ? (
        <div className="split">
          <JourneyCanvas definition={definition} metrics={editing ? null : (metrics.data?.nodes ?? null)} selected={selected} onSelect={setSelected} />
          <aside className="side-panel">
            {selectedNode ? (
              <NodeEditor
                node={selectedNode}
                definition={definition}
                readOnly={!canEdit}
                onChange={(next, select) => {
                  setDraft(next)
                  if (select) setSelected(select)
                }}
              />
            ) : (
              <p className="muted">{canEdit ? t('journeys.pickStepToEdit') : t('journeys.pickStep')}</p>
            )}
          </aside>
        </div>
      ) : (
        <Spinner label={t('common.loading')} />
      )}
      {!editing && metrics.data && <MetricsPanel metrics={metrics.data} />}
      {!editing && metrics.error && metrics.error.code !== 'NotPublished' && <ErrorMessage error={metrics.error} />}
      <section className="panel">
        <h2>{t('journeys.runs.title')}</h2>
        <ListView<{ id: string; profileId: string; version: number; state: string; nodeId: string; enteredAt: string; convertedAt: string | null; endReason: string | null }>
          path={`/journeys/${id}/runs`}
          version={reload}
          query={{ state: runState || undefined }}
          filters={
            <select aria-label={t('journeys.runs.state')} value={runState} onChange={(e) => setRunState(e.target.value)}>
              <option value="">{t('journeys.runs.anyState')}</option>
              {(['active', 'delayed', 'waiting', 'sending', 'held', 'paused', 'ended'] as const).map((s) => (
                <option key={s} value={s}>
                  {t(`journeys.runs.states.${s}`)}
                </option>
              ))}
            </select>
          }
          rowKey={(r) => r.id}
          columns={[
            { header: t('journeys.runs.person'), cell: (r) => <Link to={`/customers/${r.profileId}`}>{r.profileId}</Link> },
            { header: t('journeys.runs.state'), cell: (r) => t(`journeys.runs.states.${r.state as 'active'}`, { defaultValue: r.state }) },
            { header: t('journeys.runs.at'), cell: (r) => r.nodeId },
            { header: t('journeys.runs.entered'), cell: (r) => format.relative(r.enteredAt), secondary: true },
            { header: t('journeys.runs.converted'), cell: (r) => (r.convertedAt ? format.relative(r.convertedAt) : '—'), secondary: true },
          ]}
          empty={
            <EmptyState title={t('journeys.runs.empty')}>
              <p>{j.currentVersion === null ? t('journeys.runs.emptyDraft') : t('journeys.runs.emptyPublished')}</p>
            </EmptyState>
          }
        />
      </section>
    </>
  )
}
