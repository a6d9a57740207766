import type { Kysely, Migration } from 'kysely'
import type { DialectName } from '../database.ts'
import { columnTypes } from '../column-types.ts'

/**
 * The content hub: message houses and their versions, per-workspace channel profile overrides,
 * the content matrix (one variant per house × channel × stage) with versions, check reports and
 * the review trail, assets with tags and usage, and the inverted index behind full-text search.
 */
export function contentHub(dialect: DialectName): Migration {
  const t = columnTypes(dialect)
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('content_houses')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('brand', 'text', (c) => c.notNull())
        .addColumn('campaign_id', 'text')
        .addColumn('current_version', 'integer', (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .execute()
      await db.schema.createIndex('content_houses_workspace').on('content_houses').columns(['workspace_id', 'id']).execute()

      await db.schema
        .createTable('content_house_versions')
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('house_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('house', t.json, (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('content_house_versions_pk', ['house_id', 'version'])
        .execute()

      // The campaign-level report of a house's current variants against its current version.
      await db.schema
        .createTable('content_house_reports')
        .addColumn('house_id', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('house_version', 'integer', (c) => c.notNull())
        .addColumn('score', 'integer')
        .addColumn('report', t.json, (c) => c.notNull())
        .addColumn('computed_at', t.bigint, (c) => c.notNull())
        .execute()

      await db.schema
        .createTable('content_channel_profiles')
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('channel_id', 'text', (c) => c.notNull())
        .addColumn('profile', t.json, (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('content_channel_profiles_pk', ['workspace_id', 'channel_id'])
        .execute()

      await db.schema
        .createTable('content_variants')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('house_id', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('current_version', 'integer', (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .addUniqueConstraint('content_variants_cell', ['workspace_id', 'house_id', 'channel', 'stage'])
        .execute()

      await db.schema
        .createTable('content_variant_versions')
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('variant_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('persona', 'text')
        .addColumn('fields', t.json, (c) => c.notNull())
        .addColumn('hashtags', t.json, (c) => c.notNull())
        // What the checks said about this version, against which house version, and when.
        .addColumn('house_version', 'integer')
        .addColumn('report', t.json)
        .addColumn('score', 'integer')
        .addColumn('blocks', 'integer')
        .addColumn('warnings', 'integer')
        .addColumn('checked_at', t.bigint)
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('content_variant_versions_pk', ['variant_id', 'version'])
        .execute()

      // seq orders steps taken within the same millisecond.
      let events = db.schema.createTable('content_variant_events')
      events =
        dialect === 'postgres'
          ? events.addColumn('seq', 'bigserial', (c) => c.primaryKey())
          : events.addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
      await events
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('variant_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('from_state', 'text')
        .addColumn('to_state', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('comment', 'text')
        .addColumn('at', t.bigint, (c) => c.notNull())
        .execute()
      await db.schema.createIndex('content_variant_events_variant').on('content_variant_events').columns(['workspace_id', 'variant_id', 'at']).execute()

      await db.schema
        .createTable('content_assets')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('tags', t.json, (c) => c.notNull())
        .addColumn('meta', t.json, (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .execute()
      await db.schema.createIndex('content_assets_workspace').on('content_assets').columns(['workspace_id', 'id']).execute()

      await db.schema
        .createTable('content_asset_tags')
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('tag', 'text', (c) => c.notNull())
        .addColumn('asset_id', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('content_asset_tags_pk', ['workspace_id', 'tag', 'asset_id'])
        .execute()

      await db.schema
        .createTable('content_asset_usages')
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('asset_id', 'text', (c) => c.notNull())
        .addColumn('variant_id', 'text', (c) => c.notNull())
        .addColumn('placement', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('content_asset_usages_pk', ['asset_id', 'variant_id', 'placement'])
        .execute()
      await db.schema.createIndex('content_asset_usages_variant').on('content_asset_usages').columns(['workspace_id', 'variant_id']).execute()

      // Full-text search: one row per searchable document, one per (term, document) with its count.
      await db.schema
        .createTable('content_search_docs')
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('doc_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('ref_id', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('length', 'integer', (c) => c.notNull())
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('content_search_docs_pk', ['workspace_id', 'doc_id'])
        .execute()
      await db.schema
        .createTable('content_search_terms')
        .addColumn('workspace_id', 'text', (c) => c.notNull())
        .addColumn('term', 'text', (c) => c.notNull())
        .addColumn('doc_id', 'text', (c) => c.notNull())
        .addColumn('tf', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('content_search_terms_pk', ['workspace_id', 'term', 'doc_id'])
        .execute()
      await db.schema.createIndex('content_search_terms_doc').on('content_search_terms').columns(['workspace_id', 'doc_id']).execute()
    },
  }
}
