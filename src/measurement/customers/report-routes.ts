import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../../server/context.ts'
import { principalOf, requirePermission } from '../../server/auth.ts'
import { answering } from './http-errors.ts'
import { retentionReport, RetentionQuery } from './retention.ts'
import { lifecycleReport } from './lifecycle.ts'
import { getLifecycleRules, LifecycleRules, putLifecycleRules } from './lifecycle-rules.ts'
import { historicalLtv, HistoricalLtvQuery } from './ltv-historical.ts'
import { analyseExperiment, ExperimentQuery } from './experiments.ts'
import { Instant, parseInstant } from './time-window.ts'

/** Retention cohorts, lifecycle stages and their rules, historical LTV, experiment read-outs. */
export async function reportRoutes(fastify: FastifyInstance, ctx: AppContext): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const db = ctx.database.db
  const read = requirePermission(db, 'read')

  app.post(
    '/measurement/retention',
    { preHandler: read, schema: { description: 'Retention matrix: cohorts (first-seen period or first-touch channel) × periods, counts and rates', tags: ['measurement', 'retention'], body: RetentionQuery } },
    async (request) => answering(() => retentionReport(db, principalOf(request).workspaceId, request.body, ctx.clock.now())),
  )

  app.get(
    '/measurement/lifecycle',
    {
      preHandler: read,
      schema: {
        description: 'People per lifecycle stage (Awareness → … → Advocacy by default) as of an instant, optionally by first-touch channel',
        tags: ['measurement', 'lifecycle'],
        querystring: z.object({ asOf: Instant.optional(), breakdown: z.enum(['channel']).optional() }),
      },
    },
    async (request) =>
      answering(async () => {
        const { workspaceId } = principalOf(request)
        const asOf = request.query.asOf ? parseInstant(request.query.asOf, 'asOf') : ctx.clock.now()
        return lifecycleReport(db, workspaceId, await getLifecycleRules(db, workspaceId), { asOf, breakdownByChannel: request.query.breakdown === 'channel' })
      }),
  )

  app.get('/measurement/lifecycle/rules', { preHandler: read, schema: { description: 'The workspace’s lifecycle stage rules (the defaults until changed)', tags: ['measurement', 'lifecycle'] } }, async (request) =>
    getLifecycleRules(db, principalOf(request).workspaceId),
  )

  app.put(
    '/measurement/lifecycle/rules',
    { preHandler: requirePermission(db, 'write'), schema: { description: 'Replace the workspace’s lifecycle stage rules', tags: ['measurement', 'lifecycle'], body: LifecycleRules } },
    async (request) => {
      await putLifecycleRules(db, principalOf(request).workspaceId, request.body, ctx.clock.now())
      return request.body
    },
  )

  app.get(
    '/measurement/ltv/historical',
    { preHandler: read, schema: { description: 'Revenue per person by acquisition cohort or first-touch channel, with cumulative curves', tags: ['measurement', 'ltv'], querystring: HistoricalLtvQuery.extend({ periods: z.coerce.number().int().min(0).max(60).default(12) }) } },
    async (request) => answering(() => historicalLtv(db, principalOf(request).workspaceId, request.query, ctx.clock.now())),
  )

  app.post(
    '/measurement/experiments/analyze',
    {
      preHandler: read,
      schema: {
        description: 'Experiment read-out: conversion lift (two-proportion z-test) and revenue per person (Welch t-test) of each group against the control',
        tags: ['measurement', 'experiments'],
        body: ExperimentQuery,
      },
    },
    async (request) => answering(() => analyseExperiment(db, principalOf(request).workspaceId, request.body, ctx.clock.now())),
  )
}
