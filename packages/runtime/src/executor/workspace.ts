// workspace.ts — the executor's planned memory: named buffers allocated on the first frame and
// reused by every frame after it (no allocation per frame). A buffer only ever grows, so a larger
// input allocates once more and then stays flat too.
//
// Threads: buffers every thread of a frame reads (the residual stream, K and V, the decoder's
// concat…) are shared names; buffers one thread uses alone (its GEMM scratch, its band of attention
// scores, its im2col rows) come from `local(tid)`, the same workspace under a per-thread suffix.
// Workers cannot allocate (their arena is borrowed), so the owning thread plans every buffer first
// (a dry run of the frame) and sends `table()`; a worker's `Workspace.fixed` hands those out.
import { type DType, KBuf, type Kernels } from '@edgeseg/kernels';

/** What an op needs to get buffers by name: the workspace itself or one thread's part of it. */
export interface Scratch {
  get<D extends DType>(name: string, dtype: D, length: number): KBuf<D>;
  f32(name: string, length: number): KBuf<'f32'>;
}

/** One planned buffer, as sent to a worker. */
export interface PlannedBuffer {
  name: string;
  dtype: DType;
  ptr: number;
  length: number;
}

export class Workspace implements Scratch {
  private readonly bufs = new Map<string, KBuf>();
  private readonly locals = new Map<number, Scratch>();
  /** Hands out only the planned buffers (a worker's view of the owner's plan). */
  private fixed = false;

  constructor(readonly k: Kernels) {}

  /** The planned buffers of another thread's workspace, over the same shared memory. */
  static fixed(k: Kernels, table: readonly PlannedBuffer[]): Workspace {
    const ws = new Workspace(k);
    ws.fixed = true;
    for (const b of table) ws.bufs.set(b.name, KBuf.at(k.arena, b.dtype, b.ptr, b.length));
    return ws;
  }

  get<D extends DType>(name: string, dtype: D, length: number): KBuf<D> {
    const b = this.bufs.get(name);
    if (b && b.dtype === dtype && b.length >= length) return b as KBuf<D>;
    if (this.fixed) {
      throw new Error(
        `runtime: workspace buffer "${name}" was not planned for this frame. Expected ≥ ${length} ${dtype}, got ` +
          `${b ? `${b.length} ${b.dtype}` : 'none'}; the owning thread must plan the frame again.`,
      );
    }
    b?.release();
    const nb = this.k.alloc(dtype, Math.max(length, 1));
    this.bufs.set(name, nb);
    return nb;
  }

  f32(name: string, length: number): KBuf<'f32'> {
    return this.get(name, 'f32', length);
  }

  /** Thread `tid`'s own buffers (names suffixed `@tid`). */
  local(tid: number): Scratch {
    let s = this.locals.get(tid);
    if (!s) {
      const suffix = `@${tid}`;
      const get = <D extends DType>(name: string, dtype: D, length: number): KBuf<D> =>
        this.get(name + suffix, dtype, length);
      s = { get, f32: (name, length) => get(name, 'f32', length) };
      this.locals.set(tid, s);
    }
    return s;
  }

  /** Every buffer, for a worker's `Workspace.fixed`. */
  table(): PlannedBuffer[] {
    return [...this.bufs].map(([name, b]) => ({ name, dtype: b.dtype, ptr: b.ptr, length: b.length }));
  }

  bytes(): number {
    let n = 0;
    for (const b of this.bufs.values()) n += b.byteLength;
    return n;
  }

  release(): void {
    for (const b of this.bufs.values()) b.release();
    this.bufs.clear();
  }
}
