// transpose_f32.test.ts — every transpose_f32 kernel in the manifest against the twin in
// kernels/ref/transpose_f32.ts, bit for bit: sizes around the 4×4 blocks and the 32×32 tiles (1–9,
// 31/32/33, 63/64/65), 1×n and n×1, SegFormer's [B, N, C] token shapes, empty shapes. y is
// NaN-poisoned first (every element must be written), canaries after every buffer. Also the
// permute → transpose mapping.
import { Rng } from '@edgeseg/testing';
import { describe, expect, it } from 'vitest';
import * as ref from '../ref/index.js';
import {
  type KernelInfo,
  type Kernels,
  kernelsOf,
  permuteAsTranspose,
  type TransposeShape,
  transposeF32,
} from '../src/index.js';
import { buildFor, firstMismatch, guarded, kernelLabel, releaseKernels, scalarKernels } from './harness.js';

function shapes(): TransposeShape[] {
  const list: TransposeShape[] = [];
  const sizes = [1, 2, 3, 4, 5, 7, 8, 9, 31, 32, 33, 63, 64, 65];
  for (const rows of sizes) for (const cols of sizes) list.push({ batch: 1, rows, cols });
  list.push({ batch: 3, rows: 17, cols: 6 });
  list.push({ batch: 2, rows: 256, cols: 32 }); // [B, N, C]: stage-1 tokens of a 64×64 crop
  list.push({ batch: 2, rows: 64, cols: 160 }); // stage 3
  list.push({ batch: 1, rows: 1, cols: 1000 });
  list.push({ batch: 1, rows: 1000, cols: 1 });
  list.push({ batch: 0, rows: 5, cols: 5 });
  list.push({ batch: 2, rows: 0, cols: 5 });
  list.push({ batch: 2, rows: 5, cols: 0 });
  return list;
}

const ALL = shapes();
const n = (s: TransposeShape) => s.batch * s.rows * s.cols;

function run(k: Kernels, info: KernelInfo, s: TransposeShape, seed: number): Float32Array {
  const x = new Rng(seed).f32Array(n(s), -5, 5);
  const gx = guarded(k, 'f32', x.length, x);
  const gy = guarded(k, 'f32', x.length);
  transposeF32(k, gx.buf, gy.buf, s, { isa: info.isa });
  gx.checkCanary(info.name);
  gy.checkCanary(info.name);
  expect(firstMismatch(x, gx.buf.view()), `x changed, ${kernelLabel(info)}`).toBe(-1);
  const y = gy.buf.toArray();
  gx.free();
  gy.free();
  return y;
}

function check(info: KernelInfo, s: TransposeShape, seed: number, y: Float32Array): void {
  const x = new Rng(seed).f32Array(n(s), -5, 5);
  const want = ref.transposeF32(x, s.batch, s.rows, s.cols);
  const i = firstMismatch(want, y);
  if (i >= 0) {
    const b = Math.floor(i / (s.rows * s.cols));
    const j = Math.floor(i / s.rows) % s.cols;
    throw new Error(
      `y at (b=${b}, ${j}, ${i % s.rows}): reference=${want[i]}, optimized=${y[i]}, ${kernelLabel(info)}, ` +
        `batch×rows×cols=${s.batch}×${s.rows}×${s.cols}, seed=${seed}`,
    );
  }
}

describe.each(kernelsOf('transpose_f32').map((info) => [info.name, info] as const))('%s', (_name, info) => {
  const k = buildFor(info)!;
  it(`transposes every slice bit for bit on ${ALL.length} shapes`, () => {
    ALL.forEach((s, i) => {
      check(info, s, 900 + i, run(k, info, s, 900 + i));
    });
  });
  it('transposing twice gives x back', () => {
    const s = { batch: 2, rows: 37, cols: 70 };
    const x = new Rng(3).f32Array(n(s), -1, 1);
    const gx = guarded(k, 'f32', x.length, x);
    const gy = guarded(k, 'f32', x.length);
    const gz = guarded(k, 'f32', x.length);
    transposeF32(k, gx.buf, gy.buf, s, { isa: info.isa });
    transposeF32(k, gy.buf, gz.buf, { batch: 2, rows: 70, cols: 37 }, { isa: info.isa });
    expect(firstMismatch(x, gz.buf.view())).toBe(-1);
    for (const g of [gx, gy, gz]) g.free();
  });
});

describe('the tests can fail', () => {
  it('a transpose that skips the batch offset is caught', () => {
    const k = releaseKernels();
    const info = kernelsOf('transpose_f32')[1];
    const s = { batch: 2, rows: 5, cols: 6 };
    const y = run(k, info, { batch: 1, rows: 5, cols: 6 }, 1);
    const both = new Float32Array(60);
    both.set(y);
    both.set(y, 30);
    expect(() => check(info, s, 1, both)).toThrow(/y at \(b=1, /);
  });
});

describe('the scalar build', () => {
  it('carries transpose_f32, matching the twin', () => {
    const k = scalarKernels();
    const info = kernelsOf('transpose_f32')[0];
    ALL.forEach((s, i) => {
      if (i % 5 === 0) check(info, s, 900 + i, run(k, info, s, 900 + i));
    });
  });
});

describe('permuteAsTranspose', () => {
  it('recognizes the permutes that are batched transposes', () => {
    expect(permuteAsTranspose([2, 5, 7], [0, 2, 1])).toEqual({ batch: 2, rows: 5, cols: 7 });
    expect(permuteAsTranspose([5, 7], [1, 0])).toEqual({ batch: 1, rows: 5, cols: 7 });
    expect(permuteAsTranspose([2, 3, 4, 5], [0, 2, 3, 1])).toEqual({ batch: 2, rows: 3, cols: 20 });
    expect(permuteAsTranspose([2, 3, 4, 5], [0, 3, 1, 2])).toEqual({ batch: 2, rows: 12, cols: 5 });
    expect(permuteAsTranspose([2, 3, 4], [2, 0, 1])).toEqual({ batch: 1, rows: 6, cols: 4 });
  });
  it('rejects the others', () => {
    expect(permuteAsTranspose([2, 3, 4], [0, 1, 2])).toBeNull();
    expect(permuteAsTranspose([2, 3, 4], [1, 0, 2])).toBeNull();
    expect(permuteAsTranspose([2, 3, 4, 5], [0, 2, 1, 3])).toBeNull();
    expect(permuteAsTranspose([2, 3], [0])).toBeNull();
  });
  it('agrees with a general permute on every one it accepts (rank 3 and 4)', () => {
    const shape = [2, 3, 4, 5];
    const perms: number[][] = [];
    const permute = (rest: number[], acc: number[]) => {
      if (rest.length === 0) perms.push(acc);
      for (const r of rest)
        permute(
          rest.filter((v) => v !== r),
          [...acc, r],
        );
    };
    permute([0, 1, 2, 3], []);
    for (const perm of perms) {
      const t = permuteAsTranspose(shape, perm);
      if (!t) continue;
      const x = Array.from({ length: 120 }, (_, i) => i);
      const strides = [60, 20, 5, 1];
      const want: number[] = [];
      const out = perm.map((p) => shape[p]);
      for (let a = 0; a < out[0]; a++)
        for (let b = 0; b < out[1]; b++)
          for (let c = 0; c < out[2]; c++)
            for (let d = 0; d < out[3]; d++) {
              const idx = [a, b, c, d];
              let src = 0;
              perm.forEach((p, i) => {
                src += idx[i] * strides[p];
              });
              want.push(x[src]);
            }
      expect([...ref.transposeF32(x, t.batch, t.rows, t.cols)], `perm ${perm}`).toEqual(want);
    }
  });
});

describe('wrapper validation', () => {
  it('names the argument and what was expected', () => {
    const k = scalarKernels();
    const x = k.alloc('f32', 12);
    const y = k.alloc('f32', 10);
    expect(() => transposeF32(k, x, y, { batch: 1, rows: 3, cols: 4 })).toThrow(
      /transpose_f32: y is too small. Expected ≥ 12 elements \(batch·rows·cols = 1·3·4\), got 10/,
    );
    expect(() => transposeF32(k, x, x, { batch: 1, rows: 3, cols: 4 })).toThrow(
      /transpose_f32: y overlaps x/,
    );
    expect(() => transposeF32(k, x, y, { batch: 1, rows: -3, cols: 4 })).toThrow(/rows is out of range/);
    x.release();
    y.release();
  });
});
