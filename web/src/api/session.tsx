import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react'
import { api, ApiError, onSignedOut, setCsrfToken } from './client.ts'

export type Permission = 'read' | 'write' | 'delete' | 'admin' | 'review'
export type Role = 'admin' | 'marketer' | 'analyst' | 'content_reviewer' | 'viewer'
export type Department = 'marketing' | 'sales' | 'product' | 'service' | 'other'

export interface SessionInfo {
  user: { id: string; name: string; displayName: string; role: Role; department: Department } | null
  role: Role
  permissions: Permission[]
  workspace: { id: string; name: string; currency: string; timezone: string }
  csrfToken: string | null
  via: 'session' | 'bearer'
}

interface SessionState {
  session: SessionInfo | null
  /** True until the first GET /session has answered. */
  checking: boolean
  /** Why the last check failed when it was not simply "signed out". */
  error: ApiError | null
  signIn(credentials: { name: string; password: string; workspace?: string } | { token: string }): Promise<void>
  signOut(): Promise<void>
  /** What the API will allow; the UI hides what it would refuse. */
  can(permission: Permission): boolean
}

const SessionContext = createContext<SessionState | null>(null)

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionInfo | null>(null)
  const [checking, setChecking] = useState(true)
  const [error, setError] = useState<ApiError | null>(null)

  const accept = useCallback((info: SessionInfo | null) => {
    // A session the server no longer knows: forget the marker too, so the next visit starts at sign-in quietly.
    if (!info) document.cookie = 'chorus_signed_in=; Max-Age=0; Path=/; SameSite=Lax'
    setCsrfToken(info?.csrfToken ?? null)
    setSession(info)
  }, [])

  useEffect(() => {
    const unsubscribe = onSignedOut(() => accept(null))
    // Without the sign-in marker cookie there is no session to ask about (and no failing request to log).
    if (!/(?:^|;\s*)chorus_signed_in=1/.test(document.cookie)) {
      setChecking(false)
      return unsubscribe
    }
    api<SessionInfo>('/session').then(
      (info) => accept(info),
      (failure: ApiError) => {
        if (failure.kind !== 'signedOut') setError(failure)
        accept(null)
      },
    ).finally(() => setChecking(false))
    return unsubscribe
  }, [accept])

  const signIn = useCallback(
    async (credentials: { name: string; password: string; workspace?: string } | { token: string }) => {
      const info = await api<SessionInfo>('/session', { method: 'POST', body: credentials })
      setError(null)
      accept(info)
    },
    [accept],
  )

  const signOut = useCallback(async () => {
    try {
      await api('/session', { method: 'DELETE' })
    } finally {
      accept(null)
    }
  }, [accept])

  const can = useCallback((permission: Permission) => session?.permissions.includes(permission) ?? false, [session])

  return <SessionContext.Provider value={{ session, checking, error, signIn, signOut, can }}>{children}</SessionContext.Provider>
}

export function useSession(): SessionState {
  const value = useContext(SessionContext)
  if (!value) throw new Error('useSession outside SessionProvider')
  return value
}

/** The signed-in session; only for components rendered behind the sign-in gate. */
export function useSignedIn(): SessionInfo & { can(permission: Permission): boolean } {
  const { session, can } = useSession()
  if (!session) throw new Error('useSignedIn rendered while signed out')
  return { ...session, can }
}
