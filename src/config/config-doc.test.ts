import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { formattedConfigDoc } from "../../scripts/gen-config-doc.ts";
import { renderConfigDoc } from "./config-doc.ts";

test("docs/configuration.md is exactly what the config schema generates (run `npm run docs:config` after editing it)", () => {
  const committed = readFileSync(new URL("../../docs/configuration.md", import.meta.url), "utf8");
  assert.ok(
    committed === formattedConfigDoc(),
    "docs/configuration.md is out of date: run `npm run docs:config`",
  );
});

test("the page lists nested settings with their defaults and never a machine-specific default", () => {
  const page = renderConfigDoc();
  assert.match(page, /\| `train\.learner\.maxLeaves` \| integer \(>= 2, <= 4096\) \| `15` \|/);
  assert.match(page, /\| `validation\.folds` \|/);
  assert.match(page, /\| `threads` \| [^|]+ \| available cores \|/);
});
