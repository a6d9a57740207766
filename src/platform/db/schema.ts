import type { WorkspacesTable, SourcesTable, AdminTokensTable, EventsTable, IdentitiesTable, ProfilesTable, MergesTable, ProcessorCursorsTable, JobsTable, SuppressionsTable, SeenMessagesTable, ItemsTable, IdentityRulesTable, IdentityEpochTable, ImportsTable } from './schema/foundation.ts'
import type { CustomerFunnelsTable, CustomerModelsTable, CustomerScoresTable, CustomerLifecycleRulesTable } from './schema/customers.ts'
import type { UsersTable, SessionsTable } from './schema/users.ts'
import type { ChannelSettingsTable, ChannelProvidersTable, ChannelProviderTokensTable, ChannelTemplatesTable, ChannelMessagesTable, ChannelConsentsTable, ChannelDoNotContactTable, ChannelInboxTable } from './schema/channels.ts'
import type { ContentHousesTable, ContentHouseVersionsTable, ContentHouseReportsTable, ContentChannelProfilesTable, ContentVariantsTable, ContentVariantVersionsTable, ContentVariantEventsTable, ContentAssetsTable, ContentAssetTagsTable, ContentAssetUsagesTable, ContentSearchDocsTable, ContentSearchTermsTable } from './schema/content.ts'
import type { CampaignsTable, CampaignPlanEditsTable, CampaignAlertsTable, CampaignReviewsTable, CampaignLessonsTable } from './schema/campaigns.ts'
import type { JourneysTable, JourneyVersionsTable, JourneyRunsTable, JourneySendsTable, JourneyFactsTable, JourneySettingsTable, BroadcastsTable } from './schema/journeys.ts'
import type { AudiencesTable, AudienceMembersTable, AudienceRecomputesTable } from './schema/audiences.ts'
import type { MeasurementChannelRulesTable, MeasurementConversionsTable, MeasurementSpendTable, EventCountsTable, MeasurementMmmModelsTable } from './schema/measurement.ts'

export type * from './schema/foundation.ts'
export type * from './schema/customers.ts'
export type * from './schema/users.ts'
export type * from './schema/channels.ts'
export type * from './schema/content.ts'
export type * from './schema/campaigns.ts'
export type * from './schema/journeys.ts'
export type * from './schema/audiences.ts'
export type * from './schema/measurement.ts'

/**
 * The tables every module shares, as Kysely sees them. Times are epoch milliseconds (UTC);
 * JSON columns are `text` on SQLite and `jsonb` on PostgreSQL — write them as strings and read
 * them with `readJson`.
 */
export interface Schema {
  identity_epoch: IdentityEpochTable
  workspaces: WorkspacesTable
  sources: SourcesTable
  admin_tokens: AdminTokensTable
  events: EventsTable
  identities: IdentitiesTable
  profiles: ProfilesTable
  merges: MergesTable
  processor_cursors: ProcessorCursorsTable
  jobs: JobsTable
  suppressions: SuppressionsTable
  seen_messages: SeenMessagesTable
  items: ItemsTable
  identity_rules: IdentityRulesTable
  measurement_channel_rules: MeasurementChannelRulesTable
  measurement_conversions: MeasurementConversionsTable
  measurement_spend: MeasurementSpendTable
  measurement_mmm_models: MeasurementMmmModelsTable
  customer_funnels: CustomerFunnelsTable
  customer_models: CustomerModelsTable
  customer_scores: CustomerScoresTable
  customer_lifecycle_rules: CustomerLifecycleRulesTable
  users: UsersTable
  sessions: SessionsTable
  channel_settings: ChannelSettingsTable
  channel_providers: ChannelProvidersTable
  channel_provider_tokens: ChannelProviderTokensTable
  channel_templates: ChannelTemplatesTable
  channel_messages: ChannelMessagesTable
  channel_consents: ChannelConsentsTable
  channel_do_not_contact: ChannelDoNotContactTable
  channel_inbox: ChannelInboxTable
  content_houses: ContentHousesTable
  content_house_versions: ContentHouseVersionsTable
  content_house_reports: ContentHouseReportsTable
  content_channel_profiles: ContentChannelProfilesTable
  content_variants: ContentVariantsTable
  content_variant_versions: ContentVariantVersionsTable
  content_variant_events: ContentVariantEventsTable
  content_assets: ContentAssetsTable
  content_asset_tags: ContentAssetTagsTable
  content_asset_usages: ContentAssetUsagesTable
  content_search_docs: ContentSearchDocsTable
  content_search_terms: ContentSearchTermsTable
  campaigns: CampaignsTable
  campaign_plan_edits: CampaignPlanEditsTable
  campaign_alerts: CampaignAlertsTable
  campaign_reviews: CampaignReviewsTable
  campaign_lessons: CampaignLessonsTable
  journeys: JourneysTable
  journey_versions: JourneyVersionsTable
  journey_runs: JourneyRunsTable
  journey_sends: JourneySendsTable
  journey_facts: JourneyFactsTable
  journey_settings: JourneySettingsTable
  broadcasts: BroadcastsTable
  audiences: AudiencesTable
  audience_members: AudienceMembersTable
  audience_recomputes: AudienceRecomputesTable
  event_counts: EventCountsTable
  imports: ImportsTable
}
