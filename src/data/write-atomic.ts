import { renameSync, writeFileSync } from "node:fs";

/** Writes a file through a temporary file and a rename, so a crash never leaves half a file. */
export function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}
