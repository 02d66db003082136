// profile.ts — time every llop a backend runs, to tell where a training step goes and how much of
// it is spent inside WASM kernels (llops the WASM backend implements with a kernel) versus plain
// TS loops and the JS glue between ops.
import { type Backend, WasmBackend } from '@edgeseg/autograd';

const LLOPS = [
  'gemm',
  'unary',
  'unaryGrad',
  'binary',
  'affine',
  'reduce',
  'softmax',
  'softmaxGrad',
  'layerNorm',
  'layerNormGrad',
  'im2col',
  'col2im',
  'dwconv',
  'dwconvGrad',
  'resize',
  'resizeGrad',
  'permute',
  'copy',
  'fill',
  'adamw',
] as const;

export interface Profile {
  /** Milliseconds per llop since the last reset. */
  times(): Map<string, number>;
  /**
   * Names of llops that run a WASM kernel on this backend (fill: a native memset of its memory).
   * Their fallbacks to TS loops are timed apart, as `<llop> (js)`, which is not in this set.
   */
  kernelLlops: Set<string>;
  reset(): void;
}

export function profileBackend(be: Backend): Profile {
  const times = new Map<string, number>();
  const kernelLlops = new Set<string>();
  const add = (name: string, ms: number) => times.set(name, (times.get(name) ?? 0) + ms);
  let fallbackMs = 0;
  if (be instanceof WasmBackend) {
    be.fallbackHook = (llop, run) => {
      const t0 = performance.now();
      run();
      const ms = performance.now() - t0;
      fallbackMs += ms;
      add(`${llop} (js)`, ms);
    };
  }
  for (const name of LLOPS) {
    const target = be as unknown as Record<string, ((...a: unknown[]) => unknown) | undefined>;
    const fn = target[name];
    if (!fn) continue;
    const orig = fn.bind(be);
    // A llop is kernel-backed when WasmBackend itself (not the inherited TS loops) defines it.
    if (be instanceof WasmBackend && Object.hasOwn(WasmBackend.prototype, name)) kernelLlops.add(name);
    target[name] = (...args: unknown[]) => {
      const t0 = performance.now();
      const f0 = fallbackMs;
      const r = orig(...args);
      // A fallback inside this call was already counted under its own name.
      add(name, performance.now() - t0 - (fallbackMs - f0));
      return r;
    };
  }
  return { times: () => new Map(times), kernelLlops, reset: () => times.clear() };
}
