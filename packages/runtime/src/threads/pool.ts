// pool.ts — a fixed set of worker threads (worker.ts) driven through comlink. Calls go to one worker
// or all of them; a worker keeps the process alive only while a call to it is in flight, so a model
// someone forgot to dispose does not hang a test run or a CLI at exit (close() still ends them).
/// <reference path="./comlinkModules.d.ts" />
import type { Remote } from 'comlink';
import { releaseProxy, wrap } from 'comlink/dist/esm/comlink.mjs';
import { type SpawnedWorker, spawnWorker } from './spawn.js';
import type { ThreadWorker } from './worker.js';

interface Member {
  w: SpawnedWorker;
  remote: Remote<ThreadWorker>;
  busy: number;
}

export class WorkerPool {
  private closed = false;

  private constructor(private readonly members: Member[]) {}

  /** Start `size` workers (each loads the runtime once; from sources that takes about a second). */
  static async start(size: number): Promise<WorkerPool> {
    if (!Number.isInteger(size) || size < 1) {
      throw new Error(`WorkerPool: size must be a whole number ≥ 1. Expected workers to start, got ${size}.`);
    }
    const spawned = await Promise.all(Array.from({ length: size }, () => spawnWorker()));
    return new WorkerPool(
      spawned.map((w) => {
        w.unref();
        return { w, remote: wrap<ThreadWorker>(w.endpoint), busy: 0 };
      }),
    );
  }

  get size(): number {
    return this.members.length;
  }

  /** Call worker i; rejects if the worker dies meanwhile. */
  async on<T>(i: number, fn: (r: Remote<ThreadWorker>) => Promise<T>): Promise<T> {
    if (this.closed) throw new Error('WorkerPool: the pool was closed. Expected calls before close().');
    const m = this.members[i];
    if (!m) throw new Error(`WorkerPool: no worker ${i}. Expected 0 … ${this.members.length - 1}.`);
    if (m.busy++ === 0) m.w.ref();
    try {
      return await Promise.race([fn(m.remote), m.w.died]);
    } finally {
      if (--m.busy === 0) m.w.unref();
    }
  }

  /** Call every worker at once. */
  all<T>(fn: (r: Remote<ThreadWorker>, i: number) => Promise<T>): Promise<T[]> {
    return Promise.all(this.members.map((_, i) => this.on(i, (r) => fn(r, i))));
  }

  /** Terminate every worker (idempotent). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(
      this.members.map(async (m) => {
        m.remote[releaseProxy]();
        await m.w.terminate();
      }),
    );
  }
}
