/** Dashboard users: sign-in name, scrypt password hash, role and department (src/users). */
export interface UsersTable {
  id: string
  workspace_id: string
  name: string
  display_name: string
  role: string
  department: string
  password_hash: string
  disabled: number
  failed_logins: number
  locked_until: number | null
  last_login_at: number | null
  created_at: number
  updated_at: number
}

/** Dashboard sessions, keyed by the SHA-256 of the cookie value (src/users). */
export interface SessionsTable {
  id_hash: string
  workspace_id: string
  user_id: string | null
  token_id: string | null
  csrf_token: string
  created_at: number
  last_seen_at: number
  expires_at: number
}
