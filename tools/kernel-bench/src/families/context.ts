// families/context.ts — what every family benchmark gets: the kernel builds to measure, seeded
// inputs, timing options and which peers to run.
import type { Isa, Kernels } from '@edgeseg/kernels';
import type { CeilingKind, CeilingProbe } from '../ceiling.js';
import type { TimingOptions } from '../timing.js';

export interface OursBuild {
  k: Kernels;
  /** Forced ISA variant inside that build. */
  isa: Isa;
  /** Label in the table: ours-simd128, ours-relaxed, ours-scalar. */
  impl: string;
}

export interface BenchContext {
  /** The builds and ISA variants to measure for a given op (relaxed only where the op has a relaxed kernel). */
  ours(op?: string): OursBuild[];
  rng: {
    f32(n: number, lo: number, hi: number): Float32Array;
    i8(n: number, lo?: number, hi?: number): Int8Array;
    i32(n: number, lo: number, hi: number): Int32Array;
  };
  timing: TimingOptions;
  includeRef: boolean;
  peers: Set<string>;
  /** Each peer asked for, once loaded: its name and version, or "unavailable: <why>" (printed by the CLI). */
  peerStatus: Map<string, string>;
  /** The kind's ceiling loop (its best variant), for timing in rounds with the kernels; absent = none. */
  probe?(kind: CeilingKind): CeilingProbe | undefined;
  log(msg: string): void;
}
