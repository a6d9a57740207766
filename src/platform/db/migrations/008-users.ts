import type { Kysely, Migration } from 'kysely'
import type { DialectName } from '../database.ts'
import { columnTypes } from '../column-types.ts'

/**
 * Dashboard users (name + scrypt password hash, a role and a department) and their sign-in
 * sessions. A session row is keyed by the SHA-256 of the cookie value, so a copy of the table
 * cannot be replayed as cookies; it carries the synchronizer CSRF token the dashboard sends back
 * on every state-changing request.
 */
export function users(dialect: DialectName): Migration {
  const t = columnTypes(dialect)
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
        // Sign-in name, case-folded; unique per workspace.
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('department', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('locked_until', t.bigint)
        .addColumn('last_login_at', t.bigint)
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .execute()
      await db.schema.createIndex('users_name').on('users').columns(['workspace_id', 'name']).unique().execute()

      await db.schema
        .createTable('sessions')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        // Exactly one of user_id (signed in with a password) and token_id (with an admin token).
        .addColumn('user_id', 'text')
        .addColumn('token_id', 'text')
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('last_seen_at', t.bigint, (c) => c.notNull())
        .addColumn('expires_at', t.bigint, (c) => c.notNull())
        .execute()
      await db.schema.createIndex('sessions_user').on('sessions').columns(['workspace_id', 'user_id']).execute()
      await db.schema.createIndex('sessions_expiry').on('sessions').columns(['expires_at']).execute()
    },
  }
}
