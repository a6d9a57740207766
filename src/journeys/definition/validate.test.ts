import { describe, expect, it } from 'vitest'
import { validateDefinition } from './validate.ts'

// Definitions are JSON from clients: the tests edit them freely, as a client would.
type Json = any

const valid = (): Json => ({
  entry: { event: 'Product Added', where: [{ property: 'price', op: 'gte', value: 100 }] },
  goal: { event: 'Order Completed', within: '7d' },
  start: 'wait',
  nodes: [
    { id: 'wait', type: 'wait_for_event', event: 'Order Completed', timeout: '1h', onEvent: 'done', onTimeout: 'split' },
    { id: 'split', type: 'random_split', branches: [{ key: 'a', percent: 90, next: 'send' }, { key: 'holdout', percent: 10, holdout: true }] },
    { id: 'send', type: 'send', channel: 'sms', message: { templateId: 'tpl_cart' }, next: 'done' },
    { id: 'done', type: 'exit' },
  ],
})

const problemsOf = (definition: unknown, context = {}) => {
  const result = validateDefinition(definition, { channels: ['email', 'sms', 'wechat', 'webhook'], ...context })
  return result.kind === 'Invalid' ? result.problems.map((p) => p.message) : []
}

describe('validateDefinition', () => {
  it('accepts a complete journey and fills defaults', () => {
    const result = validateDefinition(valid())
    expect(result.kind).toBe('Valid')
    if (result.kind === 'Valid') {
      expect(result.definition.reentry).toEqual({ policy: 'never' })
      expect(result.definition.oneRunAtATime).toBe(true)
    }
  })

  it('names a node with an unknown type', () => {
    const d = valid()
    ;(d.nodes[2] as Record<string, unknown>).type = 'sms_blast'
    expect(problemsOf(d)).toEqual(['node "send": unknown node type "sms_blast"; expected one of delay, wait_for_event, condition, random_split, send, update_trait, webhook, exit'])
  })

  it('names an exit that points nowhere, and one that is missing', () => {
    const d = valid()
    d.nodes[0] = { ...d.nodes[0]!, onTimeout: 'nudge' }
    delete (d.nodes[2] as Record<string, unknown>).next
    const problems = problemsOf(d)
    expect(problems).toContain('node "send": next is required')
    const again = valid()
    again.nodes[0] = { ...again.nodes[0]!, onTimeout: 'nudge' }
    expect(problemsOf(again)).toEqual(expect.arrayContaining(['node "wait": onTimeout points to "nudge", which is not a node (missing exit)']))
  })

  it('names unreachable nodes', () => {
    const d = valid()
    d.nodes.push({ id: 'orphan', type: 'exit' })
    expect(problemsOf(d)).toEqual(['node "orphan": unreachable from start "wait"'])
  })

  it('rejects a cycle that has no delay or wait, naming its nodes', () => {
    const d = {
      entry: { event: 'Signed Up' },
      start: 'check',
      nodes: [
        { id: 'check', type: 'condition', branches: [{ key: 'vip', when: { trait: 'vip', op: 'eq', value: true }, next: 'tag' }], otherwise: 'done' },
        { id: 'tag', type: 'update_trait', set: { tagged: true }, next: 'check' },
        { id: 'done', type: 'exit' },
      ],
    }
    expect(problemsOf(d)).toEqual(['node "check": cycle check → tag → check has no delay or wait_for_event, so a run would loop without end'])
    // The same loop through a delay is fine.
    d.nodes[1] = { id: 'tag', type: 'update_trait', set: { tagged: true }, next: 'later' }
    d.nodes.push({ id: 'later', type: 'delay', for: '1d', next: 'check' } as never)
    expect(problemsOf(d)).toEqual([])
  })

  it('rejects random-split percentages that do not sum to 100', () => {
    const d = valid()
    d.nodes[1] = { id: 'split', type: 'random_split', branches: [{ key: 'a', percent: 50, next: 'send' }, { key: 'holdout', percent: 30, holdout: true }] }
    expect(problemsOf(d)).toEqual(['node "split": branch percentages sum to 80, not 100'])
  })

  it('requires a goal to measure a holdout against', () => {
    const d = valid() as Record<string, unknown>
    delete d.goal
    expect(problemsOf(d)).toEqual(['node "split": a holdout is measured against the journey goal; add "goal" to the journey'])
  })

  it('names events, traits and channels the workspace does not have', () => {
    const d = valid() as ReturnType<typeof valid> & { nodes: unknown[] }
    d.nodes[1] = { id: 'split', type: 'condition', branches: [{ key: 'vip', when: { all: [{ trait: 'tier', op: 'eq', value: 'gold' }, { performed: 'Order Complete' }] }, next: 'send' }], otherwise: 'done' }
    d.nodes[2] = { id: 'send', type: 'send', channel: 'carrier_pigeon', message: { templateId: 'tpl' }, next: 'done' }
    const problems = problemsOf(d, { knownEvents: new Set(['Product Added', 'Order Completed']), knownTraits: new Set(['name']) })
    expect(problems).toEqual([
      'node "split": no profile has a trait named "tier"',
      'node "split": no event named "Order Complete" has been recorded in this workspace',
      'node "send": unknown channel "carrier_pigeon"; expected one of email, sms, wechat, webhook',
    ])
  })

  it('explains field errors with the node and field', () => {
    const d = valid()
    d.nodes[0] = { ...d.nodes[0]!, timeout: '90 minutes' }
    expect(problemsOf(d)).toEqual(['node "wait": timeout expected a duration such as "1h": a whole number then s (seconds), m (minutes), h (hours), d (days) or w (weeks)'])
    const noStart = valid() as Record<string, unknown>
    noStart.start = 'nowhere'
    expect(problemsOf(noStart)).toEqual(['start points to "nowhere", which is not a node'])
  })

  it('rejects a delay with two ways to end', () => {
    const d = valid()
    d.nodes.splice(3, 0, { id: 'pause', type: 'delay', for: '1h', until: { time: '09:00' }, next: 'done' } as never)
    d.nodes[2] = { ...d.nodes[2]!, next: 'pause' } as never
    expect(problemsOf(d)).toEqual(['node "pause": a delay needs exactly one of "for", "until" or "untilDate"'])
  })
})
