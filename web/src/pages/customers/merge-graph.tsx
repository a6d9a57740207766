import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { Chart } from '../../components/chart.tsx'
import { useFormat } from '../../format/use-format.ts'
import type { MergeView } from './types.ts'

/**
 * The merge history as a small graph: the surviving profile in the middle, each profile merged
 * into it linked by the identifiers that joined them, and refused links drawn dashed in red.
 * A list under the graph says the same in words.
 */
export function MergeGraph({ profileId, merges }: { profileId: string; merges: MergeView[] }) {
  const { t } = useTranslation()
  const format = useFormat()
  const option = useMemo(() => {
    const ids = new Set<string>([profileId])
    for (const m of merges) {
      if (m.survivorId) ids.add(m.survivorId)
      if (m.mergedId) ids.add(m.mergedId)
    }
    const nodes = [...ids].map((id) => ({
      id,
      name: id === profileId ? t('customer.thisPerson') : id.slice(0, 12),
      symbolSize: id === profileId ? 46 : 30,
      itemStyle: { color: id === profileId ? '#3b5bdb' : '#91a7ff' },
      label: { show: true },
    }))
    const links = merges
      .filter((m) => m.survivorId && m.mergedId)
      .map((m) => ({
        source: m.mergedId!,
        target: m.survivorId!,
        value: m.identifiers.map((i) => `${i.type}: ${i.value}`).join(', '),
        lineStyle: m.kind === 'refused' ? { color: '#c92a2a', type: 'dashed', width: 1.5 } : { color: '#5c7cfa', width: 2 },
        label: { show: true, formatter: m.identifiers[0] ? `${m.identifiers[0].type}` : m.kind, fontSize: 10 },
      }))
    return {
      tooltip: { formatter: (p: { dataType: string; data: { value?: string; id?: string } }) => (p.dataType === 'edge' ? p.data.value : p.data.id) },
      series: [{ type: 'graph', layout: 'force', roam: true, force: { repulsion: 220, edgeLength: 90 }, edgeSymbol: ['none', 'arrow'], data: nodes, links }],
    }
  }, [merges, profileId, t])

  return (
    <div>
      {merges.length > 0 && <Chart option={option} height={220} label={t('customer.mergeGraph')} />}
      <ul className="findings">
        {merges.map((m, i) => (
          <li key={i} className={m.kind === 'refused' ? 'warning' : undefined}>
            {m.kind === 'merged' ? t('customer.mergedEntry', { merged: m.mergedId, when: format.dateTime(m.at) }) : t('customer.refusedEntry', { when: format.dateTime(m.at) })}{' '}
            {m.identifiers.map((id) => `${id.type}: ${id.value}`).join(', ')} — <span className="muted">{m.reason}</span>
          </li>
        ))}
      </ul>
    </div>
  )
}
