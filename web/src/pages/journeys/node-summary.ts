import type { JourneyNode } from './types.ts'

type T = (key: any, options?: any) => string

/** One line saying what a step does, for the canvas. */
export function nodeSummary(node: JourneyNode, t: T): string {
  switch (node.type) {
    case 'send': {
      const message = (node.message ?? {}) as { subject?: string; text?: string; templateId?: string }
      return `${t(`journeys.channels.${String(node.channel)}`, { defaultValue: String(node.channel) })}: ${message.subject ?? message.text ?? message.templateId ?? ''}`
    }
    case 'delay': {
      if (typeof node.for === 'string') return t('journeys.summary.waitFor', { duration: node.for })
      const until = node.until as { time?: string } | undefined
      if (until?.time) return t('journeys.summary.waitUntil', { time: until.time })
      return t('journeys.summary.waitDate')
    }
    case 'wait_for_event':
      return t('journeys.summary.waitEvent', { event: String(node.event), timeout: String(node.timeout) })
    case 'condition':
      return t('journeys.summary.condition', { count: node.branches?.length ?? 0 })
    case 'random_split':
      return (node.branches ?? []).map((b) => `${b.key} ${b.percent}%${b.holdout ? '*' : ''}`).join(' / ')
    case 'update_trait':
      return Object.keys((node.set ?? node.setOnce ?? node.increment ?? {}) as object).join(', ')
    case 'webhook':
      return String(node.url ?? '')
    case 'exit':
      return t('journeys.summary.exit')
  }
}
