/**
 * How a long-running stage reports progress without knowing who listens (a CLI progress bar, a log, a test).
 * `done` and `total` are in the stage's own unit (rows, series, folds); `total` may be unknown (NaN).
 */
export type Progress = (event: { step: string; done: number; total: number }) => void;

/** A progress sink that ignores everything. */
export const noProgress: Progress = () => {};
