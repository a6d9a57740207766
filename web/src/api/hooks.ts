import { useCallback, useEffect, useRef, useState } from 'react'
import { api, ApiError, type Page, type Query } from './client.ts'

export interface Loaded<T> {
  data: T | undefined
  error: ApiError | null
  loading: boolean
  reload(): void
}

/**
 * Loads `path` (with `query`) and reloads whenever either changes. `null` as the path waits
 * (e.g. until a required choice is made). A response that arrives after a newer request started
 * is dropped, so fast typing in a search box never shows stale results.
 *
 * @example const { data, error, loading } = useApi<Profile>(`/profiles/${id}`)
 */
export function useApi<T>(path: string | null, query?: Query, version = 0): Loaded<T> {
  return useRequest<T>(path, query, undefined, version)
}

/**
 * For reports asked for with a POST body (attribution, funnels, retention): sent again whenever
 * the body changes; `null` as the path waits.
 */
export function useReport<T>(path: string | null, body: unknown, version = 0): Loaded<T> {
  return useRequest<T>(path, undefined, body, version)
}

function useRequest<T>(path: string | null, query: Query | undefined, body: unknown, version: number): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: ApiError | null; loading: boolean }>({ data: undefined, error: null, loading: path !== null })
  const [tick, setTick] = useState(0)
  const key = path === null ? null : `${path}?${JSON.stringify(query ?? {})}#${version}#${body === undefined ? '' : JSON.stringify(body)}`
  useEffect(() => {
    if (path === null) return
    const controller = new AbortController()
    setState((s) => ({ ...s, loading: true, error: null }))
    api<T>(path, body === undefined ? { query, signal: controller.signal } : { method: 'POST', body, signal: controller.signal }).then(
      (data) => setState({ data, error: null, loading: false }),
      (error: unknown) => {
        if ((error as Error).name === 'AbortError') return
        setState({ data: undefined, error: error instanceof ApiError ? error : new ApiError(0, 'Network', String(error)), loading: false })
      },
    )
    return () => controller.abort()
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, tick])
  const reload = useCallback(() => setTick((t) => t + 1), [])
  return { ...state, reload }
}

export interface PagedList<T> extends Loaded<Page<T>> {
  /** 1-based page number. */
  page: number
  hasNext: boolean
  hasPrevious: boolean
  next(): void
  previous(): void
}

/**
 * A cursor-paginated list: remembers the cursors of the pages seen so the person can go back,
 * and starts from the first page whenever the filters change.
 */
export function usePagedList<T>(path: string | null, query: Query, version = 0): PagedList<T> {
  const filterKey = JSON.stringify(query)
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined])
  const lastKey = useRef(filterKey)
  if (lastKey.current !== filterKey) {
    lastKey.current = filterKey
    if (cursors.length !== 1) setCursors([undefined])
  }
  const cursor = cursors[cursors.length - 1]
  const loaded = useApi<Page<T>>(path, { ...query, cursor }, version)
  const nextCursor = loaded.data?.nextCursor ?? null
  return {
    ...loaded,
    page: cursors.length,
    hasNext: nextCursor !== null,
    hasPrevious: cursors.length > 1,
    next: () => nextCursor && setCursors((c) => [...c, nextCursor]),
    previous: () => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)),
  }
}

/** A value that follows `value` after it has stopped changing for `ms` (search boxes). */
export function useDebounced<T>(value: T, ms = 300): T {
  const [settled, setSettled] = useState(value)
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms)
    return () => clearTimeout(timer)
  }, [value, ms])
  return settled
}
