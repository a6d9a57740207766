import { useTranslation } from 'react-i18next'
import { useCapabilities } from '../../api/capabilities.tsx'
import { useApi } from '../../api/hooks.ts'
import { useSignedIn } from '../../api/session.tsx'
import { Chart } from '../../components/chart.tsx'
import { channelLabel } from '../../components/channel-icon.tsx'
import { EmptyState } from '../../components/empty-state.tsx'
import { ErrorMessage } from '../../components/error-message.tsx'
import { Spinner } from '../../components/progress.tsx'
import { Unavailable } from '../../components/unavailable.tsx'
import { useFormat } from '../../format/use-format.ts'
import { localDate } from '../analytics/period.ts'

/** Today's events by channel, when this installation counts them (GET /events/summary). */
export function EventsByChannel() {
  const { t } = useTranslation()
  const caps = useCapabilities()
  if (!caps.has('GET', '/events/summary')) return <Unavailable capability={t('overview.eventVolume')} api="GET /api/v1/events/summary" />
  return <Counts />
}

function Counts() {
  const { t } = useTranslation()
  const format = useFormat()
  const session = useSignedIn()
  const today = localDate(Date.now(), session.workspace.timezone)
  const summary = useApi<{ total: number; byChannel: Array<{ channel: string | null; events: number }> }>('/events/summary', { from: today, to: today })
  if (summary.error) return <ErrorMessage error={summary.error} onRetry={summary.reload} />
  if (!summary.data) return <Spinner label={t('common.loading')} />
  const rows = summary.data.byChannel.filter((r) => r.events > 0)
  if (rows.length === 0) {
    return (
      <EmptyState title={t('overview.noEventsToday')}>
        <p>{t('overview.noEventsTodayBody')}</p>
      </EmptyState>
    )
  }
  const touches = rows.reduce((sum, r) => sum + (r.channel === null ? 0 : r.events), 0)
  return (
    <>
      <Chart
        label={t('overview.eventsToday')}
        height={Math.max(160, rows.length * 30)}
        option={{
          tooltip: { trigger: 'axis' },
          grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
          xAxis: { type: 'value', minInterval: 1 },
          yAxis: { type: 'category', inverse: true, data: rows.map((r) => channelLabel(t, r.channel)) },
          series: [{ type: 'bar', data: rows.map((r) => r.events), itemStyle: { color: '#12b886' } }],
        }}
      />
      <p className="muted" data-testid="events-total">
        <small>{t('overview.eventsTotal', { total: format.number(summary.data.total), touches: format.number(touches) })}</small>
      </p>
    </>
  )
}
