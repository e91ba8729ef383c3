import { SingleBar } from "cli-progress";
import type { Progress } from "../core/progress.ts";

/**
 * A Progress sink drawing a bar on stderr when stderr is a terminal (and nothing otherwise, so pipes and CI
 * logs stay clean). Call `stop()` when the work is done.
 */
export function progressBar(enabled = process.stderr.isTTY === true): {
  progress: Progress;
  stop: () => void;
} {
  if (!enabled) return { progress: () => {}, stop: () => {} };
  let bar: SingleBar | undefined;
  let step = "";
  return {
    progress: ({ step: s, done, total }) => {
      if (s !== step || !bar) {
        bar?.stop();
        step = s;
        bar = new SingleBar({
          stream: process.stderr,
          format: `${s.padEnd(24)} [{bar}] {percentage}% | {value}/{total} | {duration_formatted}`,
          hideCursor: true,
          clearOnComplete: false,
        });
        bar.start(Number.isFinite(total) ? total : done + 1, done);
      }
      if (Number.isFinite(total)) bar.setTotal(total);
      bar.update(done);
    },
    stop: () => bar?.stop(),
  };
}
