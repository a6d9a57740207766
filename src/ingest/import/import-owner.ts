import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'

/**
 * Who runs an import, as stored in `imports.owner`: `host|pid|runner id`, so another process on
 * the same host can tell a dead owner from a live one without waiting for its heartbeat to go
 * stale (the uploaded file is on that host's disk).
 */
export function newOwner(): string {
  const owner = [hostname(), process.pid, randomUUID()].join('|')
  runnersHere.add(owner)
  return owner
}

/** The runners of this process not yet closed. */
const runnersHere = new Set<string>()

/** A closed runner's imports are free for the others, in this process too. */
export function ownerClosed(owner: string): void {
  runnersHere.delete(owner)
}

/**
 * - `this runner`: the caller itself;
 * - `alive`: a live process on this host;
 * - `gone`: its process on this host has ended (or it is this process's pid before a restart);
 * - `elsewhere`: another host, or no owner recorded: only the heartbeat tells.
 */
export type OwnerStatus = 'this runner' | 'alive' | 'gone' | 'elsewhere'

export function ownerStatus(owner: string | null, me: string): OwnerStatus {
  if (owner === null) return 'elsewhere'
  if (owner === me) return 'this runner'
  const [host, pid] = owner.split('|')
  if (host !== hostname()) return 'elsewhere'
  // This pid: a runner of this process, or of the process that had this pid before it, as a
  // container's first process has the same pid after every restart.
  if (Number(pid) === process.pid) return runnersHere.has(owner) ? 'alive' : 'gone'
  try {
    process.kill(Number(pid), 0)
    return 'alive'
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? 'alive' : 'gone'
  }
}
