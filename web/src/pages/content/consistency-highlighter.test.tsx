// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { cleanup, render, screen, within } from '@testing-library/react'
import { setUpTexts } from '../../test-setup.ts'
import { ConsistencyHighlighter, spansOf } from './consistency-highlighter.tsx'
import type { CheckItem, PillarCoverage } from './types.ts'

const body = '全网最低价!活力元气水,喝了治愈感冒。'
const title = '活力元气水上市啦,限时特惠不容错过哦'

const forbidden: CheckItem = {
  check: 'ad-law',
  code: 'ad-law.block',
  severity: 'block',
  what: 'Absolute claim "最低价"',
  why: '广告法第九条:不得使用“最”等绝对化用语',
  where: [{ field: 'body', start: 2, end: 5, text: '最低价' }],
}
const claim: CheckItem = {
  check: 'forbidden',
  code: 'forbidden.claim',
  severity: 'warn',
  what: 'Forbidden claim "治愈 感冒"',
  why: 'A drink may not claim to cure illness',
  where: [{ field: 'body', start: 14, end: 18, text: '治愈感冒' }],
}
const overLength: CheckItem = {
  check: 'channel',
  code: 'channel.length.max',
  severity: 'block',
  what: 'Title is 19 characters; at most 16 allowed',
  why: 'The platform cuts longer titles',
  where: [{ field: 'title', start: 16, end: 19, text: '过哦' }],
}
const pillars: PillarCoverage[] = [
  { pillar: '活力', score: 1, carried: true, phrases: ['活力'], missing: [], where: [], proofPoints: [], benefits: [] },
  { pillar: '天然成分', score: 0.5, carried: false, phrases: [], missing: ['天然', '零添加'], where: [], proofPoints: [], benefits: [] },
]

describe('consistency highlighter', () => {
  beforeAll(() => setUpTexts('en'))
  afterEach(cleanup)

  it('underlines a forbidden word with its reason, most serious first', () => {
    render(<ConsistencyHighlighter fields={{ title, body }} order={['title', 'body']} items={[claim, forbidden, overLength]} pillars={pillars} />)
    const bodyText = document.querySelector('[data-field="body"]') as HTMLElement
    const marks = bodyText.querySelectorAll('mark')
    expect([...marks].map((m) => m.textContent)).toEqual(['最低价', '治愈感冒'])
    expect(marks[0]!.className).toBe('error')
    expect(marks[0]!.getAttribute('title')).toContain('广告法第九条')
    expect(marks[1]!.className).toBe('warning')
    // The text itself is untouched around the marks.
    expect(bodyText.textContent).toBe(body)
    const list = screen.getByRole('list', { name: 'Findings' })
    const items = within(list).getAllByRole('listitem')
    expect(items[0]!.textContent).toMatch(/^Must fix:/)
    expect(items.some((li) => li.textContent!.includes('A drink may not claim to cure illness'))).toBe(true)
  })

  it('marks the text past a length limit instead of underlining it', () => {
    render(<ConsistencyHighlighter fields={{ title, body }} items={[overLength]} />)
    const over = document.querySelector('[data-field="title"] .over-length') as HTMLElement
    expect(over.textContent).toBe('过哦')
    expect(over.getAttribute('title')).toContain('at most 16 allowed')
    expect(document.querySelector('[data-field="title"] mark')).toBeNull()
  })

  it('lists the pillars the copy does not carry with the words it lacks', () => {
    render(<ConsistencyHighlighter fields={{ body }} items={[]} pillars={pillars} />)
    const missing = document.querySelector('[data-pillar="天然成分"]') as HTMLElement
    expect(missing.textContent).toContain('Missing pillar:')
    expect(missing.textContent).toContain('天然、零添加')
    expect(document.querySelector('[data-pillar="活力"]')).toBeNull()
  })

  it('keeps every reason where findings overlap, and shows copy containing markup as text', () => {
    const overlapping: CheckItem = { ...claim, severity: 'info', code: 'info.x', why: 'second reason', where: [{ field: 'body', start: 3, end: 8, text: '低价!活力' }] }
    const spans = spansOf(body, 'body', [forbidden, overlapping])
    expect(spans.map((s) => [body.slice(s.start, s.end), s.items.length])).toEqual([
      ['全网', 0],
      ['最', 1],
      ['低价', 2],
      ['!活力', 1],
      ['元气水,喝了治愈感冒。', 0],
    ])
    render(<ConsistencyHighlighter fields={{ body: '<b>bold</b> <script>alert(1)</script>' }} items={[]} />)
    expect(document.querySelector('[data-field="body"] b, [data-field="body"] script')).toBeNull()
    expect(document.querySelector('[data-field="body"]')!.textContent).toBe('<b>bold</b> <script>alert(1)</script>')
    expect(screen.getByText('No problems found.')).toBeTruthy()
  })
})
