import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryId, QueryResult, RootOperationNode, UnknownRow } from 'kysely'

/**
 * Counts what a database handle asks of the event log, for tests that prove a kept read is
 * extended rather than read again: every statement naming `events` (`count`), those that bind
 * `bound` — a window's start, say, which a read of what was appended since does not bind —
 * (`boundReads`), and the rows those returned (`boundRows`).
 *
 * @example const reads = new EventReads(window.from); const db = database.db.withPlugin(reads)
 */
export class EventReads implements KyselyPlugin {
  count = 0
  boundReads = 0
  boundRows = 0
  readonly #bound = new WeakSet<QueryId>()
  constructor(private readonly bound: number) {}

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const node = JSON.stringify(args.node)
    if (node.includes('"name":"events"') || node.includes('events e')) {
      this.count++
      if (node.includes(`"value":${this.bound}`)) {
        this.boundReads++
        this.#bound.add(args.queryId)
      }
    }
    return args.node
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.#bound.has(args.queryId)) this.boundRows += args.result.rows.length
    return Promise.resolve(args.result)
  }

  reset(): void {
    this.count = 0
    this.boundReads = 0
    this.boundRows = 0
  }
}
