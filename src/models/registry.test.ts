import assert from "node:assert/strict";
import { test } from "node:test";
import { UsageError } from "../core/errors.ts";
import { makeForecasters } from "./registry.ts";

const options = { threads: 1, originStep: 7 };

test("registry: an unknown name is a UsageError listing the known models; asking for the oracle says why", () => {
  assert.deepEqual(
    makeForecasters(["seasonal_naive", "gbdt_quantile"], options).map((f) => f.name),
    ["seasonal_naive", "gbdt_quantile"],
  );
  assert.throws(
    () => makeForecasters(["nope"], options),
    (e: unknown) =>
      e instanceof UsageError && /unknown model "nope"; known models: seasonal_naive/.test(e.message),
  );
  assert.throws(
    () => makeForecasters(["oracle"], options),
    (e: unknown) => e instanceof UsageError && /added by itself on simulated data/.test(e.message),
  );
});
