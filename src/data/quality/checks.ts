import { coverageCheck } from "./coverage.ts";
import { duplicatesCheck } from "./duplicates.ts";
import { flagsCheck } from "./flags.ts";
import { gapsCheck } from "./gaps.ts";
import { latePartitionsCheck } from "./late-partitions.ts";
import { orphansCheck } from "./orphans.ts";
import { quarantineCheck } from "./quarantine.ts";
import { rowCountsCheck } from "./row-counts.ts";
import { schemaDriftCheck } from "./schema-drift.ts";
import type { QualityCheck } from "./types.ts";
import { valuesCheck } from "./values.ts";

/**
 * Every check the quality report runs, in report order. To add one: write a `QualityCheck` in its own file
 * of this folder and add it here (one line).
 */
export const QUALITY_CHECKS: readonly QualityCheck[] = [
  schemaDriftCheck,
  duplicatesCheck,
  quarantineCheck,
  valuesCheck,
  orphansCheck,
  gapsCheck,
  rowCountsCheck,
  latePartitionsCheck,
  flagsCheck,
  coverageCheck,
];
