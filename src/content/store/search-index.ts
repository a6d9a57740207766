import type { Kysely } from 'kysely'
import { insertRows, type DialectName, type Schema } from '../../platform/index.ts'
import type { Analyzer } from '../text/terms.ts'
import { BIGRAM_PREFIX, indexTerms, queryTerms } from './search-terms.ts'

/**
 * Full-text search over the content hub (variants, message houses, assets) and anything else a
 * module indexes (the campaign lessons), in Chinese and English, from an inverted index table:
 * `content_search_terms(workspace_id, term, doc_id, tf)` plus one `content_search_docs` row per
 * document. Terms are words and Han bigrams (see search-terms.ts). Results are ranked by BM25
 * (Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond", 2009) with
 * k1 = 1.2, b = 0.75 and Lucene's always-positive idf = ln(1 + (N − df + 0.5) / (df + 0.5)); a
 * bigram or an expanded term (a single Han character inside bigrams, a Latin prefix) weighs half a
 * word, so copy that has the query's words ranks above copy that only contains its characters.
 */
export const BM25 = Object.freeze({ k1: 1.2, b: 0.75, bigramWeight: 0.5, expansionWeight: 0.5, maxExpansions: 50 })

export interface SearchDocument {
  workspaceId: string
  /** `variant`, `house`, `asset`, `lesson` … */
  kind: string
  refId: string
  title: string
  /** The searchable text; kept for snippets. */
  text: string
  now: number
}

export interface SearchHit {
  kind: string
  refId: string
  title: string
  score: number
  /** Up to ~120 characters of the text around the first match. */
  snippet: string
  /** UTF-16 ranges of query words inside `snippet`, for highlighting. */
  highlights: Array<{ start: number; end: number }>
  matchedTerms: string[]
}

export interface SearchPage {
  items: SearchHit[]
  total: number
  nextCursor: string | null
}

type Db = Kysely<Schema>

/**
 * @example
 * const index = new SearchIndex({ analyzer, dialect: 'sqlite' })
 * await index.put(db, { workspaceId, kind: 'variant', refId: 'var_1', title: '小红书', text: '活力健康每一天', now })
 * (await index.search(db, { workspaceId, query: '活力' })).items[0].refId // 'var_1'
 */
export class SearchIndex {
  readonly #analyzer: Analyzer
  readonly #dialect: DialectName

  constructor(options: { analyzer: Analyzer; dialect: DialectName }) {
    this.#analyzer = options.analyzer
    this.#dialect = options.dialect
  }

  /** Indexes a document, replacing what was indexed under the same kind and id. Run it in the caller's transaction. */
  async put(db: Db, doc: SearchDocument): Promise<void> {
    const docId = `${doc.kind}:${doc.refId}`
    await this.remove(db, doc.workspaceId, doc.kind, doc.refId)
    const { counts, length } = indexTerms(this.#analyzer, `${doc.title}\n${doc.text}`)
    await db
      .insertInto('content_search_docs')
      .values({ workspace_id: doc.workspaceId, doc_id: docId, kind: doc.kind, ref_id: doc.refId, title: doc.title, body: doc.text, length, updated_at: doc.now })
      .execute()
    const rows = [...counts].map(([term, tf]) => [doc.workspaceId, term, docId, tf])
    await insertRows(db, this.#dialect, 'content_search_terms', ['workspace_id', 'term', 'doc_id', 'tf'], rows)
  }

  async remove(db: Db, workspaceId: string, kind: string, refId: string): Promise<void> {
    const docId = `${kind}:${refId}`
    await db.deleteFrom('content_search_terms').where('workspace_id', '=', workspaceId).where('doc_id', '=', docId).execute()
    await db.deleteFrom('content_search_docs').where('workspace_id', '=', workspaceId).where('doc_id', '=', docId).execute()
  }

  /** Ranked matches for a query; `cursor` is the opaque `nextCursor` of the previous page. */
  async search(db: Db, input: { workspaceId: string; query: string; kinds?: readonly string[]; limit?: number; cursor?: string | null }): Promise<SearchPage> {
    const limit = input.limit ?? 20
    const offset = decodeCursor(input.cursor)
    const ranked = await this.rank(db, input)
    const page = ranked.slice(offset, offset + limit)
    const docs = page.length === 0
      ? []
      : await db.selectFrom('content_search_docs').select(['doc_id', 'kind', 'ref_id', 'title', 'body']).where('workspace_id', '=', input.workspaceId).where('doc_id', 'in', page.map((p) => p.docId)).execute()
    const byId = new Map(docs.map((d) => [d.doc_id, d]))
    const surfaces = queryTerms(this.#analyzer, input.query).surfaces
    const items = page.flatMap((hit) => {
      const doc = byId.get(hit.docId)
      if (!doc) return []
      return [{ kind: doc.kind, refId: doc.ref_id, title: doc.title, score: Math.round(hit.score * 1000) / 1000, ...snippetOf(doc.body, surfaces), matchedTerms: hit.terms }]
    })
    const next = offset + limit < ranked.length ? encodeCursor(offset + limit) : null
    return { items, total: ranked.length, nextCursor: next }
  }

  /** Every matching document id with its BM25 score, best first (ties by id for a stable order). */
  async rank(db: Db, input: { workspaceId: string; query: string; kinds?: readonly string[] }): Promise<Array<{ docId: string; score: number; terms: string[] }>> {
    const q = queryTerms(this.#analyzer, input.query)
    if (q.exact.length === 0) return []
    const kinds = input.kinds && input.kinds.length > 0 ? [...input.kinds] : null
    const weights = new Map<string, number>(q.exact.map((t) => [t, t.startsWith(BIGRAM_PREFIX) ? BM25.bigramWeight : 1]))

    const present = new Set(
      (await db.selectFrom('content_search_terms').select('term').distinct().where('workspace_id', '=', input.workspaceId).where('term', 'in', q.exact).execute()).map((r) => r.term),
    )
    // Expansions: a single Han character inside bigrams; a Latin word whose stem matched nothing, as a prefix.
    const patterns = [
      ...q.hanChars.flatMap((c) => [`${BIGRAM_PREFIX}${c}%`, `${BIGRAM_PREFIX}_${c}`]),
      ...q.latinPrefixes.filter((w) => ![...present].some((t) => w.startsWith(t) || t.startsWith(w))).map((w) => `${w}%`),
    ]
    if (patterns.length > 0) {
      const expanded = await db
        .selectFrom('content_search_terms')
        .select('term')
        .distinct()
        .where('workspace_id', '=', input.workspaceId)
        .where((eb) => eb.or(patterns.map((p) => eb('term', 'like', p))))
        .limit(BM25.maxExpansions)
        .execute()
      for (const { term } of expanded) if (!weights.has(term)) weights.set(term, BM25.expansionWeight)
    }
    const terms = [...weights.keys()]
    let rowsQuery = db
      .selectFrom('content_search_terms as t')
      .innerJoin('content_search_docs as d', (join) => join.onRef('d.workspace_id', '=', 't.workspace_id').onRef('d.doc_id', '=', 't.doc_id'))
      .select(['t.term', 't.doc_id', 't.tf', 'd.length'])
      .where('t.workspace_id', '=', input.workspaceId)
      .where('t.term', 'in', terms)
    if (kinds) rowsQuery = rowsQuery.where('d.kind', 'in', kinds)
    const rows = await rowsQuery.execute()
    if (rows.length === 0) return []

    let statsQuery = db
      .selectFrom('content_search_docs')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('length').as('total')])
      .where('workspace_id', '=', input.workspaceId)
    if (kinds) statsQuery = statsQuery.where('kind', 'in', kinds)
    const stats = await statsQuery.executeTakeFirstOrThrow()
    const n = Number(stats.n)
    const avgdl = n === 0 ? 1 : Math.max(1, Number(stats.total ?? 0) / n)

    const df = new Map<string, number>()
    for (const row of rows) df.set(row.term, (df.get(row.term) ?? 0) + 1)
    const scores = new Map<string, { score: number; terms: string[] }>()
    for (const row of rows) {
      const d = df.get(row.term)!
      const idf = Math.log(1 + (n - d + 0.5) / (d + 0.5))
      const tf = Number(row.tf)
      const norm = tf + BM25.k1 * (1 - BM25.b + (BM25.b * Number(row.length)) / avgdl)
      const part = weights.get(row.term)! * idf * ((tf * (BM25.k1 + 1)) / norm)
      const entry = scores.get(row.doc_id) ?? { score: 0, terms: [] }
      entry.score += part
      entry.terms.push(row.term)
      scores.set(row.doc_id, entry)
    }
    return [...scores]
      .map(([docId, s]) => ({ docId, score: s.score, terms: s.terms.sort() }))
      .sort((a, b) => b.score - a.score || (a.docId < b.docId ? -1 : 1))
  }
}

const SNIPPET_BEFORE = 30
const SNIPPET_LENGTH = 120

/** A window of the text around the first query word found in it, with every occurrence highlighted. */
export function snippetOf(text: string, surfaces: readonly string[]): { snippet: string; highlights: Array<{ start: number; end: number }> } {
  const folded = text.toLowerCase()
  const needles = surfaces.map((s) => s.toLowerCase()).filter((s) => s.length > 0)
  let first = -1
  for (const needle of needles) {
    const at = folded.indexOf(needle)
    if (at >= 0 && (first < 0 || at < first)) first = at
  }
  const start = first < 0 ? 0 : Math.max(0, first - SNIPPET_BEFORE)
  const end = Math.min(text.length, start + SNIPPET_LENGTH)
  const snippet = text.slice(start, end)
  const window = folded.slice(start, end)
  const highlights: Array<{ start: number; end: number }> = []
  for (const needle of needles) {
    let at = window.indexOf(needle)
    while (at >= 0) {
      highlights.push({ start: at, end: at + needle.length })
      at = window.indexOf(needle, at + needle.length)
    }
  }
  highlights.sort((a, b) => a.start - b.start)
  return { snippet, highlights: mergeRanges(highlights) }
}

function mergeRanges(ranges: Array<{ start: number; end: number }>): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = []
  for (const r of ranges) {
    const last = out[out.length - 1]
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end)
    else out.push({ ...r })
  }
  return out
}

function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url')
}

/** Throws a RangeError with a message for the client when the cursor is not one of ours. */
export function decodeCursor(cursor: string | null | undefined): number {
  if (!cursor) return 0
  const text = Buffer.from(cursor, 'base64url').toString('utf8')
  const match = /^o:(\d+)$/.exec(text)
  if (!match) throw new RangeError('the cursor is not valid; pass the nextCursor of the previous page')
  return Number(match[1])
}
