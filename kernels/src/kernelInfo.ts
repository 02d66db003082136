// kernelInfo.ts — the shape of one manifest entry.

/** ISA family of one exported kernel; a build contains one or more of them (see BUILD_ISAS). */
export type Isa = 'scalar' | 'simd128' | 'relaxed';

/** Register tile of a GEMM-like micro-kernel: mr rows × nr columns, kr reduction elements per step. */
export interface Tile {
  mr: number;
  nr: number;
  kr: number;
}

export interface KernelInfo {
  /** Exported symbol, spelling the spec: `gemm_i8_4x8c2__simd` (op, type, tile, ISA). */
  name: string;
  /** Family = the assembly/<family>/ folder and src/families/<family>.ts. */
  family: string;
  /** The operation it implements; kernels with the same op are interchangeable (same signature). */
  op: string;
  isa: Isa;
  tile?: Tile;
  /** One line for the README and benchmark tables. */
  summary: string;
}
