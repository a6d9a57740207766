// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { useState } from 'react'
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react'
import { setUpTexts } from '../../test-setup.ts'
import { RuleBuilder } from './rule-builder.tsx'
import { emptyDefinition, fromCondition, toCondition, type RuleNode } from './rule-model.ts'

/** The builder as a page holds it: state in, changes out; the latest definition is published. */
function Harness({ initial, onDefinition, readOnly }: { initial?: RuleNode; onDefinition(d: unknown): void; readOnly?: boolean }) {
  const [rules, setRules] = useState<RuleNode>(initial ?? emptyDefinition())
  onDefinition(toCondition(rules))
  return <RuleBuilder value={rules} onChange={setRules} readOnly={readOnly} />
}

function mount(initial?: RuleNode, readOnly = false) {
  let latest: unknown = null
  render(<Harness initial={initial} readOnly={readOnly} onDefinition={(d) => (latest = d)} />)
  return () => latest
}

const change = (element: HTMLElement, value: string) => fireEvent.change(element, { target: { value } })

describe('audience rule builder', () => {
  beforeAll(() => setUpTexts('en'))
  afterEach(cleanup)

  it('builds a trait rule from what is typed', () => {
    const definition = mount()
    fireEvent.click(screen.getByRole('button', { name: '+ Profile trait' }))
    change(screen.getByLabelText('Trait name'), 'city')
    change(screen.getByLabelText('Value'), '上海')
    expect(definition()).toEqual({ all: [{ trait: 'city', op: 'equals', value: '上海' }] })
  })

  it('sends numbers as numbers when the value type says so, and lists for "is one of"', () => {
    const definition = mount()
    fireEvent.click(screen.getByRole('button', { name: '+ Profile trait' }))
    change(screen.getByLabelText('Trait name'), 'member_level')
    change(screen.getByLabelText('Value'), '3')
    change(screen.getByLabelText('Value type'), 'number')
    expect(definition()).toEqual({ all: [{ trait: 'member_level', op: 'equals', value: 3 }] })
    change(screen.getByLabelText('Comparison'), 'in')
    change(screen.getByLabelText('Value'), '3, 4，5')
    expect(definition()).toEqual({ all: [{ trait: 'member_level', op: 'in', value: [3, 4, 5] }] })
    change(screen.getByLabelText('Comparison'), 'exists')
    expect(screen.queryByLabelText('Value')).toBeNull()
    expect(definition()).toEqual({ all: [{ trait: 'member_level', op: 'exists' }] })
  })

  it('counts events in a window, narrowed by an event property', () => {
    const definition = mount()
    fireEvent.click(screen.getByRole('button', { name: '+ Did an event' }))
    change(screen.getByLabelText('Event name'), 'Order Completed')
    change(screen.getByLabelText('How many times'), '>=')
    change(screen.getByLabelText('Times'), '2')
    change(screen.getByLabelText('Window length'), '14')
    change(screen.getByLabelText('Window unit'), 'd')
    fireEvent.click(screen.getByRole('button', { name: '+ Only events where…' }))
    change(screen.getByLabelText('Property name'), 'total')
    change(screen.getByLabelText('Comparison'), 'gte')
    change(screen.getByLabelText('Value'), '300')
    expect(definition()).toEqual({
      all: [{ performed: { event: 'Order Completed', count: { op: '>=', value: 2 }, within: '14d', where: [{ property: 'total', op: 'gte', value: 300 }] } }],
    })
  })

  it('nests an "any" group and excludes it with not', () => {
    const definition = mount()
    fireEvent.click(screen.getByRole('button', { name: '+ Did an event' }))
    change(screen.getByLabelText('Event name'), 'Product Viewed')
    fireEvent.click(screen.getAllByRole('button', { name: '+ Group (and/or)' })[0]!)
    const group = screen.getByRole('group', { name: 'Group of rules' })
    change(within(group).getByLabelText('Match all or any'), 'any')
    fireEvent.click(within(group).getByRole('button', { name: '+ Channel' }))
    change(within(group).getByLabelText('Channels'), 'douyin, xiaohongshu')
    fireEvent.click(within(group).getByRole('button', { name: '+ Did not do' }))
    change(within(group).getByLabelText('Event name'), 'Order Completed')
    fireEvent.click(within(group).getAllByLabelText('exclude')[0]!)
    expect(definition()).toEqual({
      all: [
        { performed: { event: 'Product Viewed', within: '30d' } },
        { not: { any: [{ channel: { in: ['douyin', 'xiaohongshu'], within: '30d' } }, { notPerformed: { event: 'Order Completed', within: '30d' } }] } },
      ],
    })
  })

  it('removes a rule', () => {
    const definition = mount()
    fireEvent.click(screen.getByRole('button', { name: '+ Orders or revenue' }))
    fireEvent.click(screen.getByRole('button', { name: '+ Profile trait' }))
    change(screen.getByLabelText('Trait name'), 'city')
    fireEvent.click(screen.getAllByRole('button', { name: 'Remove' })[0]!)
    expect(definition()).toEqual({ all: [{ trait: 'city', op: 'equals', value: '' }] })
  })

  it('opens a saved definition as it was, keeping rules it cannot edit', () => {
    const saved = {
      any: [
        { all: [{ trait: 'vip', op: 'equals', value: true }, { computed: 'lifetime_revenue', op: '>=', value: 1000, within: '365d' }] },
        { not: { performed: { event: 'Email Opened', count: { op: '<', value: 3 }, within: '4w' } } },
        { rfm: { window: '365d' }, part: 'score', op: '>=', value: 12 },
      ],
    }
    const definition = mount(fromCondition(saved))
    expect(definition()).toEqual(saved)
    expect(screen.getByText(/"rfm"/)).toBeTruthy()
    expect((screen.getAllByLabelText('Value type')[0] as HTMLSelectElement).value).toBe('boolean')
  })

  it('is read-only for people who may not change audiences', () => {
    mount(fromCondition({ all: [{ trait: 'city', op: 'equals', value: '北京' }] }), true)
    expect(screen.queryByRole('button', { name: '+ Profile trait' })).toBeNull()
    expect((screen.getByLabelText('Trait name') as HTMLInputElement).closest('fieldset')!.disabled).toBe(true)
  })
})
