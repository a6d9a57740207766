import { useCallback, useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ApiError } from '../../api/client.ts'
import { useApi } from '../../api/hooks.ts'
import { useSignedIn } from '../../api/session.tsx'
import { ConfirmDialog } from '../../components/confirm-dialog.tsx'
import { ErrorMessage } from '../../components/error-message.tsx'
import { Link } from '../../components/link.tsx'
import { Spinner } from '../../components/progress.tsx'
import { RequireCapability } from '../../components/require-capability.tsx'
import { PageHeader } from '../../components/shell.tsx'
import { navigate } from '../../router/router.ts'
import { EstimatePanel } from './estimate-panel.tsx'
import { MembersPanel } from './members-panel.tsx'
import { RecomputeProgress } from './recompute-progress.tsx'
import { RuleBuilder } from './rule-builder.tsx'
import { countRules, emptyDefinition, fromCondition, missingParts, toCondition, type RuleNode } from './rule-model.ts'
import type { Audience, DefinitionIssue, Recompute } from './types.ts'

/** Create or edit an audience: rules with a live size estimate, members, export and upload. */
export default function AudiencePage({ params }: { params: Record<string, string> }) {
  const { t } = useTranslation()
  return (
    <RequireCapability path="/audiences" capability={t('capabilities.audiences')}>
      <AudienceEditor id={params.id ?? null} />
    </RequireCapability>
  )
}

function AudienceEditor({ id }: { id: string | null }) {
  const { t } = useTranslation()
  const session = useSignedIn()
  const [version, setVersion] = useState(0)
  const loaded = useApi<Audience>(id ? `/audiences/${encodeURIComponent(id)}` : null, undefined, version)
  const [name, setName] = useState('')
  const [description, setDescription] = useState('')
  const [kind, setKind] = useState<'dynamic' | 'static'>('dynamic')
  const [rules, setRules] = useState<RuleNode>(() => emptyDefinition())
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const [warnings, setWarnings] = useState<DefinitionIssue[]>([])
  const [allowUnknown, setAllowUnknown] = useState(false)
  const [recompute, setRecompute] = useState<Recompute | null>(null)
  const [confirmDelete, setConfirmDelete] = useState(false)

  useEffect(() => {
    const a = loaded.data
    if (!a) return
    setName(a.name)
    setDescription(a.description ?? '')
    setKind(a.kind)
    if (a.kind === 'dynamic' && version === 0) setRules(fromCondition(a.definition))
    if (a.lastRecompute && a.lastRecompute.status !== 'done') setRecompute(a.lastRecompute)
    // Rules are read once per audience; later reloads refresh the size and status only.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loaded.data])

  const definition = useMemo(() => toCondition(rules), [rules])
  const ruleCount = countRules(rules)
  const missing = useMemo(() => missingParts(rules), [rules])
  const editable = session.can('write')
  const onFinished = useCallback(() => setVersion((v) => v + 1), [])

  if (id && loaded.error) return <ErrorMessage error={loaded.error} onRetry={loaded.reload} />
  if (id && !loaded.data) return <Spinner label={t('common.loading')} />
  const audience = loaded.data

  const save = async () => {
    setSaving(true)
    setError(null)
    try {
      const body = { name: name.trim(), description: description.trim() || null, ...(kind === 'dynamic' ? { definition } : {}) }
      const result = await api<{ audience: Audience; warnings: DefinitionIssue[]; recompute: Recompute | null }>(id ? `/audiences/${encodeURIComponent(id)}` : '/audiences', {
        method: id ? 'PATCH' : 'POST',
        query: { allowUnknownNames: allowUnknown ? 'true' : undefined },
        body: id ? body : { ...body, kind },
      })
      setWarnings(result.warnings)
      setRecompute(result.recompute)
      if (!id) navigate(`/audiences/${result.audience.id}`, { replace: true })
      else setVersion((v) => v + 1)
    } catch (failure) {
      setError(failure as ApiError)
    } finally {
      setSaving(false)
    }
  }
  const setStatus = async (status: 'active' | 'paused') => {
    try {
      await api(`/audiences/${encodeURIComponent(id!)}`, { method: 'PATCH', body: { status } })
      setVersion((v) => v + 1)
    } catch (failure) {
      setError(failure as ApiError)
    }
  }
  const remove = async () => {
    try {
      await api(`/audiences/${encodeURIComponent(id!)}`, { method: 'DELETE' })
      navigate('/audiences')
    } catch (failure) {
      setConfirmDelete(false)
      setError(failure as ApiError)
    }
  }

  return (
    <>
      <PageHeader
        title={audience ? audience.name : t('audiences.new')}
        subtitle={<Link to="/audiences">← {t('audiences.back')}</Link>}
        actions={
          audience && (
            <>
              {editable && (
                <button type="button" className="button secondary" onClick={() => void setStatus(audience.status === 'active' ? 'paused' : 'active')}>
                  {audience.status === 'active' ? t('audiences.pause') : t('audiences.resume')}
                </button>
              )}
              {session.can('delete') && (
                <button type="button" className="button danger" onClick={() => setConfirmDelete(true)}>
                  {t('common.delete')}
                </button>
              )}
            </>
          )
        }
      />
      {error && <ErrorMessage error={error} />}
      <div className="split">
        <div>
          <section className="panel">
            <div className="field-row">
              <label className="field">
                <span>{t('audiences.name')}</span>
                <input value={name} onChange={(e) => setName(e.target.value)} disabled={!editable} maxLength={200} placeholder={t('audiences.namePlaceholder')} />
              </label>
              {!id && (
                <label className="field">
                  <span>{t('audiences.kind')}</span>
                  <select value={kind} onChange={(e) => setKind(e.target.value as 'dynamic' | 'static')}>
                    <option value="dynamic">{t('audiences.kinds.dynamic')}</option>
                    <option value="static">{t('audiences.kinds.static')}</option>
                  </select>
                </label>
              )}
            </div>
            <label className="field">
              <span>{t('audiences.description')}</span>
              <input value={description} onChange={(e) => setDescription(e.target.value)} disabled={!editable} maxLength={2000} />
            </label>
            {kind === 'dynamic' ? (
              <>
                <h2>{t('audiences.rules')}</h2>
                <RuleBuilder value={rules} onChange={setRules} readOnly={!editable} />
              </>
            ) : (
              <p className="muted">{t('audiences.staticHelp')}</p>
            )}
            {warnings.map((w, i) => (
              <p key={i} className="notice">
                {w.message}
              </p>
            ))}
            {editable && kind === 'dynamic' && (
              <label className="muted" style={{ display: 'block', marginBottom: 8 }}>
                <input type="checkbox" checked={allowUnknown} onChange={(e) => setAllowUnknown(e.target.checked)} /> {t('common.allowUnknownNames')}
              </label>
            )}
            {editable && (
              <button type="button" className="button" disabled={saving || !name.trim() || (kind === 'dynamic' && (ruleCount === 0 || missing.length > 0))} onClick={() => void save()}>
                {saving ? t('common.saving') : id ? t('audiences.save') : t('audiences.create')}
              </button>
            )}
            {recompute && id && (
              <div style={{ marginTop: 12 }}>
                <RecomputeProgress audienceId={id} initial={recompute} onFinished={onFinished} />
              </div>
            )}
          </section>
          {audience && <MembersPanel audience={audience} version={version} onChanged={onFinished} />}
        </div>
        <div className="side-panel">{kind === 'dynamic' && <EstimatePanel definition={definition} ruleCount={ruleCount} missing={missing} />}</div>
      </div>
      {confirmDelete && audience && (
        <ConfirmDialog title={t('audiences.deleteTitle', { name: audience.name })} confirmLabel={t('common.delete')} danger onConfirm={() => void remove()} onCancel={() => setConfirmDelete(false)}>
          <p>{t('audiences.deleteBody')}</p>
        </ConfirmDialog>
      )}
    </>
  )
}
