/** The error analysis of a training run (SPEC §7): every section from the run's data, as plain data. */
import type { AnalysisInput, AnalysisResult } from "./types.ts";

export type { AnalysisBudget, AnalysisInput, AnalysisResult } from "./types.ts";

/** Runs every section of the error analysis the budget allows and returns plain JSON-able data. */
export async function runAnalysis(input: AnalysisInput): Promise<AnalysisResult> {
  throw new Error(`runAnalysis: not implemented yet (main model ${input.mainModel})`);
}
