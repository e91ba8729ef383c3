import assert from "node:assert/strict";
import { test } from "node:test";
import { RequestWorker, startReadyWorker, type WorkerReply, workerEntry } from "./worker-entry.ts";

// A worker served by serveRequests that echoes: an interim reply, then the final one; "fail" throws (an error
// reply), "exit" ends the thread.
const entry = workerEntry(import.meta.url, "echo-worker.test-support");

type Reply = WorkerReply & { step?: number; value?: string };

test("RequestWorker and serveRequests: replies settle their own request, interim ones go to onInterim, failures reject", async () => {
  const w = new RequestWorker<Reply>(
    await startReadyWorker(entry),
    "echo worker",
    (m) => m.step === undefined,
  );
  const interim: number[] = [];
  const [a, b] = await Promise.all([
    w.request(
      (id) => ({ id, op: "a" }),
      (m) => interim.push(m.step!),
    ),
    w.request((id) => ({ id, op: "b" })),
  ]);
  assert.equal(a.value, "a");
  assert.equal(b.value, "b");
  assert.deepEqual(interim, [1]);
  await assert.rejects(
    w.request((id) => ({ id, op: "fail" })),
    /echo worker: Error: no such op/,
  );
  assert.equal(w.broken, false, "an error reply fails the request, not the worker");
  // The thread ending fails what is pending and marks the worker broken; later requests fail at once.
  await assert.rejects(
    w.request((id) => ({ id, op: "exit" })),
    /echo worker exited \(code 3\)/,
  );
  assert.equal(w.broken, true);
  await assert.rejects(
    w.request((id) => ({ id, op: "a" })),
    /echo worker is not running/,
  );
});
