import { Readable } from 'node:stream'
import SMTPConnection from 'nodemailer/lib/smtp-connection/index.js'

export interface SmtpWireOptions {
  host: string
  port: number
  secure: boolean
  starttls: 'required' | 'opportunistic' | 'off'
  auth?: { user: string; pass: string }
  timeoutMs: number
}

/** What an SMTP server made of one message. `handedOver` says whether the final `.` was released. */
export type SmtpWireResult =
  | { kind: 'Accepted'; response: string }
  | { kind: 'Error'; error: SmtpWireError; handedOver: boolean }
  | { kind: 'TakenOver' }

export interface SmtpWireError {
  code?: string
  responseCode?: number
  command?: string
  message?: string
  response?: string
}

class TakenOver extends Error {}

/**
 * Delivers one finished RFC 5322 message over one SMTP connection, holding back the `.` that ends
 * DATA until `handOver()` has agreed. A server takes responsibility for a message only when it
 * answers that final `.` (RFC 5321 §4.1.1.4, §6.1), and a connection that drops before then leaves
 * nothing behind; so everything up to the hand-over — connecting, TLS, AUTH, MAIL, RCPT, DATA and
 * the body — can be repeated after a crash without sending twice. `handOver()` returning false
 * (another process has taken the message over) closes the connection without the `.`.
 *
 * @example
 * const result = await sendOverSmtp(options, { from: 'news@brand.example', to: ['li@example.com'] }, raw, () => markHandedOver(db, row))
 */
export async function sendOverSmtp(options: SmtpWireOptions, envelope: { from: string; to: string[] }, raw: Buffer, handOver: () => Promise<boolean>): Promise<SmtpWireResult> {
  const connection = new SMTPConnection({
    host: options.host,
    port: options.port,
    secure: options.secure,
    requireTLS: options.starttls === 'required',
    ignoreTLS: options.starttls === 'off',
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs * 3,
  })
  let handedOver = false
  let takenOver = false
  // Errors after connect arrive both as an event and through the pending callback; the event
  // alone would crash the process.
  connection.on('error', () => {})
  try {
    await new Promise<void>((resolve, reject) => connection.connect((err) => (err ? reject(err) : resolve())))
    if (options.auth) await new Promise<void>((resolve, reject) => connection.login({ credentials: options.auth! }, (err) => (err ? reject(err) : resolve())))
    let stage: 'body' | 'waiting' | 'asked' = 'body'
    const message = new Readable({
      read() {
        if (stage === 'body') {
          stage = 'waiting'
          this.push(raw)
          return
        }
        // Asked for more after the whole body: only the terminating `.` is left to write.
        if (stage === 'waiting') {
          stage = 'asked'
          handOver().then(
            (agreed) => {
              if (agreed) {
                handedOver = true
                this.push(null)
              } else {
                takenOver = true
                this.destroy(new TakenOver('another process took this message over'))
              }
            },
            (error: Error) => this.destroy(error),
          )
        }
      },
    })
    const info = await new Promise<{ response: string }>((resolve, reject) => connection.send(envelope, message, (err, info) => (err ? reject(err) : resolve(info))))
    connection.quit()
    return { kind: 'Accepted', response: info.response }
  } catch (error) {
    connection.close()
    if (takenOver) return { kind: 'TakenOver' }
    return { kind: 'Error', error: error as SmtpWireError, handedOver }
  }
}
