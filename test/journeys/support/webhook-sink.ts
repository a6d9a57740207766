import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { GatewayMessage } from '../../../src/journeys/index.ts'

export interface SinkDelivery {
  id: string
  message: GatewayMessage
  /** HTTP requests that carried this key (more than one: a resend after a crash or a retry). */
  requests: number
}

/**
 * A real HTTP message gateway on loopback, as `WebhookSender` expects one: `POST /` with
 * `{ messages: [...] }`, one delivery per idempotency key (a repeat gets the first answer back,
 * like any provider that deduplicates on the key). Tests and the benchmark count what arrived.
 */
export class WebhookSink {
  readonly deliveries = new Map<string, SinkDelivery>()
  /** HTTP requests received, and messages in them (repeats included). */
  requests = 0
  messagesReceived = 0
  /** Requests received and not answered yet. */
  inFlight = 0
  /** Answer each request only after this long (to catch a sender mid-call). */
  delayMs = 0
  /** Answer the next N requests with a 503. */
  failNext = 0
  /** Keep delivered messages' content (off for the benchmark, to save memory). */
  keepContent = true
  #server: Server | null = null
  #next = 0
  url = ''

  async start(): Promise<string> {
    this.#server = createServer((req, res) => {
      void this.#handle(req).then(
        ({ status, body }) => {
          this.inFlight--
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
        },
        (error) => {
          this.inFlight--
          res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(error) }))
        },
      )
    })
    this.#server.keepAliveTimeout = 60_000
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/messages`
    return this.url
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections()
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()))
  }

  /** Messages delivered to a profile, in arrival order. */
  to(profileId: string): GatewayMessage[] {
    return [...this.deliveries.values()].filter((d) => d.message.profileId === profileId).map((d) => d.message)
  }

  async #handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    this.inFlight++
    // A sink in another process is asked what arrived (the benchmark runs it so).
    if (req.method === 'GET') return { status: 200, body: { delivered: this.deliveries.size, requests: this.requests, messagesReceived: this.messagesReceived } }
    this.requests++
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    if (this.failNext > 0) {
      this.failNext--
      return { status: 503, body: { error: 'try again' } }
    }
    const { messages } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { messages: GatewayMessage[] }
    // Accepted on receipt, as a real gateway does; the answer may still be slow (or never arrive).
    const results = messages.map((message) => {
      this.messagesReceived++
      const seen = this.deliveries.get(message.idempotencyKey)
      if (seen) {
        seen.requests++
        return { idempotencyKey: message.idempotencyKey, id: seen.id }
      }
      const id = `sink_${++this.#next}`
      this.deliveries.set(message.idempotencyKey, { id, message: this.keepContent ? message : ({ idempotencyKey: message.idempotencyKey, profileId: message.profileId } as GatewayMessage), requests: 1 })
      return { idempotencyKey: message.idempotencyKey, id }
    })
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs))
    return { status: 200, body: { results } }
  }
}
