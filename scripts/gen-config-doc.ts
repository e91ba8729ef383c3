// Writes docs/configuration.md from the zod config schema (see src/config/config-doc.ts). Run: npm run docs:config
import { fileURLToPath } from "node:url";
import { renderConfigDoc } from "../src/config/config-doc.ts";
import { formatDoc, writeDoc } from "./generated-doc.ts";

/** docs/configuration.md as committed. */
export function formattedConfigDoc(): string {
  return formatDoc("docs/configuration.md", renderConfigDoc());
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeDoc("docs/configuration.md", formattedConfigDoc());
}
