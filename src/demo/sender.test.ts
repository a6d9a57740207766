import { describe, expect, it } from 'vitest'
import { DemoDeliveryError, deliver, parseRetryAfter, type FetchLike, type RetryPolicy } from './sender.ts'

const FAST: RetryPolicy = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2, maxRateLimitWaitMs: 50 }

/** An HTTP transport that answers from a script, one answer per request. */
function scripted(answers: { status: number; retryAfter?: string; body?: string }[]): FetchLike & { calls: number } {
  const transport = Object.assign(
    async () => {
      const answer = answers[Math.min(transport.calls, answers.length - 1)]!
      transport.calls++
      return {
        status: answer.status,
        headers: { get: (name: string) => (name.toLowerCase() === 'retry-after' ? (answer.retryAfter ?? null) : null) },
        text: async () => answer.body ?? '',
      }
    },
    { calls: 0 },
  )
  return transport
}

const request = () => ({ method: 'POST' as const, url: 'http://chorus.test/v1/batch', headers: {}, body: '{}' })

describe('deliver', () => {
  it('retries 5xx and returns the answer of the attempt that succeeded', async () => {
    const transport = scripted([{ status: 500 }, { status: 502 }, { status: 200, body: '{"success":true}' }])
    const delivery = await deliver(request, { fetch: transport, retry: FAST })
    expect(delivery).toEqual({ status: 200, attempts: 3, answer: { success: true } })
  })

  it('builds every attempt anew, so the envelope can carry a fresh sentAt', async () => {
    const transport = scripted([{ status: 503 }, { status: 200 }])
    let built = 0
    await deliver(() => {
      built++
      return request()
    }, { fetch: transport, retry: FAST })
    expect(built).toBe(2)
  })

  it('waits out 429 with Retry-After without spending attempts, up to the rate-limit budget', async () => {
    const transport = scripted([{ status: 429, retryAfter: '0' }, { status: 429, retryAfter: '0' }, { status: 429, retryAfter: '0' }, { status: 200 }])
    expect((await deliver(request, { fetch: transport, retry: FAST })).attempts).toBe(4)
    const endless = scripted([{ status: 429, retryAfter: '1' }])
    await expect(deliver(request, { fetch: endless, retry: FAST })).rejects.toThrow(/kept answering 429.*lower concurrency/)
  })

  it('counts 429 without Retry-After as a failed attempt', async () => {
    const transport = scripted([{ status: 429 }])
    await expect(deliver(request, { fetch: transport, retry: FAST })).rejects.toThrow(/answered 429 3 times/)
    expect(transport.calls).toBe(3)
  })

  it('does not retry what retrying cannot fix', async () => {
    for (const status of [400, 401, 413, 501]) {
      const transport = scripted([{ status, body: '{"error":"no"}' }])
      const failure = deliver(request, { fetch: transport, retry: FAST })
      await expect(failure).rejects.toBeInstanceOf(DemoDeliveryError)
      await expect(failure).rejects.toMatchObject({ status })
      expect(transport.calls).toBe(1)
    }
  })

  it('gives up on an unreachable server with a message that says so', async () => {
    let calls = 0
    const down: FetchLike = async () => {
      calls++
      throw new Error('connect ECONNREFUSED')
    }
    await expect(deliver(request, { fetch: down, retry: FAST })).rejects.toThrow(/Could not reach http:\/\/chorus\.test\/v1\/batch after 3 attempts \(connect ECONNREFUSED\)/)
    expect(calls).toBe(3)
  })

  it('stops when aborted', async () => {
    const controller = new AbortController()
    controller.abort(new Error('stopped by the user'))
    await expect(deliver(request, { fetch: scripted([{ status: 200 }]), retry: FAST, signal: controller.signal })).rejects.toThrow(/stopped by the user/)
  })
})

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP dates (RFC 9110 §10.2.3)', () => {
    expect(parseRetryAfter('3')).toBe(3000)
    expect(parseRetryAfter(null)).toBeNull()
    expect(parseRetryAfter('soon')).toBeNull()
    const inAMinute = parseRetryAfter(new Date(Date.now() + 60_000).toUTCString())!
    expect(inAMinute).toBeGreaterThan(55_000)
    expect(inAMinute).toBeLessThanOrEqual(60_000)
    expect(parseRetryAfter(new Date(0).toUTCString())).toBe(0)
  })
})
