// Writes docs/data-model.md from src/data/schema.ts (see src/data/data-model-doc.ts). Run: npm run docs:data-model
import { fileURLToPath } from "node:url";
import { renderDataModel } from "../src/data/data-model-doc.ts";
import { formatDoc, writeDoc } from "./generated-doc.ts";

/** docs/data-model.md as committed. */
export function formattedDataModel(): string {
  return formatDoc("docs/data-model.md", renderDataModel());
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeDoc("docs/data-model.md", formattedDataModel());
}
