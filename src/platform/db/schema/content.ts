import type { Generated } from 'kysely'

/** Content hub (src/content/store): a message house and its versions (each save is a new version). */
export interface ContentHousesTable {
  id: string
  workspace_id: string
  name: string
  brand: string
  campaign_id: string | null
  current_version: number
  created_at: number
  updated_at: number
}

export interface ContentHouseVersionsTable {
  workspace_id: string
  house_id: string
  version: number
  house: string
  note: string | null
  created_by: string
  created_at: number
}

export interface ContentHouseReportsTable {
  house_id: string
  workspace_id: string
  house_version: number
  score: number | null
  report: string
  computed_at: number
}

/** A workspace's own version of a channel profile (an edited default, or a channel of its own). */
export interface ContentChannelProfilesTable {
  workspace_id: string
  channel_id: string
  profile: string
  updated_by: string
  updated_at: number
}

/** One cell of the content matrix: a house × channel × journey stage, with its review state. */
export interface ContentVariantsTable {
  id: string
  workspace_id: string
  house_id: string
  channel: string
  stage: string
  /** `draft`, `in_review`, `approved` or `published`. */
  state: string
  current_version: number
  created_at: number
  updated_at: number
}

export interface ContentVariantVersionsTable {
  workspace_id: string
  variant_id: string
  version: number
  persona: string | null
  fields: string
  hashtags: string
  house_version: number | null
  report: string | null
  score: number | null
  blocks: number | null
  warnings: number | null
  checked_at: number | null
  created_by: string
  created_at: number
}

/** The review trail: who moved which version of a variant to which state, when, and why. */
export interface ContentVariantEventsTable {
  seq: Generated<number>
  id: string
  workspace_id: string
  variant_id: string
  version: number
  action: string
  from_state: string | null
  to_state: string
  actor: string
  role: string
  comment: string | null
  at: number
}

export interface ContentAssetsTable {
  id: string
  workspace_id: string
  kind: string
  url: string
  title: string
  description: string | null
  tags: string
  meta: string
  created_by: string
  created_at: number
  updated_at: number
}

export interface ContentAssetTagsTable {
  workspace_id: string
  tag: string
  asset_id: string
}

export interface ContentAssetUsagesTable {
  workspace_id: string
  asset_id: string
  variant_id: string
  placement: string
  created_by: string
  created_at: number
}

/** Full-text search: a document (variant, house, asset, lesson) and its inverted-index terms. */
export interface ContentSearchDocsTable {
  workspace_id: string
  doc_id: string
  kind: string
  ref_id: string
  title: string
  body: string
  length: number
  updated_at: number
}

export interface ContentSearchTermsTable {
  workspace_id: string
  term: string
  doc_id: string
  tf: number
}
