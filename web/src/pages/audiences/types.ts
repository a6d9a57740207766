/** Shapes of the audiences API's answers (src/audiences), as the dashboard reads them. */
export interface Recompute {
  id: string
  status: 'queued' | 'running' | 'done' | 'failed'
  reason: string
  matched: number | null
  total: number | null
  done: number
  entered: number
  exited: number
  error: string | null
  createdAt: string
  finishedAt: string | null
}

export interface Audience {
  id: string
  name: string
  description: string | null
  kind: 'dynamic' | 'static'
  status: 'active' | 'paused'
  version: number
  definition: unknown
  size: number
  timeDependent: boolean
  lastRecompute: Recompute | null
  createdAt: string
  updatedAt: string
}

export interface DefinitionIssue {
  path: string
  message: string
}

export interface Estimate {
  size: number
  sample: Array<{ profileId: string; traits: Record<string, unknown> }>
  warnings: DefinitionIssue[]
}

export interface UploadReport {
  mode: 'replace' | 'append'
  rows: number
  matched: number
  people: number
  unmatched: Array<{ line: number; reason: string }>
  unmatchedCount: number
  entered: number
  exited: number
}
