/** Shapes of the journeys API (src/journeys), as the dashboard reads them (docs/journeys.md). */
export type JourneyStatus = 'draft' | 'published' | 'paused' | 'archived'

export interface JourneyNode {
  id: string
  type: 'delay' | 'wait_for_event' | 'condition' | 'random_split' | 'send' | 'update_trait' | 'webhook' | 'exit'
  next?: string
  onEvent?: string
  onTimeout?: string
  otherwise?: string
  branches?: Array<{ key: string; next?: string; percent?: number; holdout?: boolean; when?: unknown }>
  [field: string]: unknown
}

export interface JourneyDefinition {
  entry: { event: string; where?: unknown[] } | { audience: string }
  reentry?: { policy: 'never' | 'always' | 'after'; after?: string }
  goal?: { event: string; within: string; exitOnConversion?: boolean; where?: unknown[] }
  start: string
  nodes: JourneyNode[]
  [field: string]: unknown
}

export interface JourneyView {
  id: string
  name: string
  status: JourneyStatus
  currentVersion: number | null
  draftVersion: number | null
  versions: Array<{ version: number; state: 'draft' | 'published' | 'superseded'; createdAt: string; publishedAt: string | null }>
  definition: JourneyDefinition | null
  draft: JourneyDefinition | null
  createdAt: string
  updatedAt: string
}

export interface NodeMetrics {
  id: string
  type: string
  entered: number
  waiting: number
  sent: number
  delivered: number
  opened: number
  clicked: number
  converted: number
  blocked: Record<string, number>
  errored: number
  exits?: { event: number; timeout: number }
  branches?: Array<{ key: string; runs: number; converted: number; conversionRate: number }>
}

export interface ProportionTest {
  treatment: { people: number; conversions: number; rate: number }
  control: { people: number; conversions: number; rate: number }
  absoluteLift: number
  relativeLift: number | null
  interval: { low: number; high: number; confidence: number }
  pValue: number | null
  significant: boolean
}

export interface VersionMetrics {
  journeyId: string
  version: number
  totals: { entered: number; active: number; ended: Record<string, number>; converted: number; conversionRate: number }
  nodes: NodeMetrics[]
  holdouts: Array<{ nodeId: string; holdoutBranch: string; test: ProportionTest }>
}

export interface DefinitionProblem {
  node: string | null
  path: string
  message: string
}
