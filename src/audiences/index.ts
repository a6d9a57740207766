/**
 * Audiences: a JSON definition language compiled to parameterised SQL on SQLite and PostgreSQL,
 * membership kept in real time from the event log (with `Audience Entered` / `Audience Exited`
 * events written to the same log), time-dependent audiences swept on schedule, static audiences
 * uploaded from CSV. See docs/audiences.md.
 */
export { isMember, audienceMembers, audienceExists } from './members.ts'
export { personAudiences, type PersonAudience, type PersonAudiencesOutcome } from './person-audiences.ts'
export { audienceRoutes } from './routes.ts'
export { audienceBackgroundWork } from './background.ts'
export { audienceProcessor, AUDIENCE_PROCESSOR } from './processor.ts'
export { AUDIENCE_RECOMPUTE_JOB, requestRecompute, getRecompute, runRecomputeJob, type RecomputeView } from './recompute.ts'
export { AUDIENCE_SWEEP_JOB, sweepDueAudiences } from './sweep.ts'
export { AUDIENCE_ENTERED, AUDIENCE_EXITED } from './membership-writer.ts'
export { createAudience, updateAudience, deleteAudience, estimateAudience, type SaveOutcome, type AudienceInput } from './service.ts'
export { uploadStaticMembers, type UploadReport, type UploadMode } from './static-upload.ts'
export { refreshAudience, evaluateEveryone } from './refresh.ts'
export { getAudience, type Audience } from './store.ts'
export { parseDefinition, type DefinitionIssue, type ParsedDefinition } from './parse-definition.ts'
export { compileAudienceQuery, type CompileContext } from './compile.ts'
export { audienceDialect } from './sql-dialect.ts'
export { analyseDefinition, type AudienceDependencies } from './analyse.ts'
export { randomBucket } from './random-bucket.ts'
export type { Condition } from './definition.ts'
