// Writes docs/data-model.md from src/data/schema.ts (see src/data/data-model-doc.ts). Run: npm run docs:data-model
import { renameSync, writeFileSync } from "node:fs";
import { renderDataModel } from "../src/data/data-model-doc.ts";

const target = new URL("../docs/data-model.md", import.meta.url).pathname;
// Temp file + rename: a reader never sees a half-written page.
writeFileSync(`${target}.tmp`, renderDataModel());
renameSync(`${target}.tmp`, target);
process.stdout.write(`wrote ${target}\n`);
