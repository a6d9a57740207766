/**
 * An in-process queue for the embedded database's single write lock.
 *
 * SQLite lets one connection write at a time; a second one that wants to write sleeps in its
 * busy handler — and better-sqlite3 is synchronous, so a main thread sleeping there stops serving
 * HTTP. Within one process every writer (the main thread's transactions and the ingest writer
 * thread's) first waits here, asynchronously and in turn, so the busy handler only ever waits for
 * other processes.
 *
 * @example
 * const release = await writeLockFor(file).acquire()
 * try { … } finally { release() }
 */
export class WriteLock {
  #held = false
  readonly #waiting: Array<() => void> = []

  acquire(): Promise<() => void> {
    return new Promise((resolve) => {
      const grant = () => {
        this.#held = true
        let released = false
        resolve(() => {
          if (released) return
          released = true
          this.#handOver()
        })
      }
      if (this.#held) this.#waiting.push(grant)
      else grant()
    })
  }

  /** How many are waiting for the lock now. */
  get waiting(): number {
    return this.#waiting.length
  }

  #handOver(): void {
    const next = this.#waiting.shift()
    if (next) next()
    else this.#held = false
  }
}

const locks = new Map<string, WriteLock>()

/** The process's lock for one database file (a `:memory:` database is its own, unshared). */
export function writeLockFor(filename: string): WriteLock {
  if (filename === ':memory:') return new WriteLock()
  let lock = locks.get(filename)
  if (!lock) locks.set(filename, (lock = new WriteLock()))
  return lock
}
