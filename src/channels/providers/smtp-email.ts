import nodemailer from 'nodemailer'
import { failed, sent, type ChannelProvider, type OutboundMessage, type ProviderResult } from '../provider.ts'
import type { SmtpConfig } from './configs.ts'
import type { z } from 'zod'

/** The part of a mail transport this provider uses (nodemailer's `Transporter` has it). */
export interface MailTransport {
  sendMail(mail: MailToSend): Promise<{ messageId: string; response?: string }>
  close(): void
}

export interface MailToSend {
  from: string
  to: string
  replyTo?: string
  subject: string
  html: string
  text?: string
  messageId: string
  headers: Record<string, string>
}

// DKIM must cover List-Unsubscribe and List-Unsubscribe-Post (RFC 8058 §4); nodemailer's default
// list (RFC 4871 §5.5) lacks the second.
const DKIM_FIELDS =
  'From:Sender:Reply-To:Subject:Date:Message-ID:To:Cc:MIME-Version:Content-Type:Content-Transfer-Encoding:' +
  'List-Id:List-Help:List-Unsubscribe:List-Unsubscribe-Post:List-Subscribe:List-Post:List-Owner:List-Archive'

// Commands after which a dropped connection may mean the server already accepted the message.
const BEFORE_DATA = new Set([undefined, '', 'CONN', 'EHLO', 'HELO', 'LHLO', 'STARTTLS', 'AUTH PLAIN', 'AUTH LOGIN', 'AUTH CRAM-MD5', 'AUTH XOAUTH2', 'MAIL FROM', 'RCPT TO'])

/**
 * Email over SMTP (nodemailer). Each message carries a stable Message-ID derived from Chorus's
 * message id and, when tracked, `List-Unsubscribe: <https://…/u/token>` with
 * `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058) so mail clients offer a one-click
 * unsubscribe that posts to Chorus. SMTP has no idempotency key, so a send whose outcome is
 * unknown is never repeated automatically.
 *
 * @example
 * const email = new SmtpEmailProvider({ host: '127.0.0.1', port: 2525, from: 'Brand <news@example.com>' }, {})
 * await email.send({ messageId, idempotencyKey, workspaceId, profileId, to: 'li@example.com', content: { channel: 'email', subject, html } })
 */
export class SmtpEmailProvider implements ChannelProvider {
  readonly kind = 'smtp'
  readonly channel = 'email' as const
  readonly idempotency = { kind: 'none' } as const
  readonly #settings: z.infer<typeof SmtpConfig>['settings']
  readonly #secrets: z.infer<typeof SmtpConfig>['secrets']
  readonly #transportFactory: () => MailTransport

  constructor(settings: z.infer<typeof SmtpConfig>['settings'], secrets: z.infer<typeof SmtpConfig>['secrets'], transportFactory?: () => MailTransport) {
    this.#settings = settings
    this.#secrets = secrets
    this.#transportFactory = transportFactory ?? (() => this.#nodemailerTransport())
  }

  async send(message: OutboundMessage): Promise<ProviderResult> {
    const content = message.content
    if (content.channel !== 'email') return failed(false, `The SMTP provider sends email, not ${content.channel}`)
    const headers: Record<string, string> = {}
    if (message.unsubscribeUrl) {
      headers['List-Unsubscribe'] = `<${message.unsubscribeUrl}>`
      headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click'
    }
    const mail: MailToSend = {
      from: this.#settings.from,
      to: message.to,
      subject: content.subject,
      html: content.html,
      messageId: `<${message.messageId}@${domainOf(this.#settings.from)}>`,
      headers,
    }
    if (content.text) mail.text = content.text
    if (this.#settings.replyTo) mail.replyTo = this.#settings.replyTo
    const transport = this.#transportFactory()
    try {
      const info = await transport.sendMail(mail)
      return sent(info.messageId || mail.messageId)
    } catch (error) {
      return classifySmtpError(error, this.#settings.host)
    } finally {
      transport.close()
    }
  }

  #nodemailerTransport(): MailTransport {
    const s = this.#settings
    const timeout = s.timeoutMs ?? 10_000
    return nodemailer.createTransport({
      host: s.host,
      port: s.port,
      secure: s.secure,
      requireTLS: s.starttls === 'required',
      ignoreTLS: s.starttls === 'off',
      auth: s.user ? { user: s.user, pass: this.#secrets.password ?? '' } : undefined,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout * 3,
      dkim:
        s.dkim && this.#secrets.dkimPrivateKey
          ? { domainName: s.dkim.domainName, keySelector: s.dkim.keySelector, privateKey: this.#secrets.dkimPrivateKey, headerFieldNames: DKIM_FIELDS }
          : undefined,
    })
  }
}

/** SMTP replies: 4xx is a temporary refusal (try later), 5xx permanent; a drop during DATA is unknown. */
export function classifySmtpError(error: unknown, host: string): ProviderResult {
  const err = error as { code?: string; responseCode?: number; command?: string; message?: string; response?: string }
  const detail = (err.response ?? err.message ?? 'unknown error').slice(0, 300)
  if (typeof err.responseCode === 'number') {
    if (err.responseCode >= 400 && err.responseCode < 500) return failed(true, `SMTP server ${host} refused for now (${err.responseCode}): ${detail}`)
    if (err.responseCode >= 500) return failed(false, `SMTP server ${host} refused (${err.responseCode}): ${detail}`)
  }
  if (err.code === 'EAUTH') return failed(false, `SMTP server ${host} refused the credentials: ${detail}`)
  if (BEFORE_DATA.has(err.command)) return failed(true, `SMTP server ${host} could not be reached or spoken to (${err.code ?? 'error'}): ${detail}`)
  return failed(true, `SMTP connection to ${host} broke during ${err.command}; the message may have been accepted (${err.code ?? 'error'}): ${detail}`, true)
}

function domainOf(from: string): string {
  const match = from.match(/@([^>\s]+)>?\s*$/)
  return match?.[1] ?? 'chorus.local'
}
