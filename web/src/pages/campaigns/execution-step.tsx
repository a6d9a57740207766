import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, ApiError } from '../../api/client.ts'
import { useApi } from '../../api/hooks.ts'
import { EmptyState } from '../../components/empty-state.tsx'
import { ErrorMessage } from '../../components/error-message.tsx'
import { Spinner } from '../../components/progress.tsx'
import { Gantt } from './gantt.tsx'
import { DEPARTMENTS, type Campaign, type Schedule, type Task } from './types.ts'

/**
 * Stage 3 — execution: tasks with owner, department, dates and dependencies, drawn as a Gantt
 * chart with the critical path; the server refuses cyclic or mis-dated plans, naming each problem.
 */
export function ExecutionStep({ campaign, editable, onSaved }: { campaign: Campaign; editable: boolean; onSaved(): void }) {
  const { t } = useTranslation()
  const [tasks, setTasks] = useState<Task[]>(campaign.plan.execution.tasks)
  const [error, setError] = useState<ApiError | null>(null)
  const [editing, setEditing] = useState(false)
  const schedule = useApi<Schedule>(`/campaigns/${campaign.id}/schedule`, undefined, campaign.planVersion)
  const set = (i: number, patch: Partial<Task>) => setTasks(tasks.map((task, j) => (j === i ? { ...task, ...patch } : task)))
  const save = async () => {
    setError(null)
    try {
      await api(`/campaigns/${campaign.id}/execution`, { method: 'PUT', body: { tasks } })
      setEditing(false)
      onSaved()
    } catch (failure) {
      setError(failure as ApiError)
    }
  }
  const s = schedule.data
  return (
    <>
      <section className="panel">
        <div className="panel-head">
          <h2>{t('campaigns.execution.gantt')}</h2>
          <a className="button secondary small" href={`/api/v1/campaigns/${campaign.id}/calendar.ics`} download>
            {t('campaigns.execution.calendar')}
          </a>
        </div>
        {schedule.error && <ErrorMessage error={schedule.error} />}
        {!s && !schedule.error && <Spinner label={t('common.loading')} />}
        {s && s.gantt.rows.length === 0 && (
          <EmptyState title={t('campaigns.execution.empty')}>
            <p>{t('campaigns.execution.emptyBody')}</p>
          </EmptyState>
        )}
        {s && s.gantt.rows.length > 0 && (
          <>
            <Gantt data={s.gantt} />
            <p data-testid="critical-path">
              <strong>{t('campaigns.execution.criticalPath')}</strong> {s.criticalPath.map((id) => s.gantt.rows.find((r) => r.id === id)?.name ?? id).join(' → ')}
            </p>
            {s.conflicts.length > 0 && (
              <ul className="findings">
                {s.conflicts.map((c, i) => (
                  <li key={i} className="warning">
                    {c.message}
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </section>
      <section className="panel">
        <div className="panel-head">
          <h2>{t('campaigns.execution.tasks')}</h2>
          {editable && !editing && (
            <button type="button" className="button secondary small" onClick={() => setEditing(true)}>
              {t('common.edit')}
            </button>
          )}
        </div>
        {error && <ErrorMessage error={error} />}
        <fieldset disabled={!editing} style={{ border: 0, padding: 0, margin: 0 }}>
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th>{t('campaigns.execution.task')}</th>
                  <th>{t('campaigns.execution.owner')}</th>
                  <th>{t('campaigns.execution.department')}</th>
                  <th>{t('campaigns.execution.start')}</th>
                  <th>{t('campaigns.execution.end')}</th>
                  <th>{t('campaigns.execution.dependsOn')}</th>
                </tr>
              </thead>
              <tbody>
                {tasks.map((task, i) => (
                  <tr key={i}>
                    <td>
                      <code>{task.id}</code> <input aria-label={t('campaigns.execution.task')} value={task.name} onChange={(e) => set(i, { name: e.target.value })} />
                    </td>
                    <td>
                      <input aria-label={t('campaigns.execution.owner')} style={{ width: 90 }} value={task.owner} onChange={(e) => set(i, { owner: e.target.value })} />
                    </td>
                    <td>
                      <select aria-label={t('campaigns.execution.department')} value={task.department} onChange={(e) => set(i, { department: e.target.value as Task['department'] })}>
                        {DEPARTMENTS.map((d) => (
                          <option key={d} value={d}>
                            {t(`campaigns.departments.${d}`)}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <input type="date" aria-label={t('campaigns.execution.start')} value={task.start.slice(0, 10)} onChange={(e) => set(i, { start: e.target.value })} />
                    </td>
                    <td>
                      <input type="date" aria-label={t('campaigns.execution.end')} value={task.end.slice(0, 10)} onChange={(e) => set(i, { end: e.target.value })} />
                    </td>
                    <td>
                      <input aria-label={t('campaigns.execution.dependsOn')} style={{ width: 120 }} value={task.dependsOn.join(', ')} onChange={(e) => set(i, { dependsOn: e.target.value.split(/[,，\s]+/).filter(Boolean) })} placeholder="task ids" />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {editing && (
            <div className="toolbar" style={{ marginTop: 8 }}>
              <button
                type="button"
                className="button secondary"
                onClick={() => setTasks([...tasks, { id: `task-${tasks.length + 1}`, name: '', owner: '', department: 'marketing', start: campaign.startsAt.slice(0, 10), end: campaign.startsAt.slice(0, 10), dependsOn: [] }])}
              >
                + {t('campaigns.execution.addTask')}
              </button>
              <button type="button" className="button" onClick={() => void save()}>
                {t('campaigns.saveStage')}
              </button>
            </div>
          )}
        </fieldset>
      </section>
    </>
  )
}
