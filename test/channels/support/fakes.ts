import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'

/** A mail a local SMTP server accepted. */
export interface ReceivedMail {
  from: string
  to: string[]
  raw: string
  user: string | null
}

/**
 * A real SMTP server on loopback that records what it receives. `refuseNext(code, n)` makes the
 * next n DATA commands fail with that reply code (451: try later, 550: refused). `holdRecipients()`
 * leaves every later RCPT TO unanswered until `release()`, so a test can find senders mid-session;
 * `rcptDelayMs` slows every RCPT TO. A mail counts only once its final `.` was answered: a session
 * that drops before then leaves nothing, as at any SMTP server (RFC 5321 §4.1.1.4).
 */
export async function startSmtpSink(options: { user?: string; pass?: string; rcptDelayMs?: number } = {}) {
  const mails: ReceivedMail[] = []
  let refusals: { code: number; left: number } | null = null
  let holding = false
  const held: Array<() => void> = []
  const server = new SMTPServer({
    authOptional: !options.user,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === options.user && auth.password === options.pass) return callback(null, { user: auth.username })
      return callback(new Error('Invalid username or password'))
    },
    onRcptTo(_address, _session, callback) {
      const answer = () => (options.rcptDelayMs ? setTimeout(() => callback(), options.rcptDelayMs) : callback())
      if (holding) held.push(answer)
      else answer()
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        if (refusals && refusals.left > 0) {
          refusals.left--
          const error = new Error('Mailbox temporarily unavailable') as Error & { responseCode: number }
          error.responseCode = refusals.code
          return callback(error)
        }
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          user: (session.user as string | undefined) ?? null,
        })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.server.address() as AddressInfo).port
  return {
    port,
    mails,
    refuseNext(code: number, count = 1) {
      refusals = { code, left: count }
    },
    holdRecipients() {
      holding = true
    },
    /** Sessions waiting on a held RCPT TO. */
    get held() {
      return held.length
    },
    release() {
      holding = false
      for (const answer of held.splice(0)) answer()
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

export interface RecordedRequest {
  method: string
  path: string
  query: URLSearchParams
  headers: IncomingMessage['headers']
  body: string
}

export type FakeReply = { status?: number; json?: unknown; text?: string; delayMs?: number }

/**
 * A real HTTP server on loopback standing in for a provider's API: records every request and
 * answers with what `reply` returns for it.
 */
export async function startHttpFake(reply: (request: RecordedRequest) => FakeReply | Promise<FakeReply>) {
  const requests: RecordedRequest[] = []
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://fake')
      const recorded: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }
      requests.push(recorded)
      const answer = await reply(recorded)
      if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs))
      res.statusCode = answer.status ?? 200
      if (answer.json !== undefined) {
        res.setHeader('content-type', 'application/json')
        res.end(JSON.stringify(answer.json))
      } else res.end(answer.text ?? '')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
