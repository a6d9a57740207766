/**
 * The dashboard's only way to the server: JSON over the public HTTP API, with the session
 * cookie (sent by the browser) and, on every state-changing request, the session's CSRF token.
 * Failures become an {@link ApiError} whose `kind` the pages turn into words a person can act on.
 */

export type ApiErrorKind = 'network' | 'signedOut' | 'forbidden' | 'notFound' | 'conflict' | 'invalid' | 'busy' | 'server' | 'unavailable'

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly kind: ApiErrorKind
  readonly details: unknown
  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message)
    this.status = status
    this.code = code
    this.details = details
    this.kind = kindOf(status, code, message)
  }
}

function kindOf(status: number, code: string, message: string): ApiErrorKind {
  if (status === 0) return 'network'
  if (status === 401) return 'signedOut'
  if (status === 403) return code === 'CsrfTokenMissing' ? 'signedOut' : 'forbidden'
  // The server's answer for a path it has no route for: the feature is not in this installation.
  if (status === 404) return /^No route /.test(message) ? 'unavailable' : 'notFound'
  if (status === 409) return 'conflict'
  if (status === 429 || status === 503) return 'busy'
  if (status >= 500) return 'server'
  return 'invalid'
}

let csrfToken: string | null = null
const signedOutListeners = new Set<() => void>()

/** Remembers the CSRF token of the current session (from sign-in or GET /session). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token
}

/** Called when any request finds the session gone, so the shell can show the sign-in page. */
export function onSignedOut(listener: () => void): () => void {
  signedOutListeners.add(listener)
  return () => signedOutListeners.delete(listener)
}

export type Query = Record<string, string | number | boolean | null | undefined>

/** `/api/v1` + path + the query's defined values. */
export function apiUrl(path: string, query?: Query): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined && value !== null && value !== '') params.set(key, String(value))
  const qs = params.toString()
  return `/api/v1${path}${qs ? `?${qs}` : ''}`
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  query?: Query
  body?: unknown
  signal?: AbortSignal
  /** Raw body (e.g. a CSV file) with its content type. */
  raw?: { body: BodyInit; contentType: string }
}

/**
 * Calls the API and returns the parsed JSON body.
 *
 * @example const people = await api<Page<Person>>('/profiles', { query: { q: '138' } })
 */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET'
  const headers: Record<string, string> = { accept: 'application/json' }
  let body: BodyInit | undefined
  if (options.raw) {
    headers['content-type'] = options.raw.contentType
    body = options.raw.body
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json'
    body = JSON.stringify(options.body)
  }
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken
  let response: Response
  try {
    response = await fetch(apiUrl(path, options.query), { method, headers, body, credentials: 'same-origin', signal: options.signal })
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error
    throw new ApiError(0, 'Network', (error as Error).message)
  }
  const text = await response.text()
  let json: unknown = null
  if (text) {
    try {
      json = JSON.parse(text)
    } catch {
      json = null
    }
  }
  if (!response.ok) {
    const error = (json as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error
    const failure = new ApiError(response.status, error?.code ?? `Http${response.status}`, error?.message ?? response.statusText, error?.details)
    if (failure.kind === 'signedOut' && path !== '/session') for (const listener of signedOutListeners) listener()
    throw failure
  }
  return json as T
}

/** One page of a cursor-paginated list, as every list endpoint answers. */
export interface Page<T> {
  items: T[]
  nextCursor: string | null
}
