// kernels.ts — one instantiated kernel module: its memory, its arena and its exports, plus dispatch
// from an op name to the best variant this build carries. A threaded build's instance runs on a
// shared memory; other threads instantiate the same `module` on that memory with a borrowed arena.
import { Arena, type ArenaOptions, type DType } from './arena.js';
import { KBuf } from './kbuf.js';
import type { Isa, KernelInfo } from './kernelInfo.js';
import { BUILD_ISAS, type BuildName, manifest } from './manifest.js';

const ISA_RANK: Record<Isa, number> = { scalar: 0, simd128: 1, relaxed: 2 };

// biome-ignore lint/suspicious/noExplicitAny: raw WASM exports take numbers only; wrappers type them.
export type RawKernel = (...args: number[]) => any;

export interface KernelsOptions {
  /** The compiled module (kept so that worker threads can instantiate the same code). */
  module?: WebAssembly.Module;
  /** Arena options: a shared memory's maximum pages, or `borrowed` for a non-owning thread. */
  arena?: ArenaOptions;
}

export class Kernels {
  readonly instance: WebAssembly.Instance;
  readonly build: BuildName;
  readonly memory: WebAssembly.Memory;
  readonly arena: Arena;
  readonly exports: Readonly<Record<string, RawKernel>>;
  readonly module: WebAssembly.Module | undefined;
  private readonly picked = new Map<string, KernelInfo>();

  constructor(instance: WebAssembly.Instance, build: BuildName, o: KernelsOptions = {}) {
    this.instance = instance;
    this.build = build;
    this.module = o.module;
    const ex = instance.exports as Record<string, unknown>;
    if (!(ex.memory instanceof WebAssembly.Memory)) {
      throw new Error(`kernels: ${build}.wasm exports no memory. Expected an exported "memory".`);
    }
    this.memory = ex.memory;
    this.exports = ex as Record<string, RawKernel>;
    this.arena = new Arena(this.memory, (ex.heap_base as () => number)(), o.arena);
  }

  /** Whether the memory is shared (a threaded build): other threads may run kernels on it. */
  get shared(): boolean {
    return typeof SharedArrayBuffer === 'function' && this.memory.buffer instanceof SharedArrayBuffer;
  }

  /** The ISA families this build contains. */
  get isas(): readonly Isa[] {
    return BUILD_ISAS[this.build];
  }

  /** The best ISA this build has. */
  get isa(): Isa {
    return this.isas[this.isas.length - 1];
  }

  /** Allocate a typed buffer in this module's memory. */
  alloc<D extends DType>(dtype: D, length: number): KBuf<D> {
    return new KBuf(this.arena, dtype, length);
  }

  /** Copy an array into a fresh buffer. */
  from<D extends DType>(dtype: D, src: ArrayLike<number>): KBuf<D> {
    return new KBuf(this.arena, dtype, src.length).set(src);
  }

  /**
   * The kernel that implements `op`: the named ISA if given, else the most capable one in this build.
   * Among several of the same ISA (tile variants), the first listed in the manifest wins.
   */
  pick(op: string, isa?: Isa): KernelInfo {
    const key = `${op}/${isa ?? '*'}`;
    const hit = this.picked.get(key);
    if (hit) return hit;
    const have = this.isas;
    let best: KernelInfo | undefined;
    for (const k of manifest) {
      if (k.op !== op || !have.includes(k.isa) || (isa && k.isa !== isa)) continue;
      if (!best || ISA_RANK[k.isa] > ISA_RANK[best.isa]) best = k;
    }
    if (!best) {
      const known = [...new Set(manifest.map((k) => k.op))].join(', ');
      throw new Error(
        `kernels: no kernel for op "${op}"${isa ? ` with isa ${isa}` : ''} in the ${this.build} build. ` +
          `Expected one of: ${known}.`,
      );
    }
    if (typeof this.exports[best.name] !== 'function') {
      throw new Error(`kernels: ${this.build}.wasm does not export ${best.name}, which the manifest lists.`);
    }
    this.picked.set(key, best);
    return best;
  }

  /** The raw export for a manifest entry. */
  fn(info: KernelInfo): RawKernel {
    return this.exports[info.name];
  }
}
