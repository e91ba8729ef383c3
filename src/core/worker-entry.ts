import { Worker } from "node:worker_threads";

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
