import { useTranslation } from 'react-i18next'
import { useFormat } from '../../format/use-format.ts'
import type { GanttData } from './types.ts'

const DAY = 86_400_000
const ROW = 34
const LABEL = 190
const HEAD = 30

/**
 * The execution plan as a Gantt chart: one bar per task over the campaign's days, tasks on the
 * critical path in red (no slack: any delay moves the finish), dependencies drawn as arrows from
 * a task's end to its dependant's start, and a line for today.
 */
export function Gantt({ data, now = Date.now() }: { data: GanttData; now?: number }) {
  const { t } = useTranslation()
  const format = useFormat()
  const start = Date.parse(data.range.start)
  const end = Math.max(Date.parse(data.range.end), start + DAY)
  const days = Math.ceil((end - start) / DAY)
  const dayWidth = Math.max(14, Math.min(40, 900 / days))
  const width = LABEL + days * dayWidth + 20
  const height = HEAD + data.rows.length * ROW + 10
  const x = (iso: string) => LABEL + ((Date.parse(iso) - start) / DAY) * dayWidth
  const rowOf = new Map(data.rows.map((r, i) => [r.id, i]))
  const ticks = Array.from({ length: days + 1 }, (_, i) => i).filter((i) => days <= 31 || i % 7 === 0)
  return (
    <div className="canvas" style={{ minHeight: 0 }} data-testid="gantt">
      <svg className="gantt" width={width} height={height} role="group" aria-label={t('campaigns.gantt.label', { count: data.rows.length })}>
        <defs>
          <marker id="gantt-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" fill="#868e96" />
          </marker>
        </defs>
        {ticks.map((i) => (
          <g key={i}>
            <line x1={LABEL + i * dayWidth} x2={LABEL + i * dayWidth} y1={HEAD - 6} y2={height} stroke="#edf0f5" />
            <text x={LABEL + i * dayWidth + 2} y={16} fontSize={10} fill="#5f6b7a">
              {format.day(start + i * DAY)}
            </text>
          </g>
        ))}
        {data.rows.map((row, i) => {
          const y = HEAD + i * ROW
          const x1 = x(row.start)
          const x2 = Math.max(x(row.end), x1 + 4)
          return (
            <g key={row.id} data-task={row.id} data-critical={row.critical}>
              <text x={6} y={y + 20}>
                {row.name}
              </text>
              <rect className={row.critical ? 'bar critical' : 'bar'} x={x1} y={y + 7} width={x2 - x1} height={ROW - 14} rx={4}>
                <title>{`${row.name} · ${row.owner} · ${format.date(row.start)} – ${format.date(row.end)}${row.critical ? ` · ${t('campaigns.gantt.critical')}` : ` · ${t('campaigns.gantt.slack', { count: row.slackDays })}`}`}</title>
              </rect>
            </g>
          )
        })}
        {data.links.map((link, i) => {
          const from = data.rows[rowOf.get(link.from) ?? -1]
          const to = data.rows[rowOf.get(link.to) ?? -1]
          if (!from || !to) return null
          const fy = HEAD + rowOf.get(link.from)! * ROW + ROW / 2
          const ty = HEAD + rowOf.get(link.to)! * ROW + ROW / 2
          const fx = Math.max(x(from.end), x(from.start) + 4)
          const tx = x(to.start)
          return <path key={i} className="dep" d={`M ${fx} ${fy} L ${fx + 8} ${fy} L ${fx + 8} ${ty} L ${tx} ${ty}`} markerEnd="url(#gantt-arrow)" />
        })}
        {now >= start && now <= end && <line className="today" x1={LABEL + ((now - start) / DAY) * dayWidth} x2={LABEL + ((now - start) / DAY) * dayWidth} y1={HEAD - 6} y2={height} />}
      </svg>
    </div>
  )
}
