/**
 * The content hub's storage: message houses with versions, channel profiles per workspace, the
 * content matrix with review states and stored checks, assets, and full-text search.
 */
export { ContentHub } from './hub.ts'
export type { Outcome, Refusal, Actor } from './outcome.ts'
export type { HouseView, HouseVersionSummary, HouseListItem } from './houses.ts'
export type { HouseReport } from './recheck.ts'
export type { ChannelProfileView } from './channel-profiles.ts'
export { VariantState, type VariantView, type VariantCheck, type ContentMatrix, type MatrixCell, type CellInput } from './variants.ts'
export { ReviewAction, STEP_PERMISSION, type ReviewEvent, type StepInput } from './review-flow.ts'
export { AssetInput, AssetChange, normaliseTag, type AssetView, type AssetUsage } from './assets.ts'
export { SearchIndex, BM25, snippetOf, type SearchDocument, type SearchHit, type SearchPage } from './search-index.ts'
export { indexTerms, queryTerms, hanBigrams } from './search-terms.ts'
