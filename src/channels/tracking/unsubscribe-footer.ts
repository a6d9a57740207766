import type { Channel } from '../channel.ts'
import type { MessageCategory } from '../contact.ts'
import type { RenderedContent } from '../provider.ts'
import { trackingToken } from './tokens.ts'

/**
 * The signed unsubscribe address of one message: what `{{ unsubscribe_url }}` renders to, what the
 * `List-Unsubscribe` header carries and what the footer links to — one address, so whichever the
 * person uses, `/u/:token` unsubscribes them from the message's channel.
 *
 * @example unsubscribeUrl({ publicUrl: 'https://chorus.example.com', secret }, 'msg_01jd…') // 'https://chorus.example.com/u/msg_01jd….u0.…'
 */
export function unsubscribeUrl(settings: { publicUrl: string; secret: Buffer }, messageId: string): string {
  return `${settings.publicUrl}/u/${trackingToken(settings.secret, messageId, 'u')}`
}

/**
 * Marketing email must show a way out in its body, not only in the `List-Unsubscribe` header that
 * some clients never display. When the author placed `{{ unsubscribe_url }}` themselves, their
 * wording stands; otherwise a short footer is added — to the HTML and to the text part (if any),
 * each checked on its own. It is added after links are rewritten, so it is never turned into a
 * click redirect: following it unsubscribes rather than records a click. Transactional email and
 * other channels are returned unchanged.
 *
 * @example withUnsubscribeFooter({ channel: 'email', subject: 's', html: '<p>Hi</p>' }, 'marketing', url)
 * // { channel: 'email', subject: 's', html: '<p>Hi</p><p style="…">不想再收到此类邮件？<a href="https://…/u/…">退订</a></p>' }
 */
export function withUnsubscribeFooter(content: RenderedContent, category: MessageCategory, url: string): RenderedContent {
  if (content.channel !== 'email' || !carriesUnsubscribeLink(content.channel, category)) return content
  const out = { ...content }
  if (!out.html.includes(url) && !out.html.includes(escapeAttribute(url))) out.html = beforeBodyEnd(out.html, htmlFooter(url))
  if (out.text !== undefined && !out.text.includes(url)) out.text = `${out.text.replace(/\s+$/, '')}\n\n${textFooter(url)}`
  return out
}

/** Only marketing email carries the unsubscribe link: the footer and the `List-Unsubscribe` header. */
export function carriesUnsubscribeLink(channel: Channel, category: MessageCategory): boolean {
  return channel === 'email' && category === 'marketing'
}

function htmlFooter(url: string): string {
  return `<p style="margin:24px auto 16px;max-width:600px;text-align:center;font-size:12px;line-height:18px;color:#8c8c8c;">不想再收到此类邮件？<a href="${escapeAttribute(url)}" style="color:#8c8c8c;text-decoration:underline;">退订</a></p>`
}

function textFooter(url: string): string {
  return `退订：${url}`
}

/** Inside the document when it has a `</body>` (MJML output does), else at the end. */
function beforeBodyEnd(html: string, footer: string): string {
  const at = html.toLowerCase().lastIndexOf('</body>')
  return at >= 0 ? `${html.slice(0, at)}${footer}${html.slice(at)}` : `${html}${footer}`
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
