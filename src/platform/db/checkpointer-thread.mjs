// The embedded database's checkpointer thread (see checkpointer.ts). Plain JavaScript: it needs
// nothing but better-sqlite3, so it starts without the TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads'
import BetterSqlite3 from 'better-sqlite3'

const { filename, synchronous, intervalMs } = workerData
const db = new BetterSqlite3(filename)
db.pragma('busy_timeout = 5000')
db.pragma(`synchronous = ${synchronous}`)
let stopped = false

function checkpoint() {
  if (stopped) return
  let again = false
  try {
    // PASSIVE copies what no reader still needs and never blocks a writer. When it caught up
    // with a large log, go again at once: the writers may have appended more meanwhile.
    const [result] = db.pragma('wal_checkpoint(PASSIVE)')
    again = result.log > 4_000 && result.checkpointed < result.log
  } catch (error) {
    parentPort.postMessage({ kind: 'error', message: String(error?.message ?? error) })
  }
  setTimeout(checkpoint, again ? 0 : intervalMs)
}

parentPort.on('message', (message) => {
  if (message === 'stop') {
    stopped = true
    try {
      db.pragma('wal_checkpoint(PASSIVE)')
    } finally {
      db.close()
      parentPort.close()
    }
  }
})
setTimeout(checkpoint, intervalMs)
