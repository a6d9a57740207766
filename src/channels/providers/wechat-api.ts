import type { Kysely } from 'kysely'
import type { Schema } from '../../platform/index.ts'
import { failed, type ProviderResult } from '../provider.ts'
import { callProvider } from './http-call.ts'

/**
 * Access tokens for WeChat (公众号 / 小程序, `GET /cgi-bin/token`) and WeCom (`GET /cgi-bin/gettoken`),
 * cached in the database for every process to share: fetching a new WeChat token invalidates the
 * previous one after a short overlap, so each worker fetching its own would keep breaking the
 * others' (WeChat's access_token guide: "重复获取将导致上次获取的access_token失效"). Tokens are
 * refreshed five minutes before they expire, and once more when an API call says the token is
 * invalid or expired.
 */
export interface TokenStore {
  read(providerId: string): Promise<{ token: string; expiresAt: number } | null>
  write(providerId: string, token: string, expiresAt: number): Promise<void>
  clear(providerId: string, token: string): Promise<void>
}

export function databaseTokenStore(db: Kysely<Schema>, workspaceId: string, clock: { now(): number }): TokenStore {
  return {
    async read(providerId) {
      const row = await db.selectFrom('channel_provider_tokens').select(['access_token', 'expires_at']).where('provider_id', '=', providerId).executeTakeFirst()
      return row ? { token: row.access_token, expiresAt: Number(row.expires_at) } : null
    },
    async write(providerId, token, expiresAt) {
      const now = clock.now()
      await db
        .insertInto('channel_provider_tokens')
        .values({ provider_id: providerId, workspace_id: workspaceId, access_token: token, expires_at: expiresAt, updated_at: now })
        .onConflict((oc) => oc.column('provider_id').doUpdateSet({ access_token: token, expires_at: expiresAt, updated_at: now }))
        .execute()
    },
    async clear(providerId, token) {
      await db.deleteFrom('channel_provider_tokens').where('provider_id', '=', providerId).where('access_token', '=', token).execute()
    },
  }
}

export interface TokenEndpoint {
  label: string
  /** Full URL of the token endpoint, credentials in the query as both APIs require. */
  url: string
  timeoutMs?: number
}

const REFRESH_MARGIN_MS = 5 * 60_000
/** errcodes meaning the access token is invalid or expired (WeChat and WeCom global return codes). */
export const TOKEN_ERRORS = new Set([40001, 40014, 42001])
// -1 system busy, 45009 / 45011 frequency limits, 45033 concurrency: all pass with time.
const RETRYABLE_ERRORS = new Set([-1, 45009, 45011, 45033])

export class AccessTokenSource {
  readonly #providerId: string
  readonly #store: TokenStore
  readonly #clock: { now(): number }
  readonly #endpoint: TokenEndpoint

  constructor(options: { providerId: string; store: TokenStore; clock: { now(): number }; endpoint: TokenEndpoint }) {
    this.#providerId = options.providerId
    this.#store = options.store
    this.#clock = options.clock
    this.#endpoint = options.endpoint
  }

  async token(): Promise<{ kind: 'Token'; token: string } | { kind: 'Failed'; result: ProviderResult }> {
    const cached = await this.#store.read(this.#providerId)
    if (cached && cached.expiresAt - REFRESH_MARGIN_MS > this.#clock.now()) return { kind: 'Token', token: cached.token }
    return this.#fetch()
  }

  async invalidate(token: string): Promise<void> {
    await this.#store.clear(this.#providerId, token)
  }

  async #fetch(): Promise<{ kind: 'Token'; token: string } | { kind: 'Failed'; result: ProviderResult }> {
    const label = this.#endpoint.label
    const answer = await callProvider(label, this.#endpoint.url, { method: 'GET', timeoutMs: this.#endpoint.timeoutMs })
    if (answer.kind === 'NoAnswer') return { kind: 'Failed', result: answer.result }
    const reply = answer.body as { access_token?: string; expires_in?: number; errcode?: number; errmsg?: string } | null
    if (reply?.access_token && typeof reply.expires_in === 'number') {
      const expiresAt = this.#clock.now() + reply.expires_in * 1000
      await this.#store.write(this.#providerId, reply.access_token, expiresAt)
      return { kind: 'Token', token: reply.access_token }
    }
    if (reply && typeof reply.errcode === 'number') return { kind: 'Failed', result: wechatError(`${label} token`, reply.errcode, reply.errmsg) }
    return { kind: 'Failed', result: failed(answer.status >= 500, `${label} token endpoint answered HTTP ${answer.status}: ${answer.text.slice(0, 200)}`) }
  }
}

/** A WeChat or WeCom errcode as a provider result. */
export function wechatError(label: string, errcode: number, errmsg: string | undefined, explain: Record<number, string> = {}): ProviderResult {
  const why = explain[errcode] ? ` (${explain[errcode]})` : ''
  return failed(RETRYABLE_ERRORS.has(errcode), `${label} refused: errcode ${errcode} ${errmsg ?? ''}${why}`.trim())
}

export type WechatReply = { errcode?: number; errmsg?: string; msgid?: number | string; fail_list?: string[] }

/**
 * POSTs JSON to a token-authenticated WeChat/WeCom API, refreshing the token once when the API
 * says it is invalid or expired — safe to repeat, since that request was refused.
 */
export async function postWithToken(
  source: AccessTokenSource,
  label: string,
  url: (token: string) => string,
  body: unknown,
  timeoutMs: number | undefined,
): Promise<{ kind: 'Reply'; reply: WechatReply } | { kind: 'Failed'; result: ProviderResult }> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const token = await source.token()
    if (token.kind === 'Failed') return token
    const answer = await callProvider(label, url(token.token), {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(body),
      timeoutMs,
    })
    if (answer.kind === 'NoAnswer') return { kind: 'Failed', result: answer.result }
    const reply = answer.body as WechatReply | null
    if (!reply || typeof reply.errcode !== 'number') {
      return { kind: 'Failed', result: failed(answer.status >= 500, `${label} answered HTTP ${answer.status} without an errcode: ${answer.text.slice(0, 200)}`, answer.status >= 500) }
    }
    if (TOKEN_ERRORS.has(reply.errcode) && attempt === 0) {
      await source.invalidate(token.token)
      continue
    }
    return { kind: 'Reply', reply }
  }
  return { kind: 'Failed', result: failed(true, `${label} kept rejecting fresh access tokens`) }
}
