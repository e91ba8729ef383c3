import { pinball } from "../metrics/pinball.ts";
import type { CvTable } from "../validation/backtest.ts";

/** Per model: each series' mean pinball over the six levels and its scored rows (what `runs compare` pairs up). */
export function seriesScores(
  table: CvTable,
  nSeries: number,
): { model: string; series: Int32Array; value: Float64Array }[] {
  const L = table.levels.length;
  return table.models.map((model, m) => {
    const sum = new Float64Array(nSeries);
    const count = new Float64Array(nSeries);
    for (let r = 0; r < table.actual.length; r++) {
      if (table.model[r] !== m) continue;
      const i = table.series[r]!;
      let s = 0;
      for (let l = 0; l < L; l++) s += pinball(table.actual[r]!, table.q[l]![r]!, table.levels[l]!);
      sum[i]! += s / L;
      count[i]!++;
    }
    const series: number[] = [];
    const value: number[] = [];
    for (let i = 0; i < nSeries; i++) {
      if (count[i]! > 0) {
        series.push(i);
        value.push(sum[i]! / count[i]!);
      }
    }
    return { model, series: Int32Array.from(series), value: Float64Array.from(value) };
  });
}
