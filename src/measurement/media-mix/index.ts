/**
 * Media-mix modelling on a workspace's own data: the imported spend per channel and a
 * conversion's daily count or value from the log, fitted as a job with progress, stored, and
 * asked for budget splits and "what if" scenarios over HTTP. The modelling itself is `../mmm/`.
 * See docs/mmm.md.
 */
export { MmmFitRequest } from './fit-request.ts'
export { dailyOutcome, type DayOutcome, type DailyOutcomeInput } from './daily-outcome.ts'
export { workspaceDataset, type DatasetSummary, type WorkspaceDataset } from './workspace-dataset.ts'
export { MMM_FIT_JOB, runMmmFitJob, startMmmFit, fitOptionsOf } from './mmm-jobs.ts'
export { getMmmRun, listMmmRuns, type MmmRun, type MmmRunStatus, type InsufficientHistory } from './mmm-runs.ts'
export { mmmRoutes, OptimiseRequest, WhatIfRequest } from './mmm-routes.ts'
