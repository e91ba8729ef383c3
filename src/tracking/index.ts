/** Experiment tracking and the model registry: runs with their inputs and results, and model versions by stage. */
export { type CodeVersion, codeVersion } from "./code-version.ts";
export {
  listModels,
  type ModelVersion,
  productionStack,
  promote,
  type RegisterModelOptions,
  registerModel,
  resolveModel,
  rollback,
  type Stage,
  type StageEvent,
  stageHistory,
} from "./registry.ts";
export {
  getRun,
  listRuns,
  pairedSeriesScores,
  type RunDetail,
  type RunSummary,
} from "./run-queries.ts";
export {
  type ArtifactRecord,
  type FinishRunOptions,
  finishRun,
  type RunHandle,
  type RunMetric,
  type SeriesScore,
  type SeriesScores,
  type StartRunOptions,
  startRun,
} from "./runs.ts";
