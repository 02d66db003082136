// kernelCases.ts — the kernel calls `edgeseg-run calibrate` times, at SegFormer-B0 shapes for a 512×1024
// input (REFERENCE §4.1: widths 32/64/160/256, Mix-FFN ratio 4, attention keys reduced by sr = 8 at stage 1).
// Row counts are slices of the real token counts so that one call takes milliseconds, not seconds. Each case
// sets its buffers up once in a kernel instance and returns one call; `work` is what one call does, in
// `unit` (MACs for GEMMs, elements for softmax, bytes read + written for quantize).
import {
  GEMM_F32_SCRATCH_BYTES,
  gemmF32,
  gemmI8,
  gemmI8ScratchBytes,
  type KBuf,
  type Kernels,
  packGemmF32B,
  packGemmI8Weights,
  quantizeF32I8,
  softmaxF32,
} from '@edgeseg/kernels';

export type CaseName =
  | 'gemm_i8_ffn2'
  | 'gemm_i8_ffn4'
  | 'gemm_f32_ffn2'
  | 'gemm_f32_ffn4'
  | 'softmax_attn1'
  | 'quantize_dram'
  | 'quantize_cache';

export interface KernelCase {
  name: CaseName;
  kernel: 'gemm_i8' | 'gemm_f32' | 'softmax_f32' | 'quantize_f32_i8';
  shape: string;
  unit: 'MAC' | 'element' | 'byte';
  work: number;
}

export const KERNEL_CASES: Record<CaseName, KernelCase> = {
  gemm_i8_ffn2: {
    name: 'gemm_i8_ffn2',
    kernel: 'gemm_i8',
    shape: 'stage-2 Mix-FFN fc1 64→256, 1024 of 8192 tokens: M×N×K = 1024×256×64',
    unit: 'MAC',
    work: 1024 * 256 * 64,
  },
  gemm_i8_ffn4: {
    name: 'gemm_i8_ffn4',
    kernel: 'gemm_i8',
    shape: 'stage-4 Mix-FFN fc1 256→1024, 512 tokens: M×N×K = 512×1024×256',
    unit: 'MAC',
    work: 512 * 1024 * 256,
  },
  gemm_f32_ffn2: {
    name: 'gemm_f32_ffn2',
    kernel: 'gemm_f32',
    shape: 'stage-2 Mix-FFN fc1 64→256, 1024 of 8192 tokens: M×N×K = 1024×256×64',
    unit: 'MAC',
    work: 1024 * 256 * 64,
  },
  gemm_f32_ffn4: {
    name: 'gemm_f32_ffn4',
    kernel: 'gemm_f32',
    shape: 'stage-4 Mix-FFN fc1 256→1024, 512 tokens: M×N×K = 512×1024×256',
    unit: 'MAC',
    work: 512 * 1024 * 256,
  },
  softmax_attn1: {
    name: 'softmax_attn1',
    kernel: 'softmax_f32',
    shape: 'stage-1 attention scores, 1024 of 32768 queries × 512 keys (sr 8): rows×cols = 1024×512',
    unit: 'element',
    work: 1024 * 512,
  },
  quantize_dram: {
    name: 'quantize_dram',
    kernel: 'quantize_f32_i8',
    shape: '4 Mi elements (16 MiB f32 → 4 MiB i8, beyond any cache): stage-1 activations 32768×128',
    unit: 'byte',
    work: (1 << 22) * 5,
  },
  quantize_cache: {
    name: 'quantize_cache',
    kernel: 'quantize_f32_i8',
    shape: '64 Ki elements (256 KiB f32 → 64 KiB i8, cache-resident)',
    unit: 'byte',
    work: (1 << 16) * 5,
  },
};

/** fp32 ops per softmax element: max, subtract, exp, sum, scale (exp counted as one). */
export const SOFTMAX_OPS_PER_ELEMENT = 5;

/** Fills a kernel buffer with deterministic values (xorshift32) in [lo, hi), rounded for integer buffers. */
function fill(b: KBuf, lo: number, hi: number, seed: number): KBuf {
  const v = b.view();
  let s = seed >>> 0 || 1;
  const int = b.dtype !== 'f32';
  for (let i = 0; i < v.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const x = lo + ((s >>> 0) / 2 ** 32) * (hi - lo);
    v[i] = int ? Math.floor(x) : x;
  }
  return b;
}

/** Sets a case up in `k` (buffers are the case's for the life of `k`) and returns one call of it. */
export function prepareCase(k: Kernels, name: CaseName): () => void {
  const big = name.endsWith('ffn4');
  const [m, n, kk] = big ? [512, 1024, 256] : [1024, 256, 64];
  switch (name) {
    case 'gemm_i8_ffn2':
    case 'gemm_i8_ffn4': {
      const a = fill(k.alloc('i8', m * kk), -128, 128, 1) as KBuf<'i8'>;
      const b = fill(k.alloc('i8', kk * n), -127, 128, 2) as KBuf<'i8'>;
      const w = packGemmI8Weights(k, b, { n, k: kk, layout: 'kn' });
      b.release();
      const c = k.alloc('i8', m * n);
      const mults = k.alloc('i32', n).fill(1 << 24);
      const scratch = k.alloc('u8', gemmI8ScratchBytes(n, kk));
      return () => gemmI8(k, a, w, c, { m, za: 3, zo: 0, mults, shift: 36, scratch });
    }
    case 'gemm_f32_ffn2':
    case 'gemm_f32_ffn4': {
      const a = fill(k.alloc('f32', m * kk), -1, 1, 1) as KBuf<'f32'>;
      const b = fill(k.alloc('f32', kk * n), -1, 1, 2) as KBuf<'f32'>;
      const packed = packGemmF32B(k, b, { k: kk, n });
      b.release();
      const c = k.alloc('f32', m * n);
      const scratch = k.alloc('u8', GEMM_F32_SCRATCH_BYTES);
      return () => gemmF32(k, { m, n, k: kk, a, packed, c, scratch });
    }
    case 'softmax_attn1': {
      const x = fill(k.alloc('f32', 1024 * 512), -8, 8, 3);
      const y = k.alloc('f32', 1024 * 512);
      return () => softmaxF32(k, x, y, { rows: 1024, cols: 512 });
    }
    case 'quantize_dram':
    case 'quantize_cache': {
      const len = name === 'quantize_dram' ? 1 << 22 : 1 << 16;
      const x = fill(k.alloc('f32', len), -1, 1, 4);
      const y = k.alloc('i8', len);
      return () => quantizeF32I8(k, x, y, { scale: 1 / 100 });
    }
  }
}

export interface CaseTiming {
  calls: number;
  /** Wall time of the window, seconds. */
  seconds: number;
  /** Time spent inside the calls, seconds (rates are work · calls / busySeconds). */
  busySeconds: number;
  /** Median wall time of one call, seconds. */
  medianCallS: number;
}

/**
 * Calls `call` until `seconds` have passed (at least 3 calls) and returns the timings; `between` runs after
 * every call (the energy meter's poll when timing on the main thread).
 */
export async function timeCase(
  call: () => void,
  seconds: number,
  between: () => Promise<void> | void = () => {},
): Promise<CaseTiming> {
  const times: number[] = [];
  const t0 = performance.now();
  let t = t0;
  while (times.length < 3 || t - t0 < seconds * 1000) {
    const s = performance.now();
    call();
    t = performance.now();
    times.push((t - s) / 1000);
    await between();
  }
  const busySeconds = times.reduce((a, b) => a + b, 0);
  times.sort((a, b) => a - b);
  return {
    calls: times.length,
    seconds: (t - t0) / 1000,
    busySeconds,
    medianCallS: times[times.length >> 1],
  };
}
