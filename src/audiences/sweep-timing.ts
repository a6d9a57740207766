/**
 * How often time-dependent audiences are looked at when no exact boundary is known. Audiences
 * with sliding edges are swept at their next boundary, but at least this often, so a boundary
 * missed for any reason is caught within the hour.
 */
export const MAX_SWEEP_INTERVAL_MS = 3_600_000

/** Audiences that need everyone re-evaluated (trait date windows, channel windows) are swept this often. */
export const PERIODIC_SWEEP_INTERVAL_MS = 5 * 60_000

/** The sweep job itself wakes this often to find audiences that are due. */
export const SWEEP_JOB_INTERVAL_MS = 60_000
