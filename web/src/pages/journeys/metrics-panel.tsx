import { useTranslation } from 'react-i18next'
import { Kpi } from '../../components/kpi.tsx'
import { useFormat } from '../../format/use-format.ts'
import type { VersionMetrics } from './types.ts'

/** The version's totals, conversion per branch of every split, and lift over the holdout. */
export function MetricsPanel({ metrics }: { metrics: VersionMetrics }) {
  const { t } = useTranslation()
  const format = useFormat()
  const splits = metrics.nodes.filter((n) => n.branches && n.branches.length > 0)
  return (
    <>
      <div className="kpis">
        <Kpi label={t('journeys.metrics.entered')} value={format.number(metrics.totals.entered)} />
        <Kpi label={t('journeys.metrics.active')} value={format.number(metrics.totals.active)} />
        <Kpi label={t('journeys.metrics.converted')} value={format.number(metrics.totals.converted)} note={format.percent(metrics.totals.conversionRate)} />
        <Kpi label={t('journeys.metrics.sent')} value={format.number(metrics.nodes.reduce((n, m) => n + m.sent, 0))} />
      </div>
      {splits.length > 0 && (
        <section className="panel">
          <h2>{t('journeys.metrics.branches')}</h2>
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th>{t('journeys.metrics.step')}</th>
                  <th>{t('journeys.fields.branch')}</th>
                  <th className="num">{t('journeys.metrics.people')}</th>
                  <th className="num">{t('journeys.metrics.converted')}</th>
                  <th className="num">{t('journeys.metrics.rate')}</th>
                </tr>
              </thead>
              <tbody>
                {splits.flatMap((node) =>
                  node.branches!.map((b) => (
                    <tr key={`${node.id}/${b.key}`}>
                      <td>{node.id}</td>
                      <td>{b.key}</td>
                      <td className="num">{format.number(b.runs)}</td>
                      <td className="num">{format.number(b.converted)}</td>
                      <td className="num">{format.percent(b.conversionRate)}</td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          </div>
        </section>
      )}
      {metrics.holdouts.map((h) => (
        <section key={h.nodeId} className="panel" aria-label={t('journeys.metrics.lift')}>
          <h2>{t('journeys.metrics.liftOver', { branch: h.holdoutBranch, node: h.nodeId })}</h2>
          <div className="kpis">
            <Kpi label={t('journeys.metrics.journeyRate')} value={format.percent(h.test.treatment.rate)} note={t('journeys.metrics.ofPeople', { count: h.test.treatment.people })} />
            <Kpi label={t('journeys.metrics.holdoutRate')} value={format.percent(h.test.control.rate)} note={t('journeys.metrics.ofPeople', { count: h.test.control.people })} />
            <Kpi
              label={t('journeys.metrics.lift')}
              value={format.signedPercent(h.test.absoluteLift)}
              note={t('journeys.metrics.interval', { low: format.signedPercent(h.test.interval.low), high: format.signedPercent(h.test.interval.high), confidence: format.percent(h.test.interval.confidence, 0) })}
              tone={h.test.significant ? (h.test.absoluteLift > 0 ? 'good' : 'bad') : 'neutral'}
            />
            <Kpi label={t('journeys.metrics.significance')} value={h.test.significant ? t('journeys.metrics.significant') : t('journeys.metrics.notSignificant')} note={h.test.pValue === null ? t('journeys.metrics.noVariance') : `p = ${h.test.pValue.toFixed(3)}`} />
          </div>
        </section>
      ))}
    </>
  )
}
