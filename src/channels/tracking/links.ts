import { UTM_MEDIUM, type Channel } from '../channel.ts'

/**
 * Rewrites the links of one message to tracked redirects. Each distinct URL gets an index into the
 * message's link list (stored on the outbox row), and the tracked address is built from it, so a
 * token carries no URL and stays short — which matters in an SMS. Links back to Chorus itself (the
 * unsubscribe page) and anything that is not http(s) (mailto:, tel:, mini-program paths) are left
 * alone.
 *
 * @example
 * const tracker = new LinkTracker((i) => `https://chorus.example.com/r/${token(i)}`, 'https://chorus.example.com')
 * tracker.html('<a href="https://shop.example.com/?a=1&amp;b=2">Shop</a>') // '<a href="https://chorus.example.com/r/…">Shop</a>'
 * tracker.links // ['https://shop.example.com/?a=1&b=2']
 */
export class LinkTracker {
  readonly links: string[] = []
  readonly #urlFor: (index: number) => string
  readonly #ownBase: string

  constructor(urlFor: (index: number) => string, ownBase: string) {
    this.#urlFor = urlFor
    this.#ownBase = ownBase
  }

  /** One URL: the tracked address, or the URL unchanged when it is not trackable. */
  url(url: string): string {
    const trimmed = url.trim()
    if (!/^https?:\/\//i.test(trimmed) || trimmed.startsWith(this.#ownBase)) return url
    let index = this.links.indexOf(trimmed)
    if (index < 0) {
      index = this.links.length
      this.links.push(trimmed)
    }
    return this.#urlFor(index)
  }

  /** Every `<a href>` of an HTML document (other elements' hrefs, such as stylesheets, stay). */
  html(html: string): string {
    return html.replace(/(<a\b[^>]*?\bhref\s*=\s*)(["'])(.*?)\2/gis, (whole, head: string, quote: string, href: string) => {
      const decoded = href.replace(/&amp;/g, '&')
      const tracked = this.url(decoded)
      return tracked === decoded ? whole : `${head}${quote}${tracked}${quote}`
    })
  }

  /** Bare URLs in plain text; trailing sentence punctuation is not part of the link. */
  text(text: string): string {
    return text.replace(/https?:\/\/[^\s<>"'（）()【】，。！？、；]+/gi, (match) => {
      const url = match.replace(/[.,;:!?]+$/, '')
      return this.url(url) + match.slice(url.length)
    })
  }
}

export interface UtmContext {
  channel: Channel
  campaign: string
}

/**
 * The landing address with UTM parameters added: `utm_source=chorus/<channel>`, `utm_medium` per
 * channel (see `UTM_MEDIUM`), `utm_campaign`. Parameters the link already has are kept — a
 * marketer who wrote their own UTM tags meant them.
 *
 * @example withUtm('https://shop.example.com/p?id=1', { channel: 'email', campaign: 'spring' })
 * // 'https://shop.example.com/p?id=1&utm_source=chorus%2Femail&utm_medium=email&utm_campaign=spring'
 */
export function withUtm(url: string, utm: UtmContext): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return url
  }
  const add = (name: string, value: string) => {
    if (!parsed.searchParams.has(name)) parsed.searchParams.append(name, value)
  }
  add('utm_source', `chorus/${utm.channel}`)
  add('utm_medium', UTM_MEDIUM[utm.channel])
  add('utm_campaign', utm.campaign)
  return parsed.toString()
}
