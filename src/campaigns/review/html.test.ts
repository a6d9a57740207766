import { describe, expect, it } from 'vitest'
import { markdownToHtml, retrospectiveHtml } from './html.ts'

describe('markdownToHtml', () => {
  it('renders headings, paragraphs, nested lists, tables with escaped pipes, bold and code', () => {
    const html = markdownToHtml(['# 复盘 <b>', '', 'A **bold** `x|y` line', 'continued.', '', '| a | b \\| c |', '| --- | --- |', '| 1 | <script> |', '', '- one', '  - `path`: 1 → 2', '- two'].join('\n'))
    expect(html).toBe(
      [
        '<h1>复盘 &lt;b&gt;</h1>',
        '<p>A <strong>bold</strong> <code>x|y</code> line continued.</p>',
        '<table><thead><tr><th>a</th><th>b | c</th></tr></thead><tbody><tr><td>1</td><td>&lt;script&gt;</td></tr></tbody></table>',
        '<ul><li>one<ul><li><code>path</code>: 1 → 2</li></ul></li><li>two</li></ul>',
      ].join('\n'),
    )
  })

  it('wraps the page with a CJK font stack and an escaped title', () => {
    const page = retrospectiveHtml('# x', 'Review "活力" <1>')
    expect(page).toContain('<title>Review &quot;活力&quot; &lt;1&gt;</title>')
    expect(page).toContain('Noto Sans CJK SC')
  })
})
