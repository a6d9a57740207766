import type { Database } from '../../platform/index.ts'
import type { ChannelProfileChange } from '../channel-profile.ts'
import { loadStopWords } from '../text/stop-words.ts'
import { createAnalyzer } from '../text/terms.ts'
import { loadTokenizer, type Tokenizer } from '../text/tokenizer.ts'
import { attachAsset, createAsset, deleteAsset, detachAsset, getAsset, listAssets, updateAsset, variantAssets } from './assets.ts'
import { changeChannelProfile, effectiveChannelProfiles, getChannelProfile, putChannelProfile, resetChannelProfile } from './channel-profiles.ts'
import type { HubDeps } from './deps.ts'
import { createHouse, getHouse, listHouses, listHouseVersions, saveHouseVersion } from './houses.ts'
import { ok, type Actor, type Outcome } from './outcome.ts'
import { housesUsingChannel, readHouseReport, recheckHouse } from './recheck.ts'
import { stepVariant, variantHistory, type StepInput } from './review-flow.ts'
import { SearchIndex } from './search-index.ts'
import { contentMatrix, getVariant, listVariantVersions, saveCell, type CellInput } from './variants.ts'

/**
 * The content hub: storage and workflow around the checking engine — versioned message houses,
 * per-workspace channel profiles, the content matrix with versions, checks and the review flow,
 * assets, and full-text search. Every method takes the workspace explicitly; nothing is global.
 *
 * @example
 * const hub = await ContentHub.open({ database })
 * const house = await hub.createHouse({ workspaceId, name: '上市', house, actor, now })
 * const cell = await hub.saveCell({ workspaceId, houseId: house.value.id, channel: 'sms', stage: 'decision', fields: { signature: '【和声】', body: '…' }, actor, now })
 * cell.ok && cell.value.check.score // 0–100, with every finding in cell.value.check.report.items
 */
export class ContentHub {
  readonly #deps: HubDeps

  constructor(options: { database: Database; tokenizer: Tokenizer }) {
    const analyzer = createAnalyzer({ tokenizer: options.tokenizer, stopWords: loadStopWords() })
    this.#deps = {
      database: options.database,
      tokenizer: options.tokenizer,
      analyzer,
      search: new SearchIndex({ analyzer, dialect: options.database.dialect }),
    }
  }

  /** Loads the tokenizer (jieba, or Intl.Segmenter if jieba cannot load) and builds the hub. */
  static async open(options: { database: Database; tokenizer?: Tokenizer }): Promise<ContentHub> {
    return new ContentHub({ database: options.database, tokenizer: options.tokenizer ?? (await loadTokenizer()) })
  }

  /** The search index, for modules that index their own documents (campaign lessons). */
  get searchIndex(): SearchIndex {
    return this.#deps.search
  }

  get analyzer() {
    return this.#deps.analyzer
  }

  // Message houses
  createHouse(input: Parameters<typeof createHouse>[1]) {
    return createHouse(this.#deps, input)
  }
  saveHouseVersion(input: Parameters<typeof saveHouseVersion>[1]) {
    return saveHouseVersion(this.#deps, input)
  }
  getHouse(input: { workspaceId: string; houseId: string; version?: number }) {
    return getHouse(this.#deps, input)
  }
  listHouses(input: Parameters<typeof listHouses>[1]) {
    return listHouses(this.#deps, input)
  }
  listHouseVersions(input: { workspaceId: string; houseId: string }) {
    return listHouseVersions(this.#deps, input)
  }
  houseReport(input: { workspaceId: string; houseId: string }) {
    return readHouseReport(this.#deps.database.db, input.workspaceId, input.houseId)
  }

  // Channel profiles
  channelProfiles(workspaceId: string) {
    return effectiveChannelProfiles(this.#deps.database.db, workspaceId)
  }
  channelProfile(workspaceId: string, channelId: string) {
    return getChannelProfile(this.#deps.database.db, workspaceId, channelId)
  }
  async putChannelProfile(input: { workspaceId: string; channelId: string; input: unknown; actor: Actor; now: number }) {
    const outcome = await putChannelProfile(this.#deps.database.db, input)
    if (outcome.ok) await this.#recheckChannel(input.workspaceId, input.channelId, input.now)
    return outcome
  }
  async changeChannelProfile(input: { workspaceId: string; channelId: string; change: ChannelProfileChange; actor: Actor; now: number }) {
    const outcome = await changeChannelProfile(this.#deps.database.db, input)
    if (outcome.ok) await this.#recheckChannel(input.workspaceId, input.channelId, input.now)
    return outcome
  }
  async resetChannelProfile(input: { workspaceId: string; channelId: string; now: number }) {
    const outcome = await resetChannelProfile(this.#deps.database.db, input)
    if (outcome.ok) await this.#recheckChannel(input.workspaceId, input.channelId, input.now)
    return outcome
  }

  // The content matrix and review flow
  saveCell(input: CellInput) {
    return saveCell(this.#deps, input)
  }
  getVariant(input: { workspaceId: string; variantId: string; version?: number }) {
    return getVariant(this.#deps.database.db, input)
  }
  listVariantVersions(input: { workspaceId: string; variantId: string }) {
    return listVariantVersions(this.#deps.database.db, input)
  }
  matrix(input: { workspaceId: string; houseId: string }) {
    return contentMatrix(this.#deps.database.db, input)
  }
  step(input: StepInput) {
    return stepVariant(this.#deps, input)
  }
  history(input: { workspaceId: string; variantId: string }) {
    return variantHistory(this.#deps.database.db, input)
  }

  // Assets
  createAsset(input: Parameters<typeof createAsset>[1]) {
    return createAsset(this.#deps, input)
  }
  updateAsset(input: Parameters<typeof updateAsset>[1]) {
    return updateAsset(this.#deps, input)
  }
  deleteAsset(input: Parameters<typeof deleteAsset>[1]) {
    return deleteAsset(this.#deps, input)
  }
  getAsset(input: Parameters<typeof getAsset>[1]) {
    return getAsset(this.#deps, input)
  }
  listAssets(input: Parameters<typeof listAssets>[1]) {
    return listAssets(this.#deps, input)
  }
  attachAsset(input: Parameters<typeof attachAsset>[1]) {
    return attachAsset(this.#deps, input)
  }
  detachAsset(input: Parameters<typeof detachAsset>[1]) {
    return detachAsset(this.#deps, input)
  }
  variantAssets(input: Parameters<typeof variantAssets>[1]) {
    return variantAssets(this.#deps, input)
  }

  // Search
  search(input: { workspaceId: string; query: string; kinds?: readonly string[]; limit?: number; cursor?: string | null }) {
    return this.#deps.search.search(this.#deps.database.db, input)
  }

  /** Recomputes a house's checks now (after a change outside the hub, e.g. an edited lexicon). */
  async recheck(input: { workspaceId: string; houseId: string; now: number }): Promise<Outcome<unknown>> {
    const report = await this.#deps.database.db.transaction().execute((trx) => recheckHouse(trx, { ...input, tokenizer: this.#deps.tokenizer }))
    return report ? ok(report) : { ok: false, kind: 'NotFound', message: `no message house ${input.houseId}` }
  }

  async #recheckChannel(workspaceId: string, channelId: string, now: number): Promise<void> {
    const db = this.#deps.database.db
    for (const houseId of await housesUsingChannel(db, workspaceId, channelId)) {
      await db.transaction().execute((trx) => recheckHouse(trx, { workspaceId, houseId, tokenizer: this.#deps.tokenizer, now }))
    }
  }
}
