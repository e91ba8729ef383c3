/**
 * A request worker for worker-entry.test.ts, served by serveRequests: an interim reply, then the final one echoing
 * the op; "fail" throws (an error reply), "exit" ends the thread.
 */
import { serveRequests } from "./worker-entry.ts";

serveRequests<{ id: number; op: string }>((m, interim) => {
  if (m.op === "exit") process.exit(3);
  if (m.op === "fail") throw new Error("no such op");
  interim({ step: 1 });
  return { value: m.op };
});
