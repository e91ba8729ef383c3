import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { formattedDataModel } from "../../scripts/gen-data-model.ts";
import { renderDataModel } from "./data-model-doc.ts";
import { TABLES } from "./schema.ts";

test("docs/data-model.md is exactly what schema.ts generates (run `npm run docs:data-model` after editing it)", () => {
  const committed = readFileSync(new URL("../../docs/data-model.md", import.meta.url), "utf8");
  assert.ok(
    committed === formattedDataModel(),
    "docs/data-model.md is out of date: run `npm run docs:data-model`",
  );
});

test("the generated page documents every table and column", () => {
  const page = renderDataModel();
  for (const t of TABLES) {
    assert.ok(page.includes(`### ${t.name}\n`), t.name);
    for (const c of t.columns)
      assert.ok(page.includes(`| \`${c.name}\` | ${c.type} |`), `${t.name}.${c.name}`);
  }
});
