// worker.ts — the entry of a worker thread (spawn.ts starts it; comlink calls it). It instantiates
// the owner's compiled kernels on the owner's shared memory (its arena borrowed: it never
// allocates), attaches an executor to the weights the owner packed, and runs frames on the
// workspace the owner planned: as one member of a team (rows split, AtomicsTeam barriers) or alone
// (one frame of a pipeline).
/// <reference path="./comlinkModules.d.ts" />
import { type BuildName, type Kernels, kernelsFromModule } from '@edgeseg/kernels';
import { expose } from 'comlink/dist/esm/comlink.mjs';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { type Run, SOLO, type Team } from '../executor/run.js';
import { type ExecutorLayout, SegFormerExecutor } from '../executor/segformerExecutor.js';
import { type InputSpec, segmentFrame } from '../executor/segmentFrame.js';
import { type PlannedBuffer, Workspace } from '../executor/workspace.js';
import { AtomicsTeam, CONTROL_BYTES } from './barrier.js';
import { threadCpuMs } from './cores.js';

export interface WorkerInit {
  module: WebAssembly.Module;
  build: BuildName;
  memory: WebAssembly.Memory;
  /** Byte offset of the team's control words in the shared memory. */
  control: number;
  layout: ExecutorLayout;
  spec: InputSpec;
}

export interface WorkerPlan {
  table: PlannedBuffer[];
  /** This worker's index in its team and the team's size (1 = runs whole frames alone). */
  tid: number;
  size: number;
}

export interface FrameStats {
  inferenceMs: number;
  /** Barriers this worker passed in the frame and milliseconds it waited at them. */
  barriers: number;
  waitMs: number;
  /** CPU milliseconds this worker used for the frame (Linux; 10 ms resolution). */
  cpuMs?: number;
}

export class ThreadWorker {
  private k?: Kernels;
  private ex?: SegFormerExecutor;
  private spec?: InputSpec;
  private words?: Int32Array;
  private run?: Run;

  init(o: WorkerInit): void {
    this.k = kernelsFromModule(o.module, o.build, o.memory);
    this.ex = new SegFormerExecutor(this.k, o.layout);
    this.spec = o.spec;
    this.words = new Int32Array(o.memory.buffer, o.control, CONTROL_BYTES / 4);
  }

  plan(p: WorkerPlan): void {
    const k = this.ready();
    const ws = Workspace.fixed(k, p.table);
    const team: Team = p.size === 1 ? SOLO : new AtomicsTeam(this.words!, p.tid, p.size);
    this.run = { k, team, ws, local: ws.local(p.tid) };
  }

  /**
   * Run this worker's part of a frame whose RGB bytes the owner put in the workspace's "in.rgb";
   * with the barriers it passed and the time it waited at them.
   */
  frame(width: number, height: number): FrameStats {
    const run = this.run;
    if (!run) throw new Error('runtime worker: frame() before plan(). Expected init, plan, then frames.');
    try {
      const cpu0 = threadCpuMs();
      const { inferenceMs } = segmentFrame(this.ex!, run, this.spec!, width, height);
      const cpu1 = threadCpuMs();
      const b = run.team instanceof AtomicsTeam ? run.team.takeStats() : { barriers: 0, waitMs: 0 };
      return { inferenceMs, ...b, cpuMs: cpu0 === undefined ? undefined : cpu1! - cpu0 };
    } catch (e) {
      if (run.team instanceof AtomicsTeam) run.team.abort();
      throw e;
    }
  }

  /** One raw kernel call by export name (tests; measuring a message round trip). */
  call(name: string, args: number[]): number {
    const fn = this.ready().exports[name];
    if (typeof fn !== 'function') throw new Error(`runtime worker: no kernel export "${name}".`);
    return fn(...args) ?? 0;
  }

  private ready(): Kernels {
    if (!this.k) throw new Error('runtime worker: called before init(). Expected init first.');
    return this.k;
  }
}

const api = new ThreadWorker();
if (typeof process === 'object' && typeof process.versions?.node === 'string') {
  const { parentPort } = await import('node:worker_threads');
  if (!parentPort)
    throw new Error('runtime worker: worker.ts is a worker entry. Expected to run in a worker thread.');
  expose(api, nodeEndpoint(parentPort));
} else {
  expose(api);
}
