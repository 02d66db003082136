// lut_u8.test.ts — lut_u8_f32 and lut_u8_i8 against the twin (kernels/ref/lut_u8.ts): bit-exact on
// awkward lengths (1, 3, 15, 17, 255, not multiples of c) and channel counts (1, 3 — the unrolled RGB
// path — 4 and 256), tables with NaN, ±∞ and −0 (copied, never computed), canaries after every buffer.
import { Rng } from '@edgeseg/testing';
import { describe, expect, it } from 'vitest';
import * as ref from '../ref/index.js';
import { KBuf, type KernelInfo, kernelsOf, lutU8F32, lutU8I8 } from '../src/index.js';
import { buildFor, firstMismatch, guarded, kernelLabel, releaseKernels } from './harness.js';

const LENGTHS = [0, 1, 2, 3, 4, 15, 17, 255, 256, 3 * 1024 + 2];
const CHANNELS = [1, 3, 4, 256];

function f32Table(rng: Rng, c: number): Float32Array {
  const t = rng.f32Array(c * 256, -4, 4);
  t[0] = Number.NaN;
  t[1] = Number.POSITIVE_INFINITY;
  t[2] = Number.NEGATIVE_INFINITY;
  t[3] = -0;
  return t;
}

function bitsOf(a: Float32Array): Uint32Array {
  return new Uint32Array(a.buffer, a.byteOffset, a.length);
}

describe.each(kernelsOf('lut_u8').map((info) => [info.name, info] as const))(
  '%s',
  (_name, info: KernelInfo) => {
    const k = buildFor(info)!;
    const isF32 = info.op === 'lut_u8_f32';
    it(`matches the twin bit for bit on ${LENGTHS.length} lengths × ${CHANNELS.length} channel counts`, () => {
      let seed = 900;
      for (const c of CHANNELS) {
        for (const n of LENGTHS) {
          const rng = new Rng(seed++);
          const x = Uint8Array.from({ length: n }, () => rng.int(0, 255));
          const where = `${kernelLabel(info)}, n=${n}, c=${c}, seed=${seed - 1}`;
          const gx = guarded(k, 'u8', n, x);
          if (isF32) {
            const table = f32Table(rng, c);
            const gt = guarded(k, 'f32', table.length, table);
            const gy = guarded(k, 'f32', n);
            lutU8F32(k, gx.buf, gy.buf, gt.buf, { channels: c, isa: info.isa });
            for (const g of [gx, gt, gy]) g.checkCanary(info.name);
            const want = ref.lutU8(x, table, c);
            expect(firstMismatch(bitsOf(want), bitsOf(gy.buf.toArray())), where).toBe(-1);
            gt.free();
            gy.free();
          } else {
            const table = rng.i8Array(c * 256);
            const gt = guarded(k, 'i8', table.length, table);
            const gy = guarded(k, 'i8', n);
            lutU8I8(k, gx.buf, gy.buf, gt.buf, { channels: c, isa: info.isa });
            for (const g of [gx, gt, gy]) g.checkCanary(info.name);
            expect(firstMismatch(ref.lutU8(x, table, c), gy.buf.toArray()), where).toBe(-1);
            gt.free();
            gy.free();
          }
          expect(firstMismatch(x, gx.buf.view()), `x changed, ${where}`).toBe(-1);
          gx.free();
        }
      }
    });
  },
);

describe('lut_u8 wrappers', () => {
  const k = releaseKernels();
  it('refuse a short table, a bad channel count, and y overlapping x or the table', () => {
    const x = k.alloc('u8', 12);
    const y = k.alloc('i8', 12);
    const t = k.alloc('i8', 3 * 256);
    expect(() => lutU8I8(k, x, y, k.alloc('i8', 255), { channels: 1 })).toThrow(/table is too small/);
    expect(() => lutU8I8(k, x, y, t, { channels: 0 })).toThrow(/channels is out of range/);
    expect(() => lutU8I8(k, x, y, t, { channels: 3, n: 13 })).toThrow(/x is too small/);
    const xy = k.alloc('u8', 24);
    expect(() => lutU8I8(k, xy, KBuf.at(k.arena, 'i8', xy.ptr + 4, 12), t, { channels: 3, n: 12 })).toThrow(
      /y overlaps x/,
    );
    expect(() => lutU8I8(k, x, KBuf.at(k.arena, 'i8', t.ptr + 100, 12), t, { channels: 3 })).toThrow(
      /y overlaps table/,
    );
    expect(() => lutU8F32(k, x, k.alloc('f32', 12), t as never, { channels: 3 })).toThrow(/wrong dtype/);
  });
});
