/** The chart shown in place of one whose input is empty: the title and a plain "No data" line, never a crash. */
import type { TopLevelSpec } from "vega-lite";
import { PLOT } from "./theme.ts";

/** A small spec that renders the chart's title and `No data: <reason>` (e.g. which rows were missing). */
export function noDataSpec(title: string, reason: string): TopLevelSpec {
  return {
    title: { text: title },
    description: `${title}: no data`,
    width: PLOT.width,
    height: 60,
    data: { values: [{ text: `No data: ${reason}` }] },
    mark: { type: "text", align: "left", baseline: "middle", fontSize: 13, color: "#777777", x: 0, y: 30 },
    encoding: { text: { field: "text", type: "nominal" } },
  };
}
