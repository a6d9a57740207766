import { useTranslation } from 'react-i18next'
import type { CheckItem, PillarCoverage, Severity } from './types.ts'

const RANK: Record<Severity, number> = { block: 3, warn: 2, info: 1 }
const CLASS: Record<Severity, string> = { block: 'error', warn: 'warning', info: 'info' }

/** Over-length findings mark the text past the limit; everything else is underlined. */
const isOverLength = (item: CheckItem) => /length\.(max|recommended)$/.test(item.code)

interface Span {
  start: number
  end: number
  items: CheckItem[]
}

/**
 * Cuts a field's text at every finding's start and end, so overlapping findings each keep their
 * reason: a piece covered by several shows the most serious and explains all of them.
 */
export function spansOf(text: string, field: string, items: CheckItem[]): Span[] {
  const marks = items.flatMap((item) => item.where.filter((w) => w.field === field && w.end > w.start).map((w) => ({ start: Math.max(0, w.start), end: Math.min(text.length, w.end), item })))
  const cuts = new Set<number>([0, text.length])
  for (const m of marks) {
    cuts.add(m.start)
    cuts.add(m.end)
  }
  const points = [...cuts].filter((c) => c >= 0 && c <= text.length).sort((a, b) => a - b)
  const spans: Span[] = []
  for (let i = 0; i < points.length - 1; i++) {
    const start = points[i]!
    const end = points[i + 1]!
    if (end <= start) continue
    spans.push({ start, end, items: marks.filter((m) => m.start <= start && m.end >= end).map((m) => m.item) })
  }
  return spans
}

/**
 * Copy with its problems shown in place: forbidden words and risky claims underlined with the
 * reason on hover and in the list below, text past a channel's length limit marked, and the
 * message-house pillars the copy does not carry listed with the words it lacks.
 */
export function ConsistencyHighlighter({ fields, order, items, pillars = [] }: { fields: Record<string, string>; order?: string[]; items: CheckItem[]; pillars?: PillarCoverage[] }) {
  const { t } = useTranslation()
  const names = [...(order ?? []).filter((f) => fields[f] !== undefined), ...Object.keys(fields).filter((f) => !(order ?? []).includes(f))]
  const findings = [...items].sort((a, b) => RANK[b.severity] - RANK[a.severity])
  const missing = pillars.filter((p) => !p.carried)
  return (
    <div className="consistency">
      {names.map((field) => {
        const text = fields[field] ?? ''
        return (
          <div key={field} className="field">
            <span>{t(`content.fields.${field}`, { defaultValue: field })}</span>
            <div className="highlighted" data-field={field}>
              {spansOf(text, field, items).map((span) => {
                const piece = text.slice(span.start, span.end)
                if (span.items.length === 0) return <span key={span.start}>{piece}</span>
                const worst = span.items.reduce((a, b) => (RANK[b.severity] > RANK[a.severity] ? b : a))
                const title = span.items.map((i) => `${i.what} — ${i.why}`).join('\n')
                if (span.items.every(isOverLength)) {
                  return (
                    <span key={span.start} className="over-length" title={title} data-code={worst.code}>
                      {piece}
                    </span>
                  )
                }
                return (
                  <mark key={span.start} className={CLASS[worst.severity]} title={title} data-code={worst.code}>
                    {piece}
                  </mark>
                )
              })}
            </div>
          </div>
        )
      })}
      {(findings.length > 0 || missing.length > 0) && (
        <ul className="findings" aria-label={t('content.findings')}>
          {findings.map((item, i) => (
            <li key={i} className={CLASS[item.severity]}>
              <strong>{t(`content.severity.${item.severity}`)}</strong> {item.what}
              {item.where[0] && item.where[0].text && <> — “{item.where[0].text}”</>}
              <div className="muted">{item.why}</div>
            </li>
          ))}
          {missing.map((p) => (
            <li key={p.pillar} className="warning" data-pillar={p.pillar}>
              <strong>{t('content.missingPillar')}</strong> {p.pillar}
              {p.missing.length > 0 && <span className="muted"> — {t('content.missingWords', { words: p.missing.join('、') })}</span>}
            </li>
          ))}
        </ul>
      )}
      {findings.length === 0 && missing.length === 0 && <p className="muted">{t('content.noFindings')}</p>}
    </div>
  )
}
