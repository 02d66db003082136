// wasm.ts — the backend on edgeseg's WASM kernels. Tensors live in the kernel module's memory (an
// arena, explicitly released), so kernels read and write them in place: no copy in or out per op.
// Ops with a kernel call it; the rest run the inherited typed-array loops over the same memory.
import {
  GEMM_F32_SCRATCH_BYTES,
  gemmF32,
  KBuf,
  type Kernels,
  type LoadOptions,
  loadKernelsSync,
  logSoftmaxF32,
  softmaxF32,
} from '@edgeseg/kernels';
import { ArrayBackend } from './arrayBackend.js';
import type { GemmArgs, Storage } from './backend.js';

class WasmStorage implements Storage {
  refs = 1;
  constructor(
    readonly ptr: number,
    readonly length: number,
  ) {}
}

export class WasmBackend extends ArrayBackend {
  readonly name = 'wasm';
  readonly f64 = false;
  readonly kernels: Kernels;
  private readonly scratch: KBuf;

  constructor(kernels?: Kernels, opts: LoadOptions = {}) {
    super();
    this.kernels = kernels ?? loadKernelsSync(opts);
    this.scratch = this.kernels.alloc('u8', GEMM_F32_SCRATCH_BYTES);
  }

  alloc(n: number): Storage {
    return new WasmStorage(this.kernels.arena.alloc(n * 4), n);
  }

  release(s: Storage): void {
    const w = s as WasmStorage;
    if (--w.refs === 0) this.kernels.arena.release(w.ptr);
    else if (w.refs < 0) throw new Error('wasm backend: storage released more often than it was referenced.');
  }

  view(s: Storage): Float32Array {
    const w = s as WasmStorage;
    return new Float32Array(this.kernels.memory.buffer, w.ptr, w.length);
  }

  private buf(s: Storage): KBuf<'f32'> {
    const w = s as WasmStorage;
    return KBuf.at(this.kernels.arena, 'f32', w.ptr, w.length);
  }

  override gemm(g: GemmArgs): void {
    gemmF32(this.kernels, {
      m: g.m,
      n: g.n,
      k: g.k,
      a: this.buf(g.a),
      aOffset: g.aOffset,
      lda: g.lda,
      transA: g.transA,
      b: this.buf(g.b),
      bOffset: g.bOffset,
      ldb: g.ldb,
      transB: g.transB,
      c: this.buf(g.c),
      cOffset: g.cOffset,
      ldc: g.ldc,
      accumulate: g.accumulate,
      bias: g.bias ? this.buf(g.bias) : null,
      scratch: this.scratch,
    });
  }

  override softmax(x: Storage, y: Storage, rows: number, cols: number, log: boolean): void {
    (log ? logSoftmaxF32 : softmaxF32)(this.kernels, this.buf(x), this.buf(y), { rows, cols });
  }
}
