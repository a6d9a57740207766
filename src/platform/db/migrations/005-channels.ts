import type { Kysely, Migration } from 'kysely'
import type { DialectName } from '../database.ts'
import { columnTypes } from '../column-types.ts'

/**
 * Channels: per-workspace settings and tracking secret, provider configurations and their cached
 * access tokens, templates, the send outbox (one row per idempotency key, written before any
 * provider is called), consent per profile and channel, do-not-contact flags, and the in-app inbox.
 */
export function channels(dialect: DialectName): Migration {
  const t = columnTypes(dialect)
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('channel_settings')
        .addColumn('workspace_id', 'text', (c) => c.primaryKey())
        .addColumn('token_secret', 'text', (c) => c.notNull())
        .addColumn('public_url', 'text')
        .addColumn('require_opt_in', t.json, (c) => c.notNull())
        .addColumn('inbox_verification', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .execute()

      await db.schema
        .createTable('channel_providers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('settings', t.json, (c) => c.notNull())
        .addColumn('secrets', t.json, (c) => c.notNull())
        .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .execute()
      await db.schema.createIndex('channel_providers_channel').on('channel_providers').columns(['workspace_id', 'channel', 'created_at']).execute()

      // One cached access token per provider, shared by every process: WeChat invalidates the
      // previous token whenever a new one is fetched, so processes must not each fetch their own.
      await db.schema
        .createTable('channel_provider_tokens')
        .addColumn('provider_id', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('access_token', 'text', (c) => c.notNull())
        .addColumn('expires_at', t.bigint, (c) => c.notNull())
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .execute()

      await db.schema
        .createTable('channel_templates')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('variants', t.json, (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .execute()
      await db.schema.createIndex('channel_templates_workspace').on('channel_templates').columns(['workspace_id', 'id']).execute()

      await db.schema
        .createTable('channel_messages')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('idempotency_key', 'text', (c) => c.notNull())
        .addColumn('profile_id', 'text')
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('provider_id', 'text')
        .addColumn('provider_kind', 'text')
        .addColumn('template_id', 'text')
        .addColumn('journey_id', 'text')
        .addColumn('node_id', 'text')
        .addColumn('broadcast_id', 'text')
        .addColumn('campaign', 'text')
        .addColumn('recipient', 'text')
        .addColumn('content', t.json)
        .addColumn('links', t.json, (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('retryable', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('reason_code', 'text')
        .addColumn('reason', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('provider_message_id', 'text')
        .addColumn('lease_until', t.bigint)
        .addColumn('last_attempt_at', t.bigint)
        .addColumn('sent_at', t.bigint)
        .addColumn('delivered_at', t.bigint)
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .addUniqueConstraint('channel_messages_idempotency', ['workspace_id', 'idempotency_key'])
        .execute()
      await db.schema.createIndex('channel_messages_provider_id').on('channel_messages').columns(['workspace_id', 'provider_message_id']).execute()
      await db.schema.createIndex('channel_messages_profile').on('channel_messages').columns(['workspace_id', 'profile_id', 'created_at']).execute()
      await db.schema.createIndex('channel_messages_status').on('channel_messages').columns(['workspace_id', 'status', 'created_at']).execute()

      await db.schema
        .createTable('channel_consents')
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('profile_id', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('channel_consents_pk', ['workspace_id', 'profile_id', 'channel'])
        .execute()

      await db.schema
        .createTable('channel_do_not_contact')
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('profile_id', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('channel_do_not_contact_pk', ['workspace_id', 'profile_id'])
        .execute()

      await db.schema
        .createTable('channel_inbox')
        .addColumn('message_id', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('profile_id', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('url', 'text')
        .addColumn('data', t.json, (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('read_at', t.bigint)
        .execute()
      await db.schema.createIndex('channel_inbox_profile').on('channel_inbox').columns(['workspace_id', 'profile_id', 'created_at']).execute()
    },
  }
}
