import type { Rng } from "../core/rng.ts";

/** One line of a check: which check (0-based, in time order), which product slot, units. */
export interface CheckLines {
  /** Number of lines. */
  n: number;
  check: Int32Array;
  slot: Int32Array;
  units: Float64Array;
  /** Number of checks and their times (seconds after midnight, ascending). */
  checks: number;
  seconds: Float64Array;
}

/**
 * Splits a store-day's sales into checks. The number of checks is total units / mean units per check;
 * every unit sold goes to a uniformly drawn check, units of one product on one check become one line, and
 * checks with no units are dropped. Check times follow an intraday profile with a midday and an evening
 * peak. Lines come out ordered by check, then by product slot; the totals per product equal the sales.
 */
export class CheckSplitter {
  private lines: CheckLines = {
    n: 0,
    check: new Int32Array(1024),
    slot: new Int32Array(1024),
    units: new Float64Array(1024),
    checks: 0,
    seconds: new Float64Array(256),
  };
  private draws = new Int32Array(64);
  private counts = new Int32Array(256);

  constructor(
    private readonly unitsPerCheck: number,
    private readonly openHour: number,
    private readonly closeHour: number,
  ) {}

  /** Splits `units[0..n)` (units of product slot j) into check lines. The result is reused by the next call. */
  split(units: Float64Array, n: number, rng: Rng): CheckLines {
    let total = 0;
    for (let j = 0; j < n; j++) total += units[j]!;
    const nChecks = total > 0 ? Math.max(1, Math.round(total / this.unitsPerCheck)) : 0;
    const raw = this.ensure(total, nChecks);
    let m = 0;
    for (let j = 0; j < n; j++) {
      const u = units[j]!;
      if (u <= 0) continue;
      if (u === 1) {
        // Most lines: one unit, one draw, nothing to sort.
        raw.check[m] = rng.int(nChecks);
        raw.slot[m] = j;
        raw.units[m] = 1;
        m++;
        continue;
      }
      if (this.draws.length < u) this.draws = new Int32Array(u * 2);
      const d = this.draws;
      for (let k = 0; k < u; k++) d[k] = rng.int(nChecks);
      sortPrefix(d, u);
      for (let k = 0; k < u; ) {
        let e = k;
        while (e < u && d[e] === d[k]) e++;
        raw.check[m] = d[k]!;
        raw.slot[m] = j;
        raw.units[m] = e - k;
        m++;
        k = e;
      }
    }
    // Stable counting sort by check keeps product order within a check.
    const counts = this.counts;
    counts.fill(0, 0, nChecks + 1);
    for (let k = 0; k < m; k++) counts[raw.check[k]! + 1]!++;
    for (let c = 0; c < nChecks; c++) counts[c + 1]! += counts[c]!;
    const out = this.lines;
    for (let k = 0; k < m; k++) {
      const at = counts[raw.check[k]!]!++;
      out.check[at] = raw.check[k]!;
      out.slot[at] = raw.slot[k]!;
      out.units[at] = raw.units[k]!;
    }
    // Renumber to the checks that got a line, in time order.
    const seconds = out.seconds;
    let kept = 0;
    for (let k = 0; k < m; k++) {
      if (k === 0 || out.check[k] !== out.check[k - 1]) kept++;
    }
    for (let c = 0; c < kept; c++) seconds[c] = this.time(rng);
    seconds.subarray(0, kept).sort();
    // Compare with the previous line's original check number (out.check[k - 1] is renumbered already).
    let id = -1;
    let prev = -1;
    for (let k = 0; k < m; k++) {
      const c = out.check[k]!;
      if (c !== prev) id++;
      prev = c;
      out.check[k] = id;
    }
    out.n = m;
    out.checks = kept;
    return out;
  }

  private scratch = {
    n: 0,
    check: new Int32Array(1024),
    slot: new Int32Array(1024),
    units: new Float64Array(1024),
    checks: 0,
    seconds: new Float64Array(0),
  };

  private ensure(lines: number, checks: number): CheckLines {
    if (this.scratch.check.length < lines) {
      const size = Math.ceil(lines * 1.5);
      this.scratch = {
        ...this.scratch,
        check: new Int32Array(size),
        slot: new Int32Array(size),
        units: new Float64Array(size),
      };
      this.lines = {
        ...this.lines,
        check: new Int32Array(size),
        slot: new Int32Array(size),
        units: new Float64Array(size),
      };
    }
    if (this.lines.seconds.length < checks) this.lines.seconds = new Float64Array(Math.ceil(checks * 1.5));
    if (this.counts.length < checks + 1) this.counts = new Int32Array(Math.ceil(checks * 1.5) + 1);
    return this.scratch;
  }

  /** A check time: a mixture of a midday peak, an evening peak and a flat part, within opening hours. */
  private time(rng: Rng): number {
    const open = this.openHour * 3600;
    const close = this.closeHour * 3600 - 1;
    for (;;) {
      const u = rng.next();
      const t =
        u < 0.35
          ? 12.5 * 3600 + 5400 * rng.normal()
          : u < 0.75
            ? 18 * 3600 + 5400 * rng.normal()
            : rng.uniform(open, close);
      if (t >= open && t <= close) return Math.floor(t);
    }
  }
}

/** Sorts `d[0, n)` ascending: insertion sort for the few units of a line, no subarray allocated. */
function sortPrefix(d: Int32Array, n: number): void {
  if (n > 32) {
    d.subarray(0, n).sort();
    return;
  }
  for (let i = 1; i < n; i++) {
    const x = d[i]!;
    let k = i - 1;
    while (k >= 0 && d[k]! > x) {
      d[k + 1] = d[k]!;
      k--;
    }
    d[k + 1] = x;
  }
}
