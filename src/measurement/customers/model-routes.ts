import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../../server/context.ts'
import { principalOf, requirePermission } from '../../server/auth.ts'
import { HttpError } from '../../server/errors.ts'
import { canonicalProfileId } from '../../profiles/index.ts'
import { answering } from './http-errors.ts'
import { LtvModelOptions } from './ltv-model.ts'
import { ScoreModelOptions } from './score-model.ts'
import { startModelRun } from './model-jobs.ts'
import { getModelRun, listModelRuns } from './model-runs.ts'
import { listScores, scoresOf } from './score-store.ts'

const Page = z.object({ cursor: z.string().optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) })

/** Model runs (LTV, propensity, churn) as jobs with progress, and the scores they leave. */
export async function modelRoutes(fastify: FastifyInstance, ctx: AppContext): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const db = ctx.database.db
  const read = requirePermission(db, 'read')
  const write = requirePermission(db, 'write')

  app.post(
    '/measurement/ltv/models',
    {
      preHandler: write,
      schema: { description: 'Fit BG/NBD + Gamma-Gamma on the order log with a hold-out validation, then score every buyer; runs as a job — poll the returned run', tags: ['measurement', 'ltv'], body: LtvModelOptions },
    },
    async (request, reply) => {
      const runId = await startModelRun(ctx, { workspaceId: principalOf(request).workspaceId, kind: 'ltv', options: request.body })
      return reply.status(202).send({ runId, status: 'queued', href: `/api/v1/measurement/models/${runId}` })
    },
  )

  app.get(
    '/measurement/ltv/predictions',
    {
      preHandler: read,
      schema: {
        description: 'Per-buyer predictions of the latest LTV run: predicted_ltv (minor units over the horizon), p_alive or expected_transactions, highest first',
        tags: ['measurement', 'ltv'],
        querystring: Page.extend({ kind: z.enum(['predicted_ltv', 'p_alive', 'expected_transactions']).default('predicted_ltv') }),
      },
    },
    async (request) => answering(() => listScores(db, principalOf(request).workspaceId, request.query)),
  )

  app.post(
    '/measurement/scores/train',
    {
      preHandler: write,
      schema: {
        description: 'Train a propensity or churn model (L2 logistic regression, out-of-time hold-out AUC) and write scores and the propensity_score / churn_score traits; runs as a job',
        tags: ['measurement', 'scores'],
        body: ScoreModelOptions,
      },
    },
    async (request, reply) => {
      const runId = await startModelRun(ctx, { workspaceId: principalOf(request).workspaceId, kind: request.body.kind, options: request.body })
      return reply.status(202).send({ runId, status: 'queued', href: `/api/v1/measurement/models/${runId}` })
    },
  )

  app.get(
    '/measurement/scores',
    { preHandler: read, schema: { description: 'Scores of a kind, highest first', tags: ['measurement', 'scores'], querystring: Page.extend({ kind: z.enum(['propensity', 'churn']) }) } },
    async (request) => answering(() => listScores(db, principalOf(request).workspaceId, request.query)),
  )

  app.get(
    '/measurement/scores/profiles/:id',
    { preHandler: read, schema: { description: 'Every score a person has (a merged profile id finds its survivor)', tags: ['measurement', 'scores'], params: z.object({ id: z.string().min(1) }) } },
    async (request) => {
      const { workspaceId } = principalOf(request)
      const canonical = await canonicalProfileId(db, workspaceId, request.params.id)
      if (!canonical) throw new HttpError(404, 'NotFound', `No profile ${request.params.id}`)
      return { profileId: canonical, scores: await scoresOf(db, workspaceId, canonical) }
    },
  )

  app.get(
    '/measurement/models',
    { preHandler: read, schema: { description: 'Model runs, newest first', tags: ['measurement', 'models'], querystring: Page.extend({ kind: z.enum(['ltv', 'propensity', 'churn']).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }) } },
    async (request) => answering(() => listModelRuns(db, principalOf(request).workspaceId, request.query)),
  )

  app.get(
    '/measurement/models/:id',
    { preHandler: read, schema: { description: 'A model run: status, progress and stage, and its result (parameters, validation, AUC) once done', tags: ['measurement', 'models'], params: z.object({ id: z.string().min(1) }) } },
    async (request) => {
      const run = await getModelRun(db, principalOf(request).workspaceId, request.params.id)
      if (!run) throw new HttpError(404, 'NotFound', `No model run ${request.params.id}`)
      return run
    },
  )
}
