import assert from "node:assert/strict";
import { after, test } from "node:test";
import { Rng } from "../core/rng.ts";
import { Dataset } from "./dataset.ts";
import { closePools } from "./pool.ts";
import { decodeQuantized, quantBits, quantMultiplier } from "./quantize.ts";
import { train } from "./train.ts";

after(() => closePools());

test("packed quantized sums are exact in any order and decode to the integer sums", () => {
  const n = 1_000_000;
  const bits = quantBits(n);
  assert.equal(bits, 6, "1M rows: 64 levels (2 (20 + 6) = 52 bits)");
  assert.equal(quantBits(1 << 23), 0, "too many rows to quantize exactly");
  const M = quantMultiplier(n, bits);
  const rng = new Rng(5);
  const L = 2 ** bits;
  const packed = new Float64Array(n);
  let G = 0;
  let H = 0;
  for (let i = 0; i < n; i++) {
    // Extremes most of the time: the worst case for the range of the sums.
    const gq = rng.chance(0.9) ? -L : rng.int(2 * L + 1) - L;
    const hq = rng.chance(0.9) ? L : rng.int(L + 1);
    packed[i] = gq * M + hq;
    G += gq;
    H += hq;
  }
  let forward = 0;
  for (let i = 0; i < n; i++) forward += packed[i];
  let backward = 0;
  for (let i = n - 1; i >= 0; i--) backward += packed[i];
  assert.equal(forward, backward, "order of addition does not matter");
  const hist = new Float64Array(512);
  hist[7] = forward;
  decodeQuantized(hist, 0, 1, 0.5, 0.25, M);
  assert.equal(hist[14], G * 0.5);
  assert.equal(hist[15], H * 0.25);
});

test("quantized Tweedie gradients: another model, within 1% of the exact fit's deviance", async () => {
  const n = 20_000;
  const rng = new Rng(21);
  const cols = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (const c of cols) c[i] = rng.next();
    const mu = Math.exp(0.5 + 1.5 * cols[0][i] - cols[1][i] + (cols[2][i] > 0.7 ? 0.8 : 0));
    y[i] = rng.poisson(mu);
  }
  const ds = Dataset.fromColumns(
    cols.map((c) => c.subarray(0, 15_000)),
    { label: y.subarray(0, 15_000) },
  );
  const test_ = cols.map((c) => c.subarray(15_000));
  const yt = y.subarray(15_000);
  const dev = (p: Float64Array) => {
    let s = 0;
    for (let i = 0; i < yt.length; i++)
      s += (yt[i] > 0 ? yt[i] * Math.log(yt[i] / p[i]) : 0) - (yt[i] - p[i]);
    return (2 * s) / yt.length;
  };
  const opts = { loss: "tweedie", iterations: 60, maxLeaves: 15, threads: 1 };
  const exact = await train(ds, { ...opts, quantizedGradients: false });
  const quant = await train(ds, opts);
  const pe = exact.predict(test_);
  const pq = quant.predict(test_);
  assert.notDeepEqual(pq, pe, "quantization is on by default for tweedie");
  const de = dev(pe);
  const dq = dev(pq);
  assert.ok(Math.abs(dq - de) / de < 0.01, `deviance ${dq} vs exact ${de}`);
});
