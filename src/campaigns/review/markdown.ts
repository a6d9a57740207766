import { formatMoney } from '../plan/money.ts'
import { MONEY_METRICS, type GoalMetric } from '../plan/schema.ts'
import { localDate } from '../plan/time.ts'
import type { Retrospective } from './retrospective.ts'

/**
 * The retrospective as Markdown (CommonMark with GFM tables), for reading, pasting into a wiki,
 * and printing to PDF. Table cells are escaped (`|` and newlines), so copy and plan text cannot
 * break the layout.
 */
export function retrospectiveMarkdown(r: Retrospective): string {
  const money = (n: number | null) => (n === null ? '—' : formatMoney(Math.round(n), r.campaign.currency))
  const num = (n: number | null) => (n === null ? '—' : n.toLocaleString('en-US', { maximumFractionDigits: 2 }))
  const pct = (n: number | null) => (n === null ? '—' : `${(n * 100).toFixed(1)}%`)
  const metricValue = (metric: string | null, n: number | null) => (metric === 'roi' ? pct(n) : metric && MONEY_METRICS.has(metric as GoalMetric) ? money(n) : num(n))
  // Dates as people in the campaign's time zone read them.
  const date = (isoText: string) => localDate(Date.parse(isoText), r.campaign.timezone)
  const endDate = localDate(Date.parse(r.campaign.endsAt) - 1, r.campaign.timezone)
  const out: string[] = []

  out.push(`# Campaign review: ${inline(r.campaign.name)}`, '')
  out.push(`${inline(r.campaign.brand)} · ${date(r.campaign.startsAt)} – ${endDate} (${r.campaign.timezone}) · status ${r.campaign.status} · plan version ${r.campaign.planVersion}`, '')
  out.push(`Measured from ${r.window.from} to ${r.window.to}; generated ${r.generatedAt}.${r.finished ? '' : ' The campaign has not ended: results are so far.'}`, '')

  out.push('## Goals', '')
  if (r.goals.length === 0) out.push('The plan has no goals.', '')
  else {
    const achieved = r.goals.filter((g) => g.verdict === 'achieved').length
    const missed = r.goals.filter((g) => g.verdict === 'missed').length
    out.push(`${achieved} achieved, ${missed} missed, ${r.goals.length - achieved - missed} open or unmeasurable.`, '')
    out.push(table(
      ['Goal', 'Metric', 'Target', 'Actual', 'Result'],
      r.goals.map((g) => [
        `${g.goalId}: ${g.statement}`,
        g.metric ?? '—',
        metricValue(g.metric, g.target),
        metricValue(g.metric, g.actual),
        g.verdict === 'achieved'
          ? `achieved, ${metricValue(g.metric, g.difference)} (${pct(g.differenceShare)}) better than target`
          : g.verdict === 'missed'
            ? `missed by ${metricValue(g.metric, g.difference === null ? null : -g.difference)} (${pct(g.differenceShare === null ? null : -g.differenceShare)})`
            : g.verdict === 'in-progress'
              ? `in progress (deadline ${date(g.deadline)})`
              : 'cannot be measured',
      ]),
    ), '')
  }

  const k = r.kpis
  out.push('## KPIs', '')
  out.push(table(['KPI', 'Value'], [
    ['Reach (distinct people)', num(k.reach)],
    ['Traffic (page and screen views)', `${num(k.traffic.views)} by ${num(k.traffic.visitors)} visitors`],
    ['Leads (people)', num(k.leads)],
    ['Conversions', num(k.conversions)],
    ['Revenue', money(k.revenueMinor)],
    ['New customers', num(k.newCustomers)],
    ['Spend', money(k.spendMinor)],
    ['ROI', pct(k.roi)],
    ['ROAS', k.roas === null ? '—' : k.roas.toFixed(2)],
    ['CAC', money(k.cacMinor)],
  ]), '')
  if (k.traffic.bySource.length > 0) {
    out.push('Traffic by source:', '')
    out.push(table(['Source', 'Views', 'Visitors'], k.traffic.bySource.slice(0, 12).map((s) => [s.source, num(s.views), num(s.visitors)])), '')
  }

  out.push('## Channels: ROI and attribution', '')
  out.push(`${sentence(r.channels.note)}.`, '')
  if (r.channels.rows.length > 0) {
    out.push(table(
      ['Channel', 'Planned', 'Spend', 'Conversions', 'Revenue', 'ROAS', 'ROI', 'CPA'],
      r.channels.rows.map((c) => [
        `${c.channel}${c.paused ? ' (paused)' : ''}`,
        money(c.plannedMinor),
        money(c.spendMinor),
        num(c.conversions),
        money(c.revenueMinor),
        c.roas === null ? '—' : c.roas.toFixed(2),
        pct(c.roi),
        money(c.cpaMinor),
      ]),
    ), '')
    out.push(`Not credited to a channel of the mix: ${num(r.channels.unattributed.conversions)} conversions, ${money(r.channels.unattributed.revenueMinor)}.`, '')
  }

  out.push('## Journeys', '')
  if (!r.journeys.available) out.push(`${sentence(r.journeys.note)}.`, '')
  else out.push(table(['Journey', 'Entered', 'Completed', 'Converted'], r.journeys.items.map((j) => [j.name, num(j.entered), num(j.completed), num(j.converted)])), '')

  out.push('## Content consistency', '')
  if (!r.content.available) out.push(`${sentence(r.content.note)}.`, '')
  else {
    out.push(`Consistency score ${r.content.score ?? '—'} / 100 (${r.content.note}).`, '')
    if (r.content.pillarsMissing.length > 0) out.push(`Pillars no variant carries: ${r.content.pillarsMissing.map(inline).join(', ')}.`, '')
    for (const c of r.content.contradictions) out.push(`- Contradiction: ${inline(c.what)} (${c.variants.join(', ')})`)
    for (const b of r.content.blocking) out.push(`- Blocked: ${b.channel} · ${b.stage} (${b.variantId}): ${b.findings.map(inline).join('; ')}`)
    if (r.content.contradictions.length + r.content.blocking.length > 0) out.push('')
    out.push(table(['Variant', 'Channel', 'Stage', 'State', 'Score', 'Blocking', 'Warnings'], r.content.variants.map((v) => [v.variantId, v.channel, v.stage, v.state.replace('_', ' '), num(v.score), num(v.blocks), num(v.warnings)])), '')
  }

  out.push('## What changed during the campaign', '')
  const during = r.changes.filter((c) => c.duringCampaign)
  if (during.length === 0) out.push('The plan did not change while the campaign ran.', '')
  for (const change of during) {
    out.push(`- ${change.at.slice(0, 16).replace('T', ' ')} UTC, ${change.section} (by ${change.actor})${change.reason ? `: ${inline(change.reason)}` : ''}`)
    for (const c of change.changes.slice(0, 8)) out.push(`  - \`${c.path}\`: ${short(c.before)} → ${short(c.after)}`)
    if (change.changes.length > 8) out.push(`  - and ${change.changes.length - 8} more`)
  }
  if (during.length > 0) out.push('')
  const before = r.changes.length - during.length
  if (before > 0) out.push(`${before} edit${before === 1 ? '' : 's'} to the plan outside the campaign's dates (planning) are in the audit.`, '')

  out.push('## Alerts and decisions', '')
  if (r.alerts.length === 0) out.push('No alerts were raised.', '')
  for (const a of r.alerts) {
    const decided = a.status === 'confirmed' ? `confirmed by ${a.decidedBy}: ${a.decision?.action?.description ?? ''}` : a.status === 'dismissed' ? `dismissed by ${a.decidedBy}` : a.status
    out.push(`- ${date(a.raisedAt)} ${a.kind} (${a.subject}): ${inline(a.message)} — ${inline(decided)}${a.decision?.note ? ` (“${inline(a.decision.note)}”)` : ''}`)
  }
  if (r.alerts.length > 0) out.push('')

  out.push('## Lessons', '')
  if (r.lessons.length === 0) out.push('No lessons recorded yet.', '')
  for (const l of r.lessons) out.push(`- **${inline(l.title)}** — ${inline(l.body)}${l.channels.length > 0 ? ` (${l.channels.join(', ')})` : ''}`)
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n'
}

function table(head: string[], rows: string[][]): string {
  const cell = (text: string) => inline(text).replace(/\|/g, '\\|')
  return [`| ${head.map(cell).join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n')
}

/** A note as a sentence: capital first letter. */
function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** One line of text: newlines become spaces. */
function inline(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ')
}

function short(value: unknown): string {
  if (value === undefined) return '(none)'
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  return inline(text.length > 80 ? `${text.slice(0, 77)}…` : text)
}
