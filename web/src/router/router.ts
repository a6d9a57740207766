import { useSyncExternalStore } from 'react'

/**
 * A small history router: the dashboard has a dozen pages, so a path matcher and pushState are
 * all it needs. The server answers every dashboard path with index.html, so reloads work.
 */
const NAVIGATE = 'chorus:navigate'

function subscribe(callback: () => void): () => void {
  window.addEventListener('popstate', callback)
  window.addEventListener(NAVIGATE, callback)
  return () => {
    window.removeEventListener('popstate', callback)
    window.removeEventListener(NAVIGATE, callback)
  }
}

const snapshot = () => window.location.pathname + window.location.search

/** The current path and query string; re-renders on navigation. */
export function useLocation(): { path: string; search: URLSearchParams } {
  const href = useSyncExternalStore(subscribe, snapshot, snapshot)
  const [path, query = ''] = href.split('?')
  return { path: path || '/', search: new URLSearchParams(query) }
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === snapshot()) return
  if (options.replace) window.history.replaceState(null, '', to)
  else window.history.pushState(null, '', to)
  window.scrollTo?.(0, 0)
  window.dispatchEvent(new Event(NAVIGATE))
}

/**
 * Matches `/customers/:id` against a path; returns the parameters or null.
 *
 * @example matchPath('/customers/:id', '/customers/prf_1') // { id: 'prf_1' }
 */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const a = pattern.split('/').filter(Boolean)
  const b = path.split('/').filter(Boolean)
  if (a.length !== b.length) return null
  const params: Record<string, string> = {}
  for (let i = 0; i < a.length; i++) {
    if (a[i]!.startsWith(':')) params[a[i]!.slice(1)] = decodeURIComponent(b[i]!)
    else if (a[i] !== b[i]) return null
  }
  return params
}

/** Replaces some query parameters of the current location (filters kept in the URL). */
export function setSearchParams(changes: Record<string, string | null | undefined>): void {
  const params = new URLSearchParams(window.location.search)
  for (const [key, value] of Object.entries(changes)) {
    if (value === null || value === undefined || value === '') params.delete(key)
    else params.set(key, value)
  }
  const qs = params.toString()
  navigate(`${window.location.pathname}${qs ? `?${qs}` : ''}`, { replace: true })
}
