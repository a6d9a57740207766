import { spawn, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'

export interface ServerProcess {
  url: string
  child: ChildProcess
  /** Everything the process printed, for diagnosing a failed start. */
  output(): string
  stop(signal?: NodeJS.Signals): Promise<void>
}

const ROOT = resolve(import.meta.dirname, '..', '..')

/** Runs a `chorus` command to completion and returns its stdout (throws with stderr on failure). */
export async function runChorus(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const child = spawn(process.execPath, [resolve(ROOT, 'bin/chorus.js'), ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  child.stdout.on('data', (d) => (out += d))
  child.stderr.on('data', (d) => (err += d))
  const code = await new Promise<number | null>((res) => child.on('close', res))
  if (code !== 0) throw new Error(`chorus ${args.join(' ')} exited ${code}: ${err}`)
  return out
}

/**
 * Starts `chorus serve` as a separate process on a free port and waits until it answers
 * `/health`. A real process, so tests and benchmarks can kill it like an operator would.
 */
export async function startServerProcess(options: { database: string; env?: NodeJS.ProcessEnv; args?: string[] }): Promise<ServerProcess> {
  const child = spawn(process.execPath, [resolve(ROOT, 'bin/chorus.js'), 'serve', '--database', options.database, '--port', '0', '--no-demo', ...(options.args ?? [])], {
    cwd: ROOT,
    env: { ...process.env, CHORUS_LOG_LEVEL: 'warn', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`chorus serve did not start in 120 s:\n${output}`)), 120_000)
    const onData = () => {
      const match = output.match(/listening on (http:\/\/[^\s]+)/)
      if (match) {
        clearTimeout(timer)
        res(match[1]!)
      }
    }
    child.stdout!.on('data', onData)
    child.on('exit', (code) => {
      clearTimeout(timer)
      rej(new Error(`chorus serve exited with ${code} before listening:\n${output}`))
    })
  })
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`${url}/health`).then((r) => r.ok, () => false)
    if (ok) break
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    url,
    child,
    output: () => output,
    stop: (signal = 'SIGTERM') =>
      new Promise<void>((res) => {
        if (child.exitCode !== null || child.signalCode !== null) return res()
        child.once('exit', () => res())
        child.kill(signal)
      }),
  }
}
