/** Public API of the gradient-boosting learner. */
export type { BinMapper } from "./binning.ts";
export { Booster, type ModelData, type PredictOptions } from "./booster.ts";
export { Dataset, type DatasetOptions, type FeatureInput, type RowMajorMatrix } from "./dataset.ts";
export type { ImportanceKind } from "./importance.ts";
export { getLoss, LOSS_NAMES, type Loss, type LossParams } from "./losses/index.ts";
export {
  defaultMetric,
  type Metric,
  mae,
  pinballMetric,
  poissonDeviance,
  rmse,
  tweedieDeviance,
} from "./metrics.ts";
export type { TrainParams } from "./params.ts";
export { closePools, defaultThreads } from "./pool.ts";
export { deserialize, dump, MODEL_FORMAT, MODEL_VERSION, serialize } from "./serialize.ts";
export { expectedValue, meanAbsShap, type ShapOptions, treeShap } from "./shap.ts";
export { train } from "./train.ts";
