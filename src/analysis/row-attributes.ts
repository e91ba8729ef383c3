/**
 * The main model's rows of the CV table and the attributes the case and trait sections group them by, defined
 * as the backtest report's breakdowns define them (price band: terciles of each series' mean price; history:
 * days from the series' first day to the origin), so the two reports agree.
 */
import { weekday } from "../core/days.ts";
import { InputError } from "../core/errors.ts";
import type { DailyPanel } from "../data/to-panel.ts";
import { type CalendarFlags, regionIndex } from "../features/calendar.ts";
import type { CvTable } from "../validation/backtest.ts";
import { priceBands } from "../validation/price-bands.ts";

/** Attributes of each selected CV row (arrays aligned with `idx`). */
export interface RowAttributes {
  /** Indices into the CV table. */
  idx: Int32Array;
  day: Int32Array;
  historyDays: Int32Array;
  weekend: Uint8Array;
  /** 1 on a named event or holiday in the series' region, 0 otherwise (also when the calendar does not cover it). */
  event: Uint8Array;
  promo: Uint8Array;
  /** Grouping dimensions for traits: name -> label per row. */
  labels: Record<string, string[]>;
}

/** CV-table row indices of one model; InputError when the model is not in the table. */
export function modelRows(cv: CvTable, model: string): Int32Array {
  const m = cv.models.indexOf(model);
  if (m < 0) {
    throw new InputError(
      `the main model "${model}" is not in the CV table (models: ${cv.models.join(", ")}); pass one of those`,
      { column: "mainModel" },
    );
  }
  const out: number[] = [];
  for (let r = 0; r < cv.model.length; r++) if (cv.model[r] === m) out.push(r);
  return Int32Array.from(out);
}

/** History band of a row, as in the backtest report. */
export function historyBand(days: number): string {
  return days < 91 ? "< 91 days" : days < 365 ? "91-364 days" : ">= 365 days";
}

/** Attributes of the given CV rows. */
export function rowAttributes(
  cv: CvTable,
  idx: Int32Array,
  daily: DailyPanel,
  calendar: CalendarFlags,
): RowAttributes {
  const n = idx.length;
  const out: RowAttributes = {
    idx,
    day: new Int32Array(n),
    historyDays: new Int32Array(n),
    weekend: new Uint8Array(n),
    event: new Uint8Array(n),
    promo: new Uint8Array(n),
    labels: {},
  };
  const band = priceBands(daily).map((b) => b ?? "unknown");
  const regions = daily.region.map((g) => regionIndex(calendar, g));
  const category = daily.categoricals.find((c) => c.name === "category_l1");
  const labels = { category: [] as string[], store: [] as string[], price_band: [] as string[] };
  const history: string[] = [];
  for (let k = 0; k < n; k++) {
    const r = idx[k]!;
    const i = cv.series[r]!;
    const day = cv.origin[r]! + cv.horizon[r]!;
    out.day[k] = day;
    out.historyDays[k] = cv.origin[r]! - daily.start[i]!;
    out.weekend[k] = weekday(day) >= 5 ? 1 : 0;
    const reg = regions[i]!;
    const t = day - calendar.start;
    out.event[k] = reg >= 0 && t >= 0 && t <= calendar.end - calendar.start ? calendar.event[reg]![t]! : 0;
    const j = daily.indptr[i]! + day - daily.start[i]!;
    out.promo[k] = j < daily.indptr[i + 1]! ? daily.onPromo[j]! : 0;
    labels.category.push(category ? (category.labels[category.codes[i]!] ?? "unknown") : "all");
    labels.store.push(daily.storeId[i]!);
    labels.price_band.push(band[i]!);
    history.push(historyBand(out.historyDays[k]!));
  }
  out.labels = { ...labels, history };
  return out;
}
