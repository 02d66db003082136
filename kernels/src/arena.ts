// arena.ts — the host-side allocator over a kernel module's memory.
//
// Kernels never allocate: every buffer they touch is a byte offset handed to them by the host.
// The arena hands out 16-byte aligned blocks above `heap_base()` and keeps 16 spare bytes after
// each block, because SIMD kernels may read (never write) up to 16 bytes past an input.
//
// Freed blocks go to exact-size free lists (sizes are rounded to a small set of size classes so
// that the same tensor shapes, step after step, reuse the same blocks); a block never splits or
// merges. That keeps memory flat across training steps, whose allocations repeat exactly.
//
// After `memory.grow` every typed-array view over the old buffer is detached; `view()` therefore
// builds views from the current `memory.buffer` on every call and callers must not keep them
// across calls that can allocate. A shared memory (threaded builds) does not detach its old
// SharedArrayBuffer but the old one keeps its old length, so the same rule holds there.
//
// Threads: one arena owns a shared memory (on the thread that created it); the other threads'
// instances get a `borrowed` arena that hands out views but never allocates, because two
// allocators over one memory would hand out the same bytes twice.

export const ALIGN = 16;
export const TAIL_BYTES = 16;
const PAGE = 65536;
/** WASM32 memory ends at 4 GiB (65536 pages of 64 KiB). */
export const MAX_PAGES = 65536;

export type DType = 'f32' | 'i8' | 'u8' | 'i16' | 'i32';
export type TypedArrayOf<D extends DType> = D extends 'f32'
  ? Float32Array
  : D extends 'i8'
    ? Int8Array
    : D extends 'u8'
      ? Uint8Array
      : D extends 'i16'
        ? Int16Array
        : Int32Array;

export const DTYPE_BYTES: Record<DType, number> = { f32: 4, i8: 1, u8: 1, i16: 2, i32: 4 };

/** Thrown when the WASM memory cannot grow to hold an allocation. */
export class ArenaOutOfMemoryError extends Error {
  constructor(
    readonly requestedBytes: number,
    readonly neededTotalBytes: number,
    readonly limitBytes: number = MAX_PAGES * PAGE,
  ) {
    super(
      `kernels arena: cannot grow WASM memory to ${mib(neededTotalBytes)} MiB for a block of ${mib(
        requestedBytes,
      )} MiB. Expected a total under ${mib(limitBytes)} MiB (${
        limitBytes >= MAX_PAGES * PAGE ? 'WASM32 memory ends at 4 GiB' : "the shared memory's maximum"
      }), got a request for ${mib(neededTotalBytes)} MiB. Lower the batch size or the input resolution.`,
    );
    this.name = 'ArenaOutOfMemoryError';
  }
}

function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}

/** Size class of a request: multiples of 16 up to 1 KiB, then 8 steps per power of two. */
export function sizeClass(bytes: number): number {
  const b = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
  if (b <= 1024) return b;
  const p = 2 ** Math.floor(Math.log2(b));
  const step = p / 8;
  return Math.ceil(b / step) * step;
}

export interface ArenaOptions {
  /** Pages the memory may grow to: its declared maximum (default MAX_PAGES, 4 GiB). */
  maxPages?: number;
  /** The memory belongs to another thread's arena: views only, `alloc` throws. */
  borrowed?: boolean;
}

export class Arena {
  readonly memory: WebAssembly.Memory;
  readonly base: number;
  readonly maxPages: number;
  readonly borrowed: boolean;
  private top: number;
  private readonly free: Map<number, number[]> = new Map();
  /** ptr → size class of every live block. */
  private readonly live: Map<number, number> = new Map();
  private liveBytes = 0;
  private peakBytes = 0;

  constructor(memory: WebAssembly.Memory, base: number, o: ArenaOptions = {}) {
    if (!Number.isInteger(base) || base < 0) {
      throw new Error(`kernels arena: heap base must be a non-negative integer. Expected ≥ 0, got ${base}.`);
    }
    const maxPages = o.maxPages ?? MAX_PAGES;
    if (!Number.isInteger(maxPages) || maxPages < 1 || maxPages > MAX_PAGES) {
      throw new Error(
        `kernels arena: maxPages is out of range. Expected an integer in [1, ${MAX_PAGES}], got ${maxPages}.`,
      );
    }
    this.maxPages = maxPages;
    this.borrowed = o.borrowed ?? false;
    this.memory = memory;
    this.base = Math.ceil(base / ALIGN) * ALIGN;
    this.top = this.base;
  }

  /** Allocate `bytes` (≥ 0) and return the 16-byte aligned offset. Contents are unspecified. */
  alloc(bytes: number): number {
    if (!Number.isFinite(bytes) || bytes < 0 || !Number.isInteger(bytes)) {
      throw new Error(`kernels arena: allocation size must be a whole number of bytes ≥ 0. Got ${bytes}.`);
    }
    if (this.borrowed) {
      throw new Error(
        `kernels arena: cannot allocate ${bytes} bytes in a borrowed arena. Expected allocations on the thread ` +
          'that owns the shared memory (the Kernels made by loadKernels({ threads: true })); pass this thread pointers into it.',
      );
    }
    const cls = sizeClass(bytes);
    const list = this.free.get(cls);
    let ptr: number;
    if (list && list.length > 0) {
      ptr = list.pop()!;
    } else {
      ptr = this.top;
      const end = ptr + cls + TAIL_BYTES;
      this.ensure(end, bytes);
      this.top = end;
    }
    this.live.set(ptr, cls);
    this.liveBytes += cls;
    if (this.liveBytes > this.peakBytes) this.peakBytes = this.liveBytes;
    return ptr;
  }

  /** Return a block to its free list. Freeing an unknown offset is a bug and throws. */
  release(ptr: number): void {
    const cls = this.live.get(ptr);
    if (cls === undefined) {
      throw new Error(
        `kernels arena: release of ${ptr}, which is not a live block (double free or foreign pointer).`,
      );
    }
    this.live.delete(ptr);
    this.liveBytes -= cls;
    let list = this.free.get(cls);
    if (!list) {
      list = [];
      this.free.set(cls, list);
    }
    list.push(ptr);
  }

  /** Drop every block at once (all views and offsets handed out become invalid). */
  reset(): void {
    this.free.clear();
    this.live.clear();
    this.liveBytes = 0;
    this.top = this.base;
  }

  /** Usable size of a live block (its size class), or undefined. */
  sizeOf(ptr: number): number | undefined {
    return this.live.get(ptr);
  }

  get stats(): {
    liveBytes: number;
    peakBytes: number;
    liveBlocks: number;
    reservedBytes: number;
    memoryBytes: number;
  } {
    return {
      liveBytes: this.liveBytes,
      peakBytes: this.peakBytes,
      liveBlocks: this.live.size,
      reservedBytes: this.top - this.base,
      memoryBytes: this.memory.buffer.byteLength,
    };
  }

  /** A typed view over `length` elements at `ptr`, built on the current buffer. */
  view<D extends DType>(dtype: D, ptr: number, length: number): TypedArrayOf<D> {
    const buf = this.memory.buffer;
    switch (dtype) {
      case 'f32':
        return new Float32Array(buf, ptr, length) as TypedArrayOf<D>;
      case 'i8':
        return new Int8Array(buf, ptr, length) as TypedArrayOf<D>;
      case 'u8':
        return new Uint8Array(buf, ptr, length) as TypedArrayOf<D>;
      case 'i16':
        return new Int16Array(buf, ptr, length) as TypedArrayOf<D>;
      case 'i32':
        return new Int32Array(buf, ptr, length) as TypedArrayOf<D>;
      default:
        throw new Error(`kernels arena: unknown dtype ${String(dtype)}.`);
    }
  }

  private ensure(end: number, requested: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    // Grow geometrically (×1.5) so a training run's first steps do not grow page by page.
    const needPages = Math.ceil(end / PAGE);
    const havePages = have / PAGE;
    const limit = this.maxPages * PAGE;
    if (needPages > this.maxPages) throw new ArenaOutOfMemoryError(requested, end, limit);
    const want = Math.min(this.maxPages, Math.max(needPages, Math.ceil(havePages * 1.5)));
    try {
      this.memory.grow(want - havePages);
    } catch {
      try {
        this.memory.grow(needPages - havePages);
      } catch {
        throw new ArenaOutOfMemoryError(requested, end, limit);
      }
    }
  }
}
