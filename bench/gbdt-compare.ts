/**
 * Runs our GBDT benchmark and the peers of ../shared/peers back to back, pair by pair (peer run, then ours, same
 * threads), records the load average before each run, and prints a markdown table of figures and ratios.
 *   node --import tsx bench/gbdt-compare.ts [--threads 1,2] [--pairs q50,q95,tweedie] [--repeat 1]
 * Peer lines go to $PEERS_WORK/results.jsonl (as run_all.sh does); all lines, ours included, to
 * $PEERS_WORK/compare.jsonl.
 */
import { spawnSync } from "node:child_process";
import { appendFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";

const PAIRS: Record<string, string> = { q50: "hgb_q50", q95: "hgb_q95", tweedie: "xgb_tweedie" };
const work = process.env.PEERS_WORK ?? "/tmp/megaretail-peers";
const peersDir = new URL("../../shared/peers/", import.meta.url).pathname;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

function peer(model: string, threads: number): Record<string, unknown> {
  const env = {
    ...process.env,
    PEERS_WORK: work,
    OMP_NUM_THREADS: String(threads),
    OPENBLAS_NUM_THREADS: "1",
  };
  // GNU time reports the peer's peak RSS (the peer script does not measure it) on stderr.
  const r = spawnSync(
    "/usr/bin/time",
    ["-f", "PEAK_RSS_KB=%M", "/usr/bin/python3", join(peersDir, "bench_peers.py"), model, String(threads)],
    { env },
  );
  if (r.status !== 0) throw new Error(`peer ${model} failed: ${r.stderr}`);
  const rss = /PEAK_RSS_KB=(\d+)/.exec(r.stderr.toString());
  const out = JSON.parse(r.stdout.toString().trim().split("\n").pop()!);
  return { ...out, peak_rss_mb: rss ? Number(rss[1]) / 1024 : null };
}

function ours(run: string, threads: number): Record<string, unknown> {
  const script = new URL("./gbdt.ts", import.meta.url).pathname;
  const args = [
    ...process.execArgv,
    script,
    "--data",
    join(work, "data"),
    "--one",
    run,
    "--threads",
    String(threads),
  ];
  const r = spawnSync(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  if (r.status !== 0) throw new Error(`our ${run} failed`);
  return JSON.parse(r.stdout.toString().trim().split("\n").pop()!);
}

const threadsList = arg("threads", "1,2").split(",").map(Number);
const pairs = arg("pairs", "q50,q95,tweedie").split(",");
const repeat = Number(arg("repeat", "1"));
const rows: string[] = [];
for (const t of threadsList) {
  for (const run of pairs) {
    for (let k = 0; k < repeat; k++) {
      const loadP = loadavg()[0];
      const p = peer(PAIRS[run], t);
      const loadO = loadavg()[0];
      const o = ours(run, t);
      for (const [who, x, load] of [
        ["peer", p, loadP],
        ["ours", o, loadO],
      ] as const) {
        appendFileSync(join(work, "compare.jsonl"), `${JSON.stringify({ who, load1: load, ...x })}\n`);
      }
      if (run !== "tweedie") appendFileSync(join(work, "results.jsonl"), `${JSON.stringify(p)}\n`);
      const pt = p.test as Record<string, number>;
      const ot = o.test as Record<string, number>;
      const metric = run === "tweedie" ? "poisson_dev" : run === "q50" ? "pinball_q50" : "pinball_q95";
      const f = (v: number, d = 3) => v.toFixed(d);
      rows.push(
        `| ${run} vs ${PAIRS[run]} | ${t} | ${f(loadP, 1)} / ${f(loadO, 1)} | ${f(p.train_s as number, 1)} | ${f(o.train_s as number, 1)} | ${f((o.train_s as number) / (p.train_s as number), 2)} | ${f(p.predict_1M_s as number, 2)} | ${f(o.predict_1M_s as number, 2)} | ${f((o.predict_1M_s as number) / (p.predict_1M_s as number), 2)} | ${metric} ${f(pt[metric], 4)} / ${f(ot[metric], 4)} (${f((100 * (ot[metric] - pt[metric])) / pt[metric], 2)}%) | ${f(pt.coverage_y_le_pred)}/${f(pt.coverage_y_lt_pred)} vs ${f(ot.coverage_y_le_pred)}/${f(ot.coverage_y_lt_pred)} | ${f((p.peak_rss_mb as number) ?? Number.NaN, 0)} / ${f(o.peak_rss_mb as number, 0)} |`,
      );
      console.error(rows[rows.length - 1]);
    }
  }
}
console.log(
  "| pair | threads | load 1 min (peer / ours) | peer train s | our train s | ratio | peer predict 1M s | our predict 1M s | ratio | test metric peer / ours | P(y<=pred)/P(y<pred) peer vs ours | peak RSS MB peer / ours |",
);
console.log("|---|---|---|---|---|---|---|---|---|---|---|---|");
for (const r of rows) console.log(r);
