import { createContext, useContext, useEffect, useState, type ReactNode } from 'react'

/**
 * Which API routes this installation has, read from its OpenAPI document. Pages ask before they
 * call: a feature whose module is not installed shows an empty state naming what is missing
 * instead of an error.
 */
interface Capabilities {
  loaded: boolean
  has(method: string, path: string): boolean
}

const CapabilityContext = createContext<Capabilities>({ loaded: false, has: () => false })

export function CapabilityProvider({ children }: { children: ReactNode }) {
  const [routes, setRoutes] = useState<Set<string> | null>(null)
  useEffect(() => {
    fetch('/api/openapi.json', { credentials: 'same-origin' })
      .then((r) => (r.ok ? r.json() : { paths: {} }))
      .then((doc: { paths?: Record<string, Record<string, unknown>> }) => {
        const set = new Set<string>()
        for (const [path, methods] of Object.entries(doc.paths ?? {})) {
          for (const method of Object.keys(methods)) set.add(`${method.toUpperCase()} ${normalise(path)}`)
        }
        setRoutes(set)
      })
      .catch(() => setRoutes(new Set()))
  }, [])
  const value: Capabilities = { loaded: routes !== null, has: (method, path) => routes?.has(`${method.toUpperCase()} ${normalise(`/api/v1${path}`)}`) ?? false }
  return <CapabilityContext.Provider value={value}>{children}</CapabilityContext.Provider>
}

/** `/profiles/{id}` and `/profiles/:id` compare equal. */
function normalise(path: string): string {
  return path.replace(/\{[^}]+\}/g, ':').replace(/:[A-Za-z_]\w*/g, ':')
}

export function useCapabilities(): Capabilities {
  return useContext(CapabilityContext)
}
