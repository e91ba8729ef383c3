import type { TrainSettings } from "../config/train.ts";
import type { FitInput, Fitted, Forecaster } from "../models/forecaster.ts";
import type { TailSettings } from "../models/gbdt-quantile.ts";
import { ProductionModel, type ProductionModelOptions } from "../models/production-model.ts";

/**
 * The production model as a backtest forecaster: the outer folds score exactly what `megaretail train` registers
 * and `megaretail forecast` serves (same fit, same predict, the Tweedie mean included), not a look-alike.
 */
export function productionForecaster(name: string, options: ProductionModelOptions): Forecaster {
  return {
    name,
    async fit(input: FitInput): Promise<Fitted> {
      const model = await ProductionModel.fit(input, options);
      const features = input.features!;
      return { predict: (origin, horizon) => model.predict(features, origin, horizon) };
    },
  };
}

/** The config's `train.tails` as the quantile fit's tail settings (null when disabled). */
export function tailSettingsOf(tails: TrainSettings["tails"]): TailSettings | null {
  if (!tails.enabled) return null;
  const { levels, maxLeaves, minDataInLeaf, weight } = tails;
  return { levels, params: { maxLeaves, minDataInLeaf }, weight };
}
