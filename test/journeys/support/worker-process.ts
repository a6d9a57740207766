import { spawn, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..', '..', '..')

/**
 * Starts the journeys worker (`journey-worker.ts`) as a real process and waits until it says it is
 * running. `gateway` is the webhook gateway's URL, or `channels` to deliver through the providers
 * configured in the database.
 */
export async function startWorker(database: string, gateway: string, clockOffsetMs: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [resolve(ROOT, 'bin/run-ts.js'), 'test/journeys/support/journey-worker.ts', database, gateway], {
    cwd: ROOT,
    env: { ...process.env, CHORUS_TEST_CLOCK_OFFSET_MS: String(clockOffsetMs), CHORUS_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  await new Promise<void>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`worker did not start in 30 s:\n${output}`)), 30_000)
    child.stdout!.on('data', () => {
      if (output.includes('journey worker ready')) {
        clearTimeout(timer)
        res()
      }
    })
    child.on('exit', (code) => rej(new Error(`worker exited with ${code}:\n${output}`)))
  })
  return child
}

/** Kills the worker with SIGKILL — no shutdown code runs — and waits for it to be gone. */
export async function killWorker(worker: ChildProcess): Promise<void> {
  const gone = new Promise((r) => worker.once('exit', r))
  worker.kill('SIGKILL')
  await gone
}

/** Polls until `test` holds, failing after `ms`. */
export async function until(what: string, test: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}
