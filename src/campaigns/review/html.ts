/**
 * Markdown to HTML for the retrospective's PDF: the subset retrospectiveMarkdown writes —
 * ATX headings, paragraphs, `-` lists (nested by two spaces), GFM pipe tables with `\|` escapes,
 * **bold** and `code` — with every piece of text HTML-escaped, wrapped in a printable page whose
 * font stack covers Chinese (Noto Sans CJK, PingFang, Microsoft YaHei) and Latin.
 */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}

function inline(text: string): string {
  return escapeHtml(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
}

function splitRow(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '')
  const cells: string[] = []
  let current = ''
  for (let i = 0; i < inner.length; i++) {
    const char = inner[i]!
    if (char === '\\' && inner[i + 1] === '|') {
      current += '|'
      i++
    } else if (char === '|') {
      cells.push(current.trim())
      current = ''
    } else current += char
  }
  cells.push(current.trim())
  return cells
}

/**
 * @example
 * markdownToHtml('# Title\n\n| a | b |\n| --- | --- |\n| 1 | 2 |') // '<h1>Title</h1>\n<table>…'
 */
export function markdownToHtml(markdown: string): string {
  const lines = markdown.replace(/\r\n/g, '\n').split('\n')
  const out: string[] = []
  let paragraph: string[] = []
  const flush = () => {
    if (paragraph.length > 0) out.push(`<p>${inline(paragraph.join(' '))}</p>`)
    paragraph = []
  }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const heading = /^(#{1,6})\s+(.*)$/.exec(line)
    if (heading) {
      flush()
      out.push(`<h${heading[1]!.length}>${inline(heading[2]!)}</h${heading[1]!.length}>`)
    } else if (/^\s*\|/.test(line) && i + 1 < lines.length && /^\s*\|\s*-{3,}/.test(lines[i + 1]!)) {
      flush()
      const head = splitRow(line)
      i += 2
      const rows: string[][] = []
      while (i < lines.length && /^\s*\|/.test(lines[i]!)) rows.push(splitRow(lines[i++]!))
      i--
      out.push(`<table><thead><tr>${head.map((h) => `<th>${inline(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`)
    } else if (/^\s*- /.test(line)) {
      flush()
      const items: Array<{ depth: number; text: string }> = []
      while (i < lines.length && /^\s*- /.test(lines[i]!)) {
        const m = /^(\s*)- (.*)$/.exec(lines[i++]!)!
        items.push({ depth: Math.floor(m[1]!.length / 2), text: m[2]! })
      }
      i--
      out.push(renderList(items))
    } else if (line.trim() === '') flush()
    else paragraph.push(line.trim())
  }
  flush()
  return out.join('\n')
}

function renderList(items: Array<{ depth: number; text: string }>): string {
  let html = ''
  let depth = -1
  for (const item of items) {
    // A list cannot skip a level: a too-deep item nests one level below the previous one.
    const target = Math.min(item.depth, depth + 1)
    if (target > depth) {
      html += '<ul>'
      depth = target
    } else {
      html += '</li>'
      while (depth > target) {
        html += '</ul></li>'
        depth--
      }
    }
    html += `<li>${inline(item.text)}`
  }
  html += '</li>'
  while (depth > 0) {
    html += '</ul></li>'
    depth--
  }
  return `${html}</ul>`
}

const STYLE = `
  @page { size: A4; margin: 16mm 14mm; }
  body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Zen Hei", "Helvetica Neue", Arial, sans-serif; font-size: 10.5pt; line-height: 1.5; color: #1f2328; }
  h1 { font-size: 18pt; border-bottom: 2px solid #E60012; padding-bottom: 4px; }
  h2 { font-size: 13pt; margin-top: 18px; color: #333; }
  table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; font-size: 9pt; page-break-inside: auto; }
  th, td { border: 1px solid #d0d7de; padding: 3px 6px; text-align: left; vertical-align: top; }
  th { background: #f6f8fa; }
  tr { page-break-inside: avoid; }
  code { font-family: "SFMono-Regular", Menlo, Consolas, monospace; font-size: 8.5pt; background: #f6f8fa; padding: 0 2px; }
  ul { margin: 4px 0 8px 18px; padding: 0; }
`

/** A whole printable HTML page around the Markdown. */
export function retrospectiveHtml(markdown: string, title: string): string {
  return `<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>\n${markdownToHtml(markdown)}\n</body></html>\n`
}
