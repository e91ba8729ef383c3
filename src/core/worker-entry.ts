import { parentPort, Worker } from "node:worker_threads";

/** How to start a worker module: a file URL, or a script evaluated in the worker (`eval: true`). */
export interface WorkerEntry {
  url: URL | string;
  eval: boolean;
}

/**
 * How to start the worker module `name` that sits next to the module whose `import.meta.url` is `from`.
 * Compiled build: `name`.js. From source (tsx): Node 20 does not apply `--import tsx` hooks to a worker's entry
 * module, so the worker starts as a small evaluated script that registers tsx's ESM hooks and then imports
 * `name`.ts.
 */
export function workerEntry(from: string, name: string): WorkerEntry {
  if (!from.endsWith(".ts")) return { url: new URL(`./${name}.js`, from), eval: false };
  const api = import.meta.resolve("tsx/esm/api");
  const target = new URL(`./${name}.ts`, from).href;
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); });`;
  return { url: code, eval: true };
}

/**
 * Starts a worker and resolves once it posts its first message (it is listening); unref'd, so an idle worker
 * never keeps the process alive. Rejects if it fails to start.
 */
export function startReadyWorker(entry: WorkerEntry): Promise<Worker> {
  const w = new Worker(entry.url, { eval: entry.eval });
  return new Promise((resolve, reject) => {
    w.once("message", () => {
      w.off("error", reject);
      w.unref();
      resolve(w);
    });
    w.once("error", reject);
  });
}

/** What a request worker posts back: the request's id, and an error message when it failed. */
export interface WorkerReply {
  id?: number;
  error?: string;
}

/**
 * A worker thread serving numbered requests: each request gets an id, the worker's reply with that id settles
 * it (a reply for which `isFinal` is false is passed to the request's `onInterim` instead). The worker is
 * referenced only while requests are in flight, so an idle one never holds the process; when it errors or exits,
 * every pending request fails and `broken` says so (the owner starts another).
 */
export class RequestWorker<Reply extends WorkerReply> {
  private readonly pending = new Map<
    number,
    { resolve: (m: Reply) => void; reject: (e: Error) => void; onInterim?: (m: Reply) => void }
  >();
  private lastId = 0;
  broken = false;

  constructor(
    private readonly worker: Worker,
    private readonly label: string,
    private readonly isFinal: (m: Reply) => boolean = () => true,
  ) {
    worker.on("message", (m: Reply) => {
      if (m.id === undefined) return;
      const p = this.pending.get(m.id);
      if (!p) return;
      if (!this.isFinal(m)) {
        p.onInterim?.(m);
        return;
      }
      this.pending.delete(m.id);
      if (this.pending.size === 0) worker.unref();
      if (m.error !== undefined) p.reject(new Error(`${label}: ${m.error}`));
      else p.resolve(m);
    });
    worker.on("error", (e) => this.fail(e));
    worker.on("exit", (code) => this.fail(new Error(`${label} exited (code ${code})`)));
  }

  /**
   * Posts the message `build(id)` makes (the `transfer` buffers moved, not copied: unusable here afterwards);
   * resolves with the worker's final reply to it.
   */
  request(
    build: (id: number) => unknown,
    onInterim?: (m: Reply) => void,
    transfer: ArrayBuffer[] = [],
  ): Promise<Reply> {
    if (this.broken) return Promise.reject(new Error(`${this.label} is not running`));
    const id = ++this.lastId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onInterim });
      this.worker.ref();
      this.worker.postMessage(build(id), transfer);
    });
  }

  /** Stops the thread. */
  async close(): Promise<void> {
    this.broken = true;
    await this.worker.terminate();
  }

  private fail(e: Error): void {
    this.broken = true;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}

/**
 * The worker side of RequestWorker: says it is ready, then answers each numbered request, one after another, with
 * the fields `handle` returns (its final reply); `handle` may post interim replies through `interim`. A request
 * whose handler throws gets an error reply (the stack), and the worker serves the next one. Does nothing outside
 * a worker thread.
 */
export function serveRequests<M extends { id: number }>(
  handle: (m: M, interim: (fields: object) => void) => object | Promise<object>,
): void {
  const port = parentPort;
  if (!port) return;
  let chain = Promise.resolve();
  port.on("message", (m: M) => {
    chain = chain.then(async () => {
      try {
        const fields = await handle(m, (f) => port.postMessage({ ...f, id: m.id }));
        port.postMessage({ ...fields, id: m.id });
      } catch (e) {
        port.postMessage({ id: m.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      }
    });
  });
  port.postMessage({ ready: true });
}
