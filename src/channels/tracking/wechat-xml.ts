/**
 * The XML WeChat pushes to a server URL: a root `<xml>` of elements holding text or CDATA, nested a
 * level or two (`<SubscribeMsgSentEvent><List>…</List></SubscribeMsgSentEvent>`), no attributes.
 * A general XML parser would bring DTDs and entity expansion (billion laughs, external entities)
 * for no use here, so this one reads only that shape and refuses everything else: any `<!…>` other
 * than CDATA (DOCTYPE, ENTITY, comments), processing instructions other than the leading XML
 * declaration, attributes, and entity references other than the five predefined ones and numeric
 * character references.
 */

export interface XmlElement {
  name: string
  /** The element's text (CDATA included), when it holds no child elements. */
  text: string
  children: XmlElement[]
}

export class XmlRejected extends Error {}

const MAX_DEPTH = 8
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*/
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }

/**
 * @example parseWechatXml('<xml><MsgType><![CDATA[event]]></MsgType></xml>') // { name: 'xml', text: '', children: [{ name: 'MsgType', text: 'event', children: [] }] }
 * @throws XmlRejected when the text is not in that shape
 */
export function parseWechatXml(input: string): XmlElement {
  const reader = new Reader(input)
  reader.skipSpace()
  if (/^<\?xml\s/.test(input.slice(reader.at, reader.at + 6))) {
    const end = input.indexOf('?>', reader.at)
    if (end < 0) throw new XmlRejected('unterminated XML declaration')
    reader.at = end + 2
  }
  reader.skipSpace()
  const root = readElement(reader, 0)
  reader.skipSpace()
  if (!reader.done()) throw new XmlRejected('text after the root element')
  return root
}

/** The text of the first child of that name, or undefined. */
export function childText(element: XmlElement, name: string): string | undefined {
  return element.children.find((c) => c.name === name)?.text
}

class Reader {
  at = 0
  constructor(readonly text: string) {}
  done(): boolean {
    return this.at >= this.text.length
  }
  startsWith(s: string): boolean {
    return this.text.startsWith(s, this.at)
  }
  skipSpace(): void {
    while (!this.done() && /\s/.test(this.text[this.at]!)) this.at++
  }
  name(): string {
    const m = NAME.exec(this.text.slice(this.at, this.at + 200))
    if (!m) throw new XmlRejected(`expected an element name at ${this.at}`)
    this.at += m[0].length
    return m[0]
  }
  expect(s: string): void {
    if (!this.startsWith(s)) throw new XmlRejected(`expected "${s}" at ${this.at}`)
    this.at += s.length
  }
}

function readElement(r: Reader, depth: number): XmlElement {
  if (depth > MAX_DEPTH) throw new XmlRejected(`elements nest deeper than ${MAX_DEPTH} levels`)
  refuseMarkup(r)
  r.expect('<')
  const name = r.name()
  r.skipSpace()
  if (r.startsWith('/>')) {
    r.at += 2
    return { name, text: '', children: [] }
  }
  if (!r.startsWith('>')) throw new XmlRejected(`<${name}> has attributes; WeChat's XML has none`)
  r.at++
  let text = ''
  const children: XmlElement[] = []
  for (;;) {
    if (r.done()) throw new XmlRejected(`<${name}> is not closed`)
    if (r.startsWith('<![CDATA[')) {
      const end = r.text.indexOf(']]>', r.at)
      if (end < 0) throw new XmlRejected('unterminated CDATA section')
      text += r.text.slice(r.at + 9, end)
      r.at = end + 3
    } else if (r.startsWith('</')) {
      r.at += 2
      const closing = r.name()
      if (closing !== name) throw new XmlRejected(`</${closing}> closes <${name}>`)
      r.skipSpace()
      r.expect('>')
      return { name, text: children.length > 0 ? '' : text, children }
    } else if (r.startsWith('<')) {
      children.push(readElement(r, depth + 1))
    } else {
      const end = r.text.indexOf('<', r.at)
      const raw = r.text.slice(r.at, end < 0 ? r.text.length : end)
      text += decodeReferences(raw)
      r.at += raw.length
    }
  }
}

/** DOCTYPE, ENTITY, comments and processing instructions: none has a place in a WeChat push. */
function refuseMarkup(r: Reader): void {
  if (r.startsWith('<!')) throw new XmlRejected(r.text.slice(r.at, r.at + 9).toUpperCase().startsWith('<!DOCTYPE') ? 'DOCTYPE declarations are refused' : 'markup declarations and comments are refused')
  if (r.startsWith('<?')) throw new XmlRejected('processing instructions are refused')
}

function decodeReferences(raw: string): string {
  return raw.replace(/&([^;\s]{0,12});?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) throw new XmlRejected('a bare "&" in text')
    if (ref in PREDEFINED) return PREDEFINED[ref]!
    const numeric = /^#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}))$/.exec(ref)
    if (numeric) {
      const code = numeric[1] !== undefined ? Number.parseInt(numeric[1], 16) : Number(numeric[2])
      if (code > 0x10ffff || code === 0) throw new XmlRejected(`character reference &${ref}; is out of range`)
      return String.fromCodePoint(code)
    }
    throw new XmlRejected(`entity reference &${ref}; is refused`)
  })
}
