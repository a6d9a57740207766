import { expect } from 'vitest'
import type { TestChorus, TestWorkspace } from '../support/chorus.ts'

/** Helpers the customer-metrics API tests share: send calls at chosen times, call the API. */
export const MINUTE = 60_000
export const DAY = 86_400_000

export async function send(chorus: TestChorus, ws: TestWorkspace, batch: object[]): Promise<void> {
  for (let i = 0; i < batch.length; i += 500) {
    const res = await chorus.app.inject({ method: 'POST', url: '/v1/batch', headers: ws.basic, payload: { batch: batch.slice(i, i + 500) } })
    expect(res.statusCode, res.body).toBe(200)
  }
}

export function track(who: { userId?: string; anonymousId?: string }, event: string, at: number, properties: object = {}, source?: string): object {
  return { type: 'track', ...who, event, properties, timestamp: new Date(at).toISOString(), ...(source ? { context: { campaign: { source } } } : {}) }
}

export function page(who: { userId?: string; anonymousId?: string }, name: string, at: number, source?: string): object {
  return { type: 'page', ...who, name, timestamp: new Date(at).toISOString(), ...(source ? { context: { campaign: { source } } } : {}) }
}

export function order(who: { userId?: string; anonymousId?: string }, at: number, total: number, source?: string): object {
  return track(who, 'Order Completed', at, { total, currency: 'CNY' }, source)
}

export async function api(chorus: TestChorus, ws: TestWorkspace, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) {
  const res = await chorus.app.inject({ method, url: `/api/v1${url}`, headers: ws.bearer, ...(payload ? { payload } : {}) })
  return { status: res.statusCode, body: res.headers['content-type']?.toString().includes('json') ? res.json() : res.body, headers: res.headers }
}

/** The canonical profile id of a user id or anonymous id. */
export async function personOf(chorus: TestChorus, ws: TestWorkspace, type: 'user_id' | 'anonymous_id', value: string): Promise<string> {
  const res = await chorus.app.inject({ method: 'GET', url: `/api/v1/profiles/lookup?type=${type}&value=${encodeURIComponent(value)}`, headers: ws.bearer })
  expect(res.statusCode, res.body).toBe(200)
  return res.json().id
}
