import type { FitInput, Fitted, Forecaster } from "../models/forecaster.ts";
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
