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
] as const;

export interface Profile {
  /** Milliseconds per llop since the last reset. */
  times(): Map<string, number>;
  /** Names of llops that run a WASM kernel on this backend. */
  kernelLlops: Set<string>;
  reset(): void;
}

export function profileBackend(be: Backend): Profile {
  const times = new Map<string, number>();
  const kernelLlops = new Set<string>();
  for (const name of LLOPS) {
    const target = be as unknown as Record<string, (...a: unknown[]) => unknown>;
    const orig = target[name].bind(be);
    // A llop is kernel-backed when WasmBackend itself (not the inherited TS loops) defines it.
    if (be instanceof WasmBackend && Object.hasOwn(WasmBackend.prototype, name)) kernelLlops.add(name);
    target[name] = (...args: unknown[]) => {
      const t0 = performance.now();
      const r = orig(...args);
      times.set(name, (times.get(name) ?? 0) + performance.now() - t0);
      return r;
    };
  }
  return { times: () => new Map(times), kernelLlops, reset: () => times.clear() };
}
