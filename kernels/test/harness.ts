// harness.ts — what every kernel test needs: the builds to test, guarded buffers (outputs filled
// with NaN or a byte pattern before the call, 64 canary bytes after every buffer, checked after),
// and failure messages in XNNPACK's form.
import {
  DTYPE_BYTES,
  type DType,
  KBuf,
  type KernelInfo,
  type Kernels,
  loadKernelsSync,
} from '../src/index.js';

export const CANARY_BYTES = 64;

let release: Kernels | undefined;
let relaxed: Kernels | null | undefined;
let scalar: Kernels | undefined;
let debug: Kernels | undefined;

export function releaseKernels(): Kernels {
  release ??= loadKernelsSync({ isa: 'simd128' });
  return release;
}

/** The relaxed build, or null where the engine cannot run relaxed SIMD. */
export function relaxedKernels(): Kernels | null {
  if (relaxed === undefined) {
    try {
      relaxed = loadKernelsSync({ isa: 'relaxed' });
    } catch {
      relaxed = null;
    }
  }
  return relaxed;
}

export function scalarKernels(): Kernels {
  scalar ??= loadKernelsSync({ isa: 'scalar' });
  return scalar;
}

export function debugKernels(): Kernels {
  debug ??= loadKernelsSync({ debug: true });
  return debug;
}

/** The build that runs a manifest entry in tests: relaxed ones in the relaxed build, others in release. */
export function buildFor(info: KernelInfo): Kernels | null {
  return info.isa === 'relaxed' ? relaxedKernels() : releaseKernels();
}

function canaryByte(i: number): number {
  return (0xa5 ^ (i * 29)) & 0xff;
}

/** A buffer followed by CANARY_BYTES guard bytes; `poison` fills it first (NaN for f32, 0x5A else). */
export class Guarded<D extends DType> {
  readonly buf: KBuf<D>;
  private readonly block: number;
  private readonly k: Kernels;

  constructor(k: Kernels, dtype: D, length: number, init?: ArrayLike<number>) {
    this.k = k;
    const bytes = length * DTYPE_BYTES[dtype];
    this.block = k.arena.alloc(bytes + CANARY_BYTES);
    this.buf = KBuf.at(k.arena, dtype, this.block, length);
    const guard = k.arena.view('u8', this.block + bytes, CANARY_BYTES);
    for (let i = 0; i < CANARY_BYTES; i++) guard[i] = canaryByte(i);
    if (init) this.buf.set(init);
    else this.poison();
  }

  poison(): void {
    if (this.buf.dtype === 'f32') this.buf.fill(Number.NaN);
    else this.k.arena.view('u8', this.block, this.buf.byteLength).fill(0x5a);
  }

  /** Throws if any guard byte changed. */
  checkCanary(what: string): void {
    const guard = this.k.arena.view('u8', this.block + this.buf.byteLength, CANARY_BYTES);
    for (let i = 0; i < CANARY_BYTES; i++) {
      if (guard[i] !== canaryByte(i)) {
        throw new Error(
          `${what}: wrote past the end of its output (guard byte ${i} changed to ${guard[i]}).`,
        );
      }
    }
  }

  free(): void {
    this.k.arena.release(this.block);
  }
}

export function guarded<D extends DType>(
  k: Kernels,
  dtype: D,
  length: number,
  init?: ArrayLike<number>,
): Guarded<D> {
  return new Guarded(k, dtype, length, init);
}

/** First index where two arrays differ bit-for-bit (NaN equals NaN), or −1. */
export function firstMismatch(ref: ArrayLike<number>, opt: ArrayLike<number>): number {
  if (ref.length !== opt.length) return Math.min(ref.length, opt.length);
  for (let i = 0; i < ref.length; i++) {
    const a = ref[i];
    const b = opt[i];
    if (a !== b && !(Number.isNaN(a) && Number.isNaN(b))) return i;
    if (a === 0 && b === 0 && 1 / a !== 1 / b) return i; // +0 vs −0 counts for bit-exactness
  }
  return -1;
}

export function kernelLabel(info: KernelInfo): string {
  const t = info.tile ? ` (mr×nr×kr=${info.tile.mr}×${info.tile.nr}×${info.tile.kr})` : '';
  return `kernel=${info.name}${t}`;
}
