/**
 * Customer and funnel metrics from the event log: funnels, retention cohorts, lifecycle stages,
 * historical and predicted lifetime value (BG/NBD + Gamma-Gamma), propensity and churn scores,
 * and experiment read-outs. See docs/customer-metrics.md.
 */
export { customerMetricsRoutes } from './routes.ts'
export { CUSTOMER_MODEL_JOB, runCustomerModelJob, startModelRun } from './model-jobs.ts'
export { FunnelDefinition, FunnelQuery, FunnelBreakdown, type FunnelReport } from './funnel-definition.ts'
export { computeFunnel, funnelReport, type FunnelComputation } from './funnel-report.ts'
export { matchFunnel, type FunnelMode, type FunnelAttempt } from './funnel-match.ts'
export { funnelPeople, funnelPeoplePage, type FunnelPeopleStatus } from './funnel-people.ts'
export { saveFunnel, getFunnel, listFunnels, deleteFunnel, type SavedFunnel } from './funnel-store.ts'
export { EventMatcher, PropertyFilter, compileMatcher, ORDER_EVENT } from './event-matcher.ts'
export { RetentionQuery, retentionReport, type RetentionReport } from './retention.ts'
export { LifecycleRules, DEFAULT_LIFECYCLE_RULES, getLifecycleRules, putLifecycleRules } from './lifecycle-rules.ts'
export { lifecycleReport, stageOf, type LifecycleReport } from './lifecycle.ts'
export { HistoricalLtvQuery, historicalLtv, type HistoricalLtvReport } from './ltv-historical.ts'
export { LtvModelOptions, fitLtvModel, type LtvModelResult } from './ltv-model.ts'
export { ScoreModelOptions, trainScoreModel, type ScoreModelResult } from './score-model.ts'
export { listScores, scoresOf, SCORE_TRAITS, type ScoreKind } from './score-store.ts'
export { getModelRun, latestSucceededRun, listModelRuns, type ModelRun, type ModelKind } from './model-runs.ts'
export { ExperimentQuery, analyseExperiment, type ExperimentReport } from './experiments.ts'
export { ExperimentAssignment, bucketOf } from './experiment-assignment.ts'
export { twoProportionZTest, welchTTest, sampleMoments } from './experiment-statistics.ts'
export { BgNbdParams, fitBgNbd, bgNbdLogLikelihood, bgNbdExpectedTransactions, bgNbdConditionalExpected, bgNbdProbabilityAlive } from './bg-nbd.ts'
export { GammaGammaParams, fitGammaGamma, gammaGammaLogLikelihood, expectedSpend } from './gamma-gamma.ts'
export { fitLogistic, predictLogistic } from './logistic-regression.ts'
export { rocAuc } from './auc.ts'
export { canonicalPeople } from './person-log.ts'
