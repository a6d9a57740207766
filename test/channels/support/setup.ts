import { expect } from 'vitest'
import { readJson } from '../../../src/platform/index.ts'
import type { TestChorus, TestWorkspace } from '../../support/chorus.ts'

export const PUBLIC_URL = 'https://chorus.example.com'

/** Channel settings with the public URL tracked links are built on. */
export async function configureChannels(chorus: TestChorus, ws: TestWorkspace, settings: Record<string, unknown> = {}) {
  const res = await chorus.app.inject({ method: 'PUT', url: '/api/v1/channels/settings', headers: ws.bearer, payload: { publicUrl: PUBLIC_URL, ...settings } })
  expect(res.statusCode).toBe(200)
  return res.json()
}

export async function addProvider(chorus: TestChorus, ws: TestWorkspace, body: Record<string, unknown>): Promise<string> {
  const res = await chorus.app.inject({ method: 'POST', url: '/api/v1/channels/providers', headers: ws.bearer, payload: { name: String(body.kind), ...body } })
  expect(res.statusCode, res.body).toBe(201)
  return res.json().id
}

export async function addTemplate(chorus: TestChorus, ws: TestWorkspace, body: Record<string, unknown>): Promise<string> {
  const res = await chorus.app.inject({ method: 'POST', url: '/api/v1/templates', headers: ws.bearer, payload: body })
  expect(res.statusCode, res.body).toBe(201)
  return res.json().id
}

/** A person, created through the tracking API as an app would; returns their profile id. */
export async function identify(chorus: TestChorus, ws: TestWorkspace, userId: string, traits: Record<string, unknown>, context: Record<string, unknown> = {}): Promise<string> {
  const res = await chorus.app.inject({ method: 'POST', url: '/v1/batch', headers: ws.basic, payload: { batch: [{ type: 'identify', userId, traits, context }] } })
  expect(res.statusCode, res.body).toBe(200)
  const lookup = await chorus.app.inject({ method: 'GET', url: `/api/v1/profiles/lookup?type=user_id&value=${encodeURIComponent(userId)}`, headers: ws.bearer })
  expect(lookup.statusCode).toBe(200)
  return lookup.json().id
}

export interface LoggedEvent {
  event: string
  profileId: string | null
  channel: string | null
  messageId: string
  properties: Record<string, unknown>
}

/** Events of the workspace's log with the given name, oldest first. */
export async function loggedEvents(chorus: TestChorus, ws: TestWorkspace, name: string): Promise<LoggedEvent[]> {
  const rows = await chorus.ctx.database.db
    .selectFrom('events')
    .select(['event', 'profile_id', 'channel', 'message_id', 'payload'])
    .where('workspace_id', '=', ws.workspaceId)
    .where('event', '=', name)
    .orderBy('seq')
    .execute()
  return rows.map((r) => ({ event: r.event!, profileId: r.profile_id, channel: r.channel, messageId: r.message_id, properties: readJson<{ properties: Record<string, unknown> }>(r.payload, { properties: {} }).properties }))
}

/** The first tracked redirect link in a text, as the path to inject. */
export function trackedPath(text: string): string {
  const match = text.match(/https:\/\/chorus\.example\.com(\/r\/[A-Za-z0-9_.-]+)/)
  if (!match) throw new Error(`no tracked link in: ${text.slice(0, 500)}`)
  return match[1]!
}
