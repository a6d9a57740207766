import DKIM from 'nodemailer/lib/dkim/index.js'
import MailComposer from 'nodemailer/lib/mail-composer/index.js'
import type { z } from 'zod'
import { failed, sent, type ChannelProvider, type OutboundMessage, type ProviderResult } from '../provider.ts'
import type { SmtpConfig } from './configs.ts'
import { sendOverSmtp, type SmtpWireError } from './smtp-wire.ts'

// DKIM must cover List-Unsubscribe and List-Unsubscribe-Post (RFC 8058 §4); nodemailer's default
// list (RFC 4871 §5.5) lacks the second.
const DKIM_FIELDS =
  'From:Sender:Reply-To:Subject:Date:Message-ID:To:Cc:MIME-Version:Content-Type:Content-Transfer-Encoding:' +
  'List-Id:List-Help:List-Unsubscribe:List-Unsubscribe-Post:List-Subscribe:List-Post:List-Owner:List-Archive'

/**
 * Email over SMTP. Each message carries a stable Message-ID derived from Chorus's message id and,
 * for marketing email, `List-Unsubscribe: <https://…/u/token>` with `List-Unsubscribe-Post:
 * List-Unsubscribe=One-Click` (RFC 8058) so mail clients offer a one-click unsubscribe that posts
 * to Chorus. SMTP has no idempotency key, but it has a point of no return: the server takes the
 * message when it answers the `.` that ends DATA. The message is composed (and DKIM-signed) first,
 * then the connection is driven up to that `.`, and only then is the hand-over committed
 * (`message.handOver`). A process that dies before it left nothing at the server, so the message
 * is sent again; one that dies after it leaves the outcome unknown, never repeated.
 *
 * @example
 * const email = new SmtpEmailProvider({ host: '127.0.0.1', port: 2525, from: 'Brand <news@example.com>' }, {})
 * await email.send({ messageId, idempotencyKey, workspaceId, profileId, to: 'li@example.com', content: { channel: 'email', subject, html }, handOver })
 */
export class SmtpEmailProvider implements ChannelProvider {
  readonly kind = 'smtp'
  readonly channel = 'email' as const
  readonly idempotency = { kind: 'handover' } as const
  readonly #settings: z.infer<typeof SmtpConfig>['settings']
  readonly #secrets: z.infer<typeof SmtpConfig>['secrets']

  constructor(settings: z.infer<typeof SmtpConfig>['settings'], secrets: z.infer<typeof SmtpConfig>['secrets']) {
    this.#settings = settings
    this.#secrets = secrets
  }

  async send(message: OutboundMessage): Promise<ProviderResult> {
    const content = message.content
    if (content.channel !== 'email') return failed(false, `The SMTP provider sends email, not ${content.channel}`)
    const s = this.#settings
    const headers: Record<string, string> = {}
    if (message.unsubscribeUrl) {
      headers['List-Unsubscribe'] = `<${message.unsubscribeUrl}>`
      headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click'
    }
    const messageId = `<${message.messageId}@${domainOf(s.from)}>`
    const composed = new MailComposer({ from: s.from, to: message.to, subject: content.subject, html: content.html, messageId, headers, ...(content.text ? { text: content.text } : {}), ...(s.replyTo ? { replyTo: s.replyTo } : {}) }).compile()
    const envelope = composed.getEnvelope()
    let raw = await composed.build()
    if (s.dkim && this.#secrets.dkimPrivateKey) {
      raw = await collect(new DKIM({ domainName: s.dkim.domainName, keySelector: s.dkim.keySelector, privateKey: this.#secrets.dkimPrivateKey, headerFieldNames: DKIM_FIELDS }).sign(raw))
    }
    const result = await sendOverSmtp(
      { host: s.host, port: s.port, secure: s.secure, starttls: s.starttls, timeoutMs: s.timeoutMs ?? 10_000, ...(s.user ? { auth: { user: s.user, pass: this.#secrets.password ?? '' } } : {}) },
      { from: envelope.from || s.from, to: envelope.to },
      raw,
      message.handOver ?? (async () => true),
    )
    if (result.kind === 'Accepted') return sent(messageId)
    if (result.kind === 'TakenOver') return { kind: 'TakenOver' }
    return classifySmtpError(result.error, s.host, result.handedOver)
  }
}

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer))
  return Buffer.concat(chunks)
}

/**
 * SMTP replies: 4xx is a temporary refusal (try later), 5xx permanent. A connection that broke
 * before the hand-over left nothing at the server (try again); after it, the server may have taken
 * the message: unknown.
 */
export function classifySmtpError(error: SmtpWireError, host: string, handedOver: boolean): ProviderResult {
  const detail = (error.response ?? error.message ?? 'unknown error').slice(0, 300)
  if (typeof error.responseCode === 'number') {
    if (error.responseCode >= 400 && error.responseCode < 500) return failed(true, `SMTP server ${host} refused for now (${error.responseCode}): ${detail}`)
    if (error.responseCode >= 500) return failed(false, `SMTP server ${host} refused (${error.responseCode}): ${detail}`)
  }
  if (error.code === 'EAUTH') return failed(false, `SMTP server ${host} refused the credentials: ${detail}`)
  if (!handedOver) return failed(true, `SMTP server ${host} could not be reached or spoken to (${error.code ?? 'error'}${error.command ? ` during ${error.command}` : ''}): ${detail}`)
  return failed(true, `SMTP connection to ${host} broke after the message was handed over; the server may have accepted it (${error.code ?? 'error'}): ${detail}`, true)
}

function domainOf(from: string): string {
  const match = from.match(/@([^>\s]+)>?\s*$/)
  return match?.[1] ?? 'chorus.local'
}
