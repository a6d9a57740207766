import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ApiError } from '../../api/client.ts'
import { useApi } from '../../api/hooks.ts'
import { useSignedIn } from '../../api/session.tsx'
import { ErrorMessage } from '../../components/error-message.tsx'
import { Link } from '../../components/link.tsx'
import { Spinner } from '../../components/progress.tsx'
import { RequireCapability } from '../../components/require-capability.tsx'
import { PageHeader } from '../../components/shell.tsx'
import { useFormat } from '../../format/use-format.ts'
import { setSearchParams, useLocation } from '../../router/router.ts'
import { ExecutionStep } from './execution-step.tsx'
import { InsightStep } from './insight-step.tsx'
import { MonitoringStep } from './monitoring-step.tsx'
import { ReviewStep } from './review-step.tsx'
import { StrategyStep } from './strategy-step.tsx'
import type { Campaign } from './types.ts'

export const STEPS = ['insight', 'strategy', 'execution', 'monitoring', 'review'] as const
export type Step = (typeof STEPS)[number]

export default function CampaignPage({ params }: { params: Record<string, string> }) {
  const { t } = useTranslation()
  return (
    <RequireCapability path="/campaigns/:id" capability={t('capabilities.campaigns')}>
      <CampaignPlanner id={params.id!} />
    </RequireCapability>
  )
}

/**
 * A campaign as a guided flow through its five stages — goals and insight, strategy and budget,
 * execution (tasks and the Gantt), monitoring (live KPIs and alerts), review — with launch and
 * finish when the plan allows.
 */
function CampaignPlanner({ id }: { id: string }) {
  const { t } = useTranslation()
  const format = useFormat()
  const session = useSignedIn()
  const { search } = useLocation()
  const [version, setVersion] = useState(0)
  const campaign = useApi<Campaign>(`/campaigns/${id}`, undefined, version)
  const [error, setError] = useState<ApiError | null>(null)
  const c = campaign.data
  const defaultStep: Step = c?.status === 'finished' ? 'review' : c?.status === 'running' ? 'monitoring' : 'insight'
  const step: Step = (STEPS as readonly string[]).includes(search.get('step') ?? '') ? (search.get('step') as Step) : defaultStep
  if (campaign.error) return <ErrorMessage error={campaign.error} onRetry={campaign.reload} />
  if (!c) return <Spinner label={t('common.loading')} />
  const editable = session.can('write') && c.status !== 'finished'
  const changed = () => setVersion((v) => v + 1)
  const lifecycle = async (action: 'launch' | 'finish') => {
    setError(null)
    try {
      await api(`/campaigns/${id}/${action}`, { method: 'POST' })
      changed()
    } catch (failure) {
      setError(failure as ApiError)
    }
  }
  const index = STEPS.indexOf(step)
  return (
    <>
      <PageHeader
        title={c.name}
        subtitle={
          <>
            <Link to="/campaigns">← {t('campaigns.back')}</Link> · {c.brand} · {format.date(c.startsAt)} – {format.date(c.endsAt)} · <span className="tag">{t(`campaigns.statuses.${c.status}`)}</span>
          </>
        }
        actions={
          session.can('write') && (
            <>
              {c.status === 'planning' && (
                <button type="button" className="button" onClick={() => void lifecycle('launch')}>
                  {t('campaigns.launch')}
                </button>
              )}
              {c.status === 'running' && (
                <button type="button" className="button secondary" onClick={() => void lifecycle('finish')}>
                  {t('campaigns.finish')}
                </button>
              )}
            </>
          )
        }
      />
      {error && <ErrorMessage error={error} />}
      <nav className="stepper" aria-label={t('campaigns.stages')}>
        {STEPS.map((s, i) => (
          <button key={s} type="button" className={s === step ? 'active' : i < index ? 'done' : undefined} aria-current={s === step ? 'step' : undefined} onClick={() => setSearchParams({ step: s })}>
            {i + 1}. {t(`campaigns.steps.${s}`)}
          </button>
        ))}
      </nav>
      {step === 'insight' && <InsightStep campaign={c} editable={editable} onSaved={changed} />}
      {step === 'strategy' && <StrategyStep campaign={c} editable={editable} onSaved={changed} />}
      {step === 'execution' && <ExecutionStep campaign={c} editable={editable} onSaved={changed} />}
      {step === 'monitoring' && <MonitoringStep campaign={c} onChanged={changed} />}
      {step === 'review' && <ReviewStep campaign={c} />}
      {index < STEPS.length - 1 && (
        <div className="modal-actions">
          <button type="button" className="button secondary" onClick={() => setSearchParams({ step: STEPS[index + 1]! })}>
            {t('campaigns.nextStep', { step: t(`campaigns.steps.${STEPS[index + 1]!}`) })} →
          </button>
        </div>
      )}
    </>
  )
}
