// families/lutU8.ts — manifest entries and typed wrappers for assembly/lut_u8/: per-channel lookup
// tables on bytes. The runtime normalizes a frame's RGB bytes with a 3·256-entry f32 table of
// (x − mean)/std, and for an INT8 model straight to its first conv's int8 input with the table
// quantized once (the same bytes as normalizing, then quantizing).
import { expectBuf, expectInt, type KBuf } from '../kbuf.js';
import type { Isa, KernelInfo } from '../kernelInfo.js';
import type { Kernels } from '../kernels.js';

const ops = [
  ['lut_u8_f32', 'y(f32)[i] = table[(i mod c)·256 + x(u8)[i]]'],
  ['lut_u8_i8', 'y(i8)[i] = table[(i mod c)·256 + x(u8)[i]]'],
] as const;

// Scalar only, in every build: see the kernel's header for why there is no SIMD variant.
export const lutU8Kernels: KernelInfo[] = ops.map(([op, summary]) => ({
  name: `${op}__scalar`,
  family: 'lut_u8',
  op,
  isa: 'scalar',
  summary,
}));

export interface LutU8Options {
  /** Interleaved channels of x (3 for RGB); the table holds c·256 entries. Default 1. */
  channels?: number;
  /** Elements of x to map (default x.length). */
  n?: number;
  isa?: Isa;
}

function lut(
  k: Kernels,
  op: 'lut_u8_f32' | 'lut_u8_i8',
  x: KBuf,
  y: KBuf,
  table: KBuf,
  o: LutU8Options,
): void {
  const dtype = op === 'lut_u8_f32' ? 'f32' : 'i8';
  const c = o.channels ?? 1;
  const n = o.n ?? x.length;
  expectInt(op, 'channels', c, 1, 256);
  expectInt(op, 'n', n, 0);
  expectBuf(op, 'x', x, 'u8', n, 'n');
  expectBuf(op, 'y', y, dtype, n, 'n');
  expectBuf(op, 'table', table, dtype, c * 256, `channels·256 = ${c}·256`);
  for (const [name, b] of [
    ['x', x],
    ['table', table],
  ] as const) {
    if (b.arena !== y.arena) {
      throw new Error(
        `${op}: ${name} lives in a different kernel memory than y. Expected both from the same Kernels.`,
      );
    }
    const len = name === 'x' ? n : b.byteLength;
    const yb = n * (dtype === 'f32' ? 4 : 1);
    if (len > 0 && yb > 0 && b.ptr < y.ptr + yb && y.ptr < b.ptr + len) {
      throw new Error(
        `${op}: y overlaps ${name}. Expected separate memory, got ${name} at bytes [${b.ptr}, ${b.ptr + len}) and y at [${y.ptr}, ${y.ptr + yb}).`,
      );
    }
  }
  k.fn(k.pick(op, o.isa))(x.ptr, y.ptr, n, table.ptr, c);
}

/** y[i] (f32) = table[(i mod channels)·256 + x[i]] for the first n bytes of x. */
export function lutU8F32(k: Kernels, x: KBuf, y: KBuf, table: KBuf, o: LutU8Options = {}): void {
  lut(k, 'lut_u8_f32', x, y, table, o);
}

/** y[i] (i8) = table[(i mod channels)·256 + x[i]] for the first n bytes of x. */
export function lutU8I8(k: Kernels, x: KBuf, y: KBuf, table: KBuf, o: LutU8Options = {}): void {
  lut(k, 'lut_u8_i8', x, y, table, o);
}
