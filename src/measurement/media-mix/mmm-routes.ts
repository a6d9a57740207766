import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../../server/context.ts'
import { principalOf, requirePermission } from '../../server/auth.ts'
import { HttpError } from '../../server/errors.ts'
import { DEFAULT_SETTINGS, getWorkspace, type Role } from '../../workspaces/index.ts'
import { answering } from '../customers/http-errors.ts'
import { BudgetRequest, ChannelBoundSpec, evaluateAllocation, optimiseBudget, recommendFromAttribution, type MmmModel } from '../mmm/index.ts'
import { MmmFitRequest } from './fit-request.ts'
import { startMmmFit } from './mmm-jobs.ts'
import { getMmmRun, getMmmRunData, listMmmRuns, type MmmRunStatus } from './mmm-runs.ts'
import { workspaceDataset } from './workspace-dataset.ts'

/** Who may start a fit: it costs minutes of a worker, so people who plan budgets, not viewers. */
const FIT_ROLES: readonly Role[] = ['admin', 'marketer', 'analyst']

const STATUSES = ['queued', 'running', 'fitted', 'insufficient_history', 'failed'] as const satisfies readonly MmmRunStatus[]

/** Why a fit cannot start: an unknown conversion is a missing thing (404); nothing to fit on yet is a state (409). */
const REFUSALS = { UnknownConversion: 404, BadPeriod: 400, UnknownChannel: 400, NoSpend: 409 } as const

const RunParams = z.object({ id: z.string().min(1).max(100).describe('The run id POST /measurement/mmm/fit returned') })

export const OptimiseRequest = z
  .object({
    budget: z.number().finite().min(0).optional().describe('Total spend per period (major units, e.g. yuan per day) to split; default: the current total'),
    bounds: z.array(ChannelBoundSpec).max(50).default([]).describe('Per-channel limits: absolute min/max per period, or minRatio/maxRatio of current spend'),
    defaultMinRatio: z.number().min(0).max(100).default(0.5).describe('Lower limit for channels without bounds, as a multiple of current spend'),
    defaultMaxRatio: z.number().min(0).max(100).default(2).describe('Upper limit for channels without bounds, as a multiple of current spend'),
  })
  .strict()

export const WhatIfRequest = z
  .object({
    spends: z.record(z.string().min(1), z.number().finite().min(0)).describe('Spend per period per channel (major units); channels left out keep their current spend'),
  })
  .strict()

/**
 * The media-mix API under `/api/v1/measurement/mmm`: start a fit of the workspace's spend
 * against a conversion's daily (or weekly) count or value (a job; poll the run), read runs, and
 * ask a fitted model for the best split of a budget or the outcome of a given split. When the
 * history was too short to fit, the optimiser answers with the attribution-ROAS recommendation.
 */
export async function mmmRoutes(fastify: FastifyInstance, ctx: AppContext): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const db = ctx.database.db
  const read = requirePermission(db, 'read')
  const mayFit = async (request: FastifyRequest, reply: FastifyReply) => {
    await read(request, reply)
    const { role } = principalOf(request)
    if (!FIT_ROLES.includes(role)) throw new HttpError(403, 'Forbidden', `The ${role} role may read media-mix models but not fit them`)
  }
  const tags = ['measurement', 'mmm']

  app.post(
    '/measurement/mmm/fit',
    {
      preHandler: mayFit,
      schema: {
        description:
          'Fit a media-mix model (adstock, Hill saturation, non-negative ridge, hyper-parameter search) of a conversion’s daily or weekly revenue or count on the imported spend per channel. Runs as a job: answers 202 with the run to poll for progress and the report (hold-out R², NRMSE, MAPE; per-channel contribution, ROI, marginal ROI, response curves)',
        tags,
        body: MmmFitRequest,
      },
    },
    async (request, reply) => {
      const principal = principalOf(request)
      const settings = (await getWorkspace(db, principal.workspaceId))?.settings ?? DEFAULT_SETTINGS
      const built = await workspaceDataset({ db, workspaceId: principal.workspaceId, request: request.body, timeZone: settings.timezone, currency: settings.currency })
      if (built.kind !== 'dataset') throw new HttpError(REFUSALS[built.kind], built.kind, built.message)
      const runId = await startMmmFit(ctx, {
        workspaceId: principal.workspaceId,
        options: request.body,
        summary: built.summary,
        series: built.dataset,
        createdBy: principal.userId ?? principal.tokenId,
      })
      return reply.status(202).send({ id: runId, status: 'queued', dataset: built.summary, href: `/api/v1/measurement/mmm/models/${runId}` })
    },
  )

  app.get(
    '/measurement/mmm/models',
    {
      preHandler: read,
      schema: {
        description: 'Media-mix runs, newest first; `status=fitted&limit=1` is the latest usable model',
        tags,
        querystring: z.object({
          status: z.enum(STATUSES).optional(),
          cursor: z.string().optional(),
          limit: z.coerce.number().int().min(1).max(100).default(20),
        }),
      },
    },
    async (request) => answering(() => listMmmRuns(db, principalOf(request).workspaceId, request.query)),
  )

  app.get(
    '/measurement/mmm/models/:id',
    {
      preHandler: read,
      schema: {
        description: 'A media-mix run: status, progress and stage; the data it fitted; once fitted the report (fit on train and hold-out, per-channel contribution, share, ROI, marginal ROI, response curves, baseline); or why the history was too short, with the attribution-ROAS recommendation',
        tags,
        params: RunParams,
      },
    },
    async (request) => {
      const run = await getMmmRun(db, principalOf(request).workspaceId, request.params.id)
      if (!run) throw new HttpError(404, 'NotFound', `No media-mix run ${request.params.id}`)
      return run
    },
  )

  app.post(
    '/measurement/mmm/models/:id/optimise',
    {
      preHandler: read,
      schema: {
        description:
          'The split of a budget per period that maximises the outcome the fitted model predicts at steady state (equal marginal returns inside the bounds), against the current split. A run with too little history answers with the attribution-ROAS recommendation (basis: attribution)',
        tags,
        params: RunParams,
        body: OptimiseRequest,
      },
    },
    async (request) => {
      const stored = await getMmmRunData(db, principalOf(request).workspaceId, request.params.id)
      if (!stored) throw new HttpError(404, 'NotFound', `No media-mix run ${request.params.id}`)
      const body = request.body
      if (stored.run.status === 'insufficient_history') {
        const history = stored.run.insufficientHistory
        if (!history?.recommendation) throw new HttpError(409, 'NoRecommendation', history?.recommendationNote ?? 'this run has neither a model nor an attribution recommendation')
        const channels = history.recommendation.channels.map((c) => ({ channel: c.channel, cost: c.cost, attributedRevenue: c.attributedRevenue }))
        // The simpler method keeps every channel within 0.7×–1.3× of today's cost: beyond that its assumed curve is no evidence at all.
        const today = channels.reduce((sum, c) => sum + c.cost, 0)
        const [lowest, highest] = [0.7 * today, 1.3 * today]
        if (body.budget !== undefined && (body.budget < lowest - 1e-9 || body.budget > highest + 1e-9)) {
          throw new HttpError(422, 'InfeasibleBudget', `With too little history for a model, the budget can move only within 0.7×–1.3× of today's ${round2(today)} per day: give between ${round2(lowest)} and ${round2(highest)}`)
        }
        return { basis: 'attribution' as const, recommendation: recommendFromAttribution({ channels, ...(body.budget === undefined ? {} : { budget: body.budget }) }) }
      }
      if (!stored.model) throw new HttpError(409, 'ModelNotFitted', `Run ${request.params.id} is ${stored.run.status}; optimise a fitted run`)
      const budget: BudgetRequest = { bounds: body.bounds, defaultMinRatio: body.defaultMinRatio, defaultMaxRatio: body.defaultMaxRatio, ...(body.budget === undefined ? {} : { budget: body.budget }) }
      checkChannels(stored.model, body.bounds.map((b) => b.channel))
      const plan = refusingCrossedBounds(() => optimiseBudget(stored.model!, budget))
      if (plan.kind === 'InfeasibleBudget') throw new HttpError(422, plan.kind, plan.message)
      return { basis: 'mmm' as const, plan }
    },
  )

  app.post(
    '/measurement/mmm/models/:id/what-if',
    {
      preHandler: read,
      schema: {
        description: 'What a given spend per period per channel would deliver at steady state under the fitted model, against today’s split',
        tags,
        params: RunParams,
        body: WhatIfRequest,
      },
    },
    async (request) => {
      const stored = await getMmmRunData(db, principalOf(request).workspaceId, request.params.id)
      if (!stored) throw new HttpError(404, 'NotFound', `No media-mix run ${request.params.id}`)
      if (!stored.model) throw new HttpError(409, 'ModelNotFitted', `Run ${request.params.id} is ${stored.run.status}; ask a fitted run`)
      checkChannels(stored.model, Object.keys(request.body.spends))
      return evaluateAllocation(stored.model, request.body.spends)
    },
  )
}

/** Names the model does not have are the caller's mistake: 400 naming the channels it has. */
function checkChannels(model: MmmModel, names: readonly string[]): void {
  const known = new Set(model.channels.map((c) => c.name))
  const unknown = names.filter((n) => !known.has(n))
  if (unknown.length > 0) throw new HttpError(400, 'UnknownChannel', `the model has no channel ${unknown.map((n) => `'${n}'`).join(', ')}; its channels: ${[...known].join(', ')}`)
}

/** Limits that cross once ratios are applied to current spend (min 900 with a default 2× max of 400) are refused, not clipped. */
function refusingCrossedBounds<T>(call: () => T): T {
  try {
    return call()
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('bounds for')) throw new HttpError(400, 'CrossedBounds', error.message)
    throw error
  }
}

function round2(value: number): number {
  return Math.round(value * 100) / 100
}
