import assert from "node:assert/strict";
import { test } from "node:test";
import { Rng } from "../core/rng.ts";
import { forecasterContract } from "./forecaster.contract.ts";
import { irls, linearQuantile } from "./linear-quantile.ts";

forecasterContract(() => linearQuantile());

test("IRLS recovers the conditional quantile of a linear model with asymmetric noise", () => {
  const rng = new Rng(5);
  const n = 4000;
  const X = new Float64Array(n * 2);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = rng.uniform(0, 10);
    X[i * 2] = 1;
    X[i * 2 + 1] = x;
    y[i] = 2 + 3 * x + rng.uniform(0, 4); // noise U[0,4): its 0.75-quantile is 3
  }
  const b = irls(X, y, 2, 0.75, 40);
  assert.ok(Math.abs(b[0]! - 5) < 0.3, `intercept ${b[0]}`);
  assert.ok(Math.abs(b[1]! - 3) < 0.05, `slope ${b[1]}`);
});
