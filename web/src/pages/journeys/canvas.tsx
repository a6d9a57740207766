import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { useFormat } from '../../format/use-format.ts'
import { ENTRY_ID, NODE_HEIGHT, NODE_WIDTH, layoutJourney } from './layout.ts'
import { nodeSummary } from './node-summary.ts'
import type { JourneyDefinition, NodeMetrics } from './types.ts'

/**
 * The journey drawn as its graph: the entry trigger, every step with what it does and how many
 * people reached it, sent and converted there, and every path with its branch name and
 * conversion rate. Click a step to edit it.
 */
export function JourneyCanvas({ definition, metrics, selected, onSelect }: { definition: JourneyDefinition; metrics: NodeMetrics[] | null; selected: string | null; onSelect(id: string): void }) {
  const { t } = useTranslation()
  const format = useFormat()
  const layout = useMemo(() => layoutJourney(definition), [definition])
  const at = new Map(layout.nodes.map((p) => [p.node.id, p]))
  const metricOf = (id: string) => metrics?.find((m) => m.id === id)
  const entryText = 'event' in definition.entry ? t('journeys.entryEvent', { event: definition.entry.event }) : t('journeys.entryAudience', { audience: definition.entry.audience })
  return (
    <div className="canvas" data-testid="journey-canvas">
      <svg width={layout.width} height={layout.height} role="group" aria-label={t('journeys.canvas')}>
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" fill="#8792a8" />
          </marker>
        </defs>
        {layout.edges.map((edge, i) => {
          const from = at.get(edge.from)
          const to = at.get(edge.to)
          if (!from || !to) return null
          const x1 = from.x + NODE_WIDTH
          const y1 = from.y + NODE_HEIGHT / 2
          const x2 = to.x
          const y2 = to.y + NODE_HEIGHT / 2
          const back = x2 <= x1
          const path = back ? `M ${x1} ${y1} C ${x1 + 60} ${y1 + 80}, ${x2 - 60} ${y2 + 80}, ${x2} ${y2}` : `M ${x1} ${y1} C ${(x1 + x2) / 2} ${y1}, ${(x1 + x2) / 2} ${y2}, ${x2} ${y2}`
          const branch = edge.label ? metricOf(edge.from)?.branches?.find((b) => b.key === edge.label) : undefined
          const label = edge.label === null ? null : edge.label === 'event' ? t('journeys.onEvent') : edge.label === 'timeout' ? t('journeys.onTimeout') : edge.label === 'otherwise' ? t('journeys.otherwise') : edge.label
          return (
            <g key={i}>
              <path d={path} fill="none" stroke="#8792a8" strokeWidth={1.4} markerEnd="url(#arrow)" />
              {label && (
                <text x={(x1 + x2) / 2} y={(y1 + y2) / 2 - 6} textAnchor="middle" fontSize={11} fill="#4a5568">
                  {label}
                  {branch ? ` · ${format.number(branch.runs)} · ${format.percent(branch.conversionRate)}` : ''}
                </text>
              )}
            </g>
          )
        })}
        {layout.nodes.map(({ node, x, y }) => {
          if (node.id === ENTRY_ID) {
            return (
              <g key={node.id} className="journey-node" transform={`translate(${x},${y})`}>
                <rect width={NODE_WIDTH} height={NODE_HEIGHT} rx={30} style={{ fill: '#e8edff' }} />
                <text x={14} y={24} fontWeight={600}>
                  {t('journeys.entry')}
                </text>
                <text x={14} y={44} className="count">
                  {clip(entryText, 26)}
                </text>
              </g>
            )
          }
          const m = metricOf(node.id)
          const counts = m ? [`${t('journeys.counts.entered')} ${format.compact(m.entered)}`, ...(m.sent ? [`${t('journeys.counts.sent')} ${format.compact(m.sent)}`] : []), `${t('journeys.counts.converted')} ${format.compact(m.converted)}`].join(' · ') : ''
          return (
            <g
              key={node.id}
              className={selected === node.id ? 'journey-node selected' : 'journey-node'}
              transform={`translate(${x},${y})`}
              onClick={() => onSelect(node.id)}
              onKeyDown={(e) => e.key === 'Enter' && onSelect(node.id)}
              tabIndex={0}
              role="button"
              aria-label={`${t(`journeys.types.${node.type}`)} ${node.id}`}
              data-node={node.id}
            >
              <rect width={NODE_WIDTH} height={NODE_HEIGHT} rx={8} />
              <text x={12} y={20} fontWeight={600}>
                {t(`journeys.types.${node.type}`)} <tspan className="count">{node.id}</tspan>
              </text>
              <text x={12} y={38}>
                {clip(nodeSummary(node, t), 24)}
              </text>
              <text x={12} y={55} className="count">
                {counts}
              </text>
            </g>
          )
        })}
      </svg>
    </div>
  )
}

function clip(text: string, length: number): string {
  const chars = [...text]
  return chars.length > length ? `${chars.slice(0, length - 1).join('')}…` : text
}
