// threadedModel.ts — a SegmentationModel on worker threads over one shared kernel memory. This
// thread owns the memory: it packs the weights once, plans every workspace buffer (a dry run of the
// frame, run.ts) and copies images in and class ids out; workers only run kernels on pointers.
//
// Two schedules:
// - latency (default): every frame on all N workers at once, each computing a band of rows and
//   meeting the others at Atomics barriers (executor/segformerExecutor.ts); frames one at a time.
// - pipeline: each worker runs whole frames alone on its own workspace, so N frames are in flight
//   when N segment() calls are (throughput, e.g. a benchmark or a camera queue).
// Either way the class ids are bit-identical to the single-thread executor's.
import type { Kernels } from '@edgeseg/kernels';
import { dryKernels, SOLO, type Team } from '../executor/run.js';
import { SegFormerExecutor } from '../executor/segformerExecutor.js';
import { type InputSpec, segmentFrame } from '../executor/segmentFrame.js';
import { type PlannedBuffer, Workspace } from '../executor/workspace.js';
import type { EdgesegModelFile } from '../format.js';
import type { ModelInfo, SegmentationModel, SegmentationResult } from '../segmentationModel.js';
import { AtomicsTeam, CONTROL_BYTES } from './barrier.js';
import { WorkerPool } from './pool.js';
import type { FrameStats } from './worker.js';

export interface ThreadedOptions {
  threads: number;
  pipeline: boolean;
}

interface Lane {
  ws: Workspace;
  /** "width×height" the lane's workspace was planned for. */
  planned: string | null;
}

export class ThreadedModel implements SegmentationModel {
  readonly threads: number;
  /** Latency: one lane all workers share; pipeline: one lane per worker. */
  private readonly lanes: Lane[];
  private readonly idle: number[];
  private readonly waiting: ((lane: number) => void)[] = [];
  private disposed = false;

  private constructor(
    readonly info: ModelInfo,
    private readonly k: Kernels,
    private readonly ex: SegFormerExecutor,
    private readonly pool: WorkerPool,
    private readonly words: Int32Array,
    private readonly control: { release(): void },
    private readonly spec: InputSpec,
    readonly pipeline: boolean,
  ) {
    this.threads = pool.size;
    const n = pipeline ? pool.size : 1;
    this.lanes = Array.from({ length: n }, () => ({ ws: new Workspace(k), planned: null }));
    this.idle = this.lanes.map((_, i) => i);
  }

  /** `k` must be on a shared memory (loadKernels({ threads: true })). */
  static async create(
    k: Kernels,
    file: EdgesegModelFile,
    info: ModelInfo,
    o: ThreadedOptions,
  ): Promise<ThreadedModel> {
    if (!k.shared || !k.module) {
      throw new Error(
        'loadModel: kernels are not on a shared memory. Expected loadKernels({ threads: true }) with threads > 1.',
      );
    }
    const ex = new SegFormerExecutor(k, file);
    const control = k.alloc('i32', CONTROL_BYTES / 4);
    const words = new Int32Array(k.memory.buffer, control.ptr, CONTROL_BYTES / 4);
    const spec: InputSpec = info.input;
    let pool: WorkerPool | undefined;
    try {
      pool = await WorkerPool.start(o.threads);
      const init = {
        module: k.module,
        build: k.build,
        memory: k.memory,
        control: control.ptr,
        layout: ex.layout(),
        spec,
      };
      await pool.all((r) => r.init(init));
      return new ThreadedModel(info, k, ex, pool, words, control, spec, o.pipeline);
    } catch (e) {
      await pool?.close();
      control.release();
      ex.release();
      throw e;
    }
  }

  async segment(rgb: Uint8Array, width: number, height: number): Promise<SegmentationResult> {
    checkImage(rgb, width, height);
    if (this.disposed) throw new Error('segment: the model was disposed. Expected calls before dispose().');
    const lane = await this.acquire();
    try {
      const { ws } = this.lanes[lane];
      await this.plan(lane, width, height);
      ws.get('in.rgb', 'u8', width * height * 3).set(rgb.subarray(0, width * height * 3));
      const { inferenceMs } = this.pipeline
        ? await this.pool.on(lane, (r) => r.frame(width, height))
        : await this.teamFrame(width, height);
      const { height: H, width: W } = this.spec;
      return { classes: ws.get('out.classes', 'u8', H * W).toArray(), height: H, width: W, inferenceMs };
    } finally {
      this.release(lane);
    }
  }

  /** Per worker, the last frame's barrier count and wait time (how balanced the rows split was). */
  lastStats: FrameStats[] = [];

  /** All workers on one frame; waits for every one of them even when one fails. */
  private async teamFrame(width: number, height: number): Promise<FrameStats> {
    AtomicsTeam.reset(this.words);
    const results = await Promise.allSettled(
      Array.from({ length: this.pool.size }, (_, i) =>
        this.pool
          .on(i, (r) => r.frame(width, height))
          .catch((e: unknown) => {
            AtomicsTeam.abort(this.words, -1); // wake members waiting for one that died
            throw e;
          }),
      ),
    );
    const failed = results
      .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
      .map((r) => r.reason);
    if (failed.length > 0) throw failed.find((e) => (e as Error)?.name !== 'TeamAborted') ?? failed[0];
    this.lastStats = results.map((r) => (r as PromiseFulfilledResult<FrameStats>).value);
    return this.lastStats[0];
  }

  /** Plan a lane's workspace for this input size (a dry run per member) and hand it to its workers. */
  private async plan(lane: number, width: number, height: number): Promise<void> {
    const l = this.lanes[lane];
    const key = `${width}×${height}`;
    if (l.planned === key) return;
    const dk = dryKernels(this.k);
    const size = this.pipeline ? 1 : this.pool.size;
    for (let tid = 0; tid < size; tid++) {
      const team: Team = size === 1 ? { ...SOLO, dry: true } : { tid, size, barrier() {}, dry: true };
      segmentFrame(this.ex, { k: dk, team, ws: l.ws, local: l.ws.local(tid) }, this.spec, width, height);
    }
    const table: PlannedBuffer[] = l.ws.table();
    if (this.pipeline) await this.pool.on(lane, (r) => r.plan({ table, tid: 0, size: 1 }));
    else await this.pool.all((r, i) => r.plan({ table, tid: i, size }));
    l.planned = key;
  }

  private acquire(): Promise<number> {
    const lane = this.idle.pop();
    if (lane !== undefined) return Promise.resolve(lane);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(lane: number): void {
    const next = this.waiting.shift();
    if (next) next(lane);
    else this.idle.push(lane);
  }

  /** A lane's workspace (tests read intermediate buffers such as "dec.logits" from it). */
  workspace(lane = 0): Workspace {
    return this.lanes[lane].ws;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    // Let frames in flight finish: take every lane back first.
    const held = await Promise.all(this.lanes.map(() => this.acquire()));
    await this.pool.close();
    for (const l of this.lanes) l.ws.release();
    this.control.release();
    this.ex.release();
    this.idle.push(...held);
  }
}

export function checkImage(rgb: Uint8Array, width: number, height: number): void {
  if (
    !Number.isInteger(width) ||
    !Number.isInteger(height) ||
    width < 1 ||
    height < 1 ||
    rgb.length < width * height * 3
  ) {
    throw new Error(
      `segment: image of ${rgb.length} bytes is not ${width}×${height} RGB. Expected ${width * height * 3} bytes.`,
    );
  }
}
