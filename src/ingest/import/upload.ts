import { createWriteStream } from 'node:fs'
import { mkdir, open, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { randomUUID } from 'node:crypto'
import { Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

export type SavedUpload = { kind: 'saved'; path: string; bytes: number } | { kind: 'TooLarge'; limit: number } | { kind: 'Empty' } | { kind: 'Incomplete' }

/**
 * Where uploaded files wait for their import: `CHORUS_IMPORT_DIR` when set; next to the embedded
 * database file (`.chorus/imports`); else a folder in the OS temporary directory. A file stays
 * there until its import ends, so a process that starts after a crash on the same host resumes it.
 */
export function importSpoolDir(databaseUrl: string): string {
  if (process.env.CHORUS_IMPORT_DIR) return resolve(process.env.CHORUS_IMPORT_DIR)
  if (databaseUrl.startsWith('sqlite:') && !databaseUrl.includes(':memory:')) return join(dirname(resolve(databaseUrl.slice('sqlite:'.length).replace(/^\/\//, ''))), 'imports')
  return join(tmpdir(), 'chorus-imports')
}

/**
 * Streams a request body into a file in `directory`, counting bytes as they pass so a body over
 * `limit` is cut off (and its partial file removed) without ever being held in memory. The file is
 * synced to disk before this returns: the upload is acknowledged only once it is durable.
 *
 * @example const saved = await saveUpload(request.body as Readable, { directory: spool, limit: 1 << 30, extension: 'csv' })
 */
export async function saveUpload(body: Readable, options: { directory: string; limit: number; extension: string }): Promise<SavedUpload> {
  await mkdir(options.directory, { recursive: true })
  const path = join(options.directory, `chorus-import-${randomUUID()}.${options.extension}`)
  let bytes = 0
  let tooLarge = false
  // Past the limit the rest of the body is read and dropped, not written: the client then gets a
  // 413 answer rather than a reset connection.
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length
      if (bytes > options.limit) tooLarge = true
      done(null, tooLarge ? undefined : chunk)
    },
  })
  try {
    await pipeline(body, counter, createWriteStream(path, { flags: 'wx' }))
  } catch (error) {
    await rm(path, { force: true })
    // The client went away before the whole file arrived.
    if ((error as NodeJS.ErrnoException).code === 'ECONNRESET' || (error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE' || (error as Error).message === 'aborted') return { kind: 'Incomplete' }
    throw error
  }
  if (tooLarge) {
    await rm(path, { force: true })
    return { kind: 'TooLarge', limit: options.limit }
  }
  if (bytes === 0) {
    await rm(path, { force: true })
    return { kind: 'Empty' }
  }
  const file = await open(path, 'r+')
  try {
    await file.sync()
  } finally {
    await file.close()
  }
  return { kind: 'saved', path, bytes }
}
