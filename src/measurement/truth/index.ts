/** Measurement checked against the demo brand's counterfactual truth. See docs/measurement.md. */
export { accuracy, spearman, type Accuracy } from './accuracy.ts'
export { TruthFile, readTruthFile } from './truth-file.ts'
export { truthCheck, type TruthCheckInput, type TruthCheckReport, type MethodAccuracy, type ChannelComparison } from './truth-check.ts'
export { formatTruthCheck } from './truth-format.ts'
