// im2col_f32.test.ts — every im2col_f32-family kernel in the manifest against the f64 twin in
// kernels/ref/im2col_f32.ts: SegFormer's patch embeds (k7 s4 p3 on RGB, k3 s2 p1) and the
// spatial-reduction conv (k = s = 8/4/2), plus the edges: channels 1–3 and not a multiple of 4,
// odd sizes, dilation 2, taps all outside the image, outH/outW other than the conv formula, empty
// shapes. im2col must be bit-exact (a copy) with every cols element written (cols NaN-poisoned
// first); col2im accumulates onto random dx within sumF32Tolerance. Canaries after every buffer.
import { Rng, sumF32Tolerance } from '@edgeseg/testing';
import { describe, expect, it } from 'vitest';
import * as ref from '../ref/index.js';
import {
  type ConvGeomF32,
  col2imF32,
  convOutSize,
  im2colF32,
  im2colI8,
  im2colLength,
  type KernelInfo,
  type Kernels,
  kernelsOf,
} from '../src/index.js';
import { abs, expectClose, nhwcIndex } from './compare.js';
import { buildFor, firstMismatch, guarded, kernelLabel, releaseKernels, scalarKernels } from './harness.js';

interface Case {
  name: string;
  g: ConvGeomF32;
  seed: number;
}

function geom(
  batch: number,
  h: number,
  w: number,
  c: number,
  k: number,
  stride: number,
  pad: number,
  dilation = 1,
  out?: [number, number],
  kW = k,
): ConvGeomF32 {
  return {
    batch,
    inH: h,
    inW: w,
    inC: c,
    kH: k,
    kW,
    stride,
    pad,
    dilation,
    outH: out ? out[0] : convOutSize(h, k, stride, pad, dilation),
    outW: out ? out[1] : convOutSize(w, kW, stride, pad, dilation),
  };
}

function cases(): Case[] {
  const list: Case[] = [];
  let seed = 300;
  const add = (name: string, g: ConvGeomF32) => list.push({ name, g, seed: seed++ });
  add('patch embed k7 s4 p3 c=3 (RGB) 17x23', geom(2, 17, 23, 3, 7, 4, 3));
  add('patch embed k3 s2 p1 c=32 9x12', geom(1, 9, 12, 32, 3, 2, 1));
  add('patch embed k3 s2 p1 c=17 7x7', geom(1, 7, 7, 17, 3, 2, 1));
  for (const k of [8, 4, 2]) add(`spatial reduction k=s=${k} c=32`, geom(2, 2 * k, 3 * k, 32, k, k, 0));
  add('spatial reduction k=s=4 c=5 (input not a multiple)', geom(1, 9, 10, 5, 4, 4, 0));
  for (const c of [1, 2, 3, 4, 5, 15, 16, 17]) {
    add(`3x3 s1 p1 c=${c} 5x7`, geom(1, 5, 7, c, 3, 1, 1));
    add(`5x5 s2 p2 d1 c=${c} 7x6`, geom(1, 7, 6, c, 5, 2, 2));
  }
  add('3x3 d2 p2 c=6 7x9', geom(2, 7, 9, 6, 3, 1, 2, 2));
  add('3x3 s2 d2 p3 c=3 8x8', geom(1, 8, 8, 3, 3, 2, 3, 2));
  add('2x5 s1 p1 c=4 (non-square)', geom(1, 6, 6, 4, 2, 1, 1, 1, undefined, 5));
  add('1x1 s1 p0 c=9', geom(1, 4, 5, 9, 1, 1, 0));
  add('7x7 p3 on a 2x2 image (most taps outside)', geom(1, 2, 2, 5, 7, 1, 3));
  add('pad larger than the kernel (rows of zeros)', geom(1, 3, 3, 2, 3, 1, 4));
  add('outH/outW < formula', geom(1, 9, 9, 3, 3, 1, 1, 1, [4, 5]));
  add('outH/outW > formula', geom(1, 4, 4, 3, 3, 2, 1, 1, [5, 6]));
  add('batch=0', geom(0, 5, 5, 3, 3, 1, 1));
  add('c=0', geom(1, 5, 5, 0, 3, 1, 1));
  add('outW=0', geom(1, 5, 5, 3, 3, 1, 1, 1, [5, 0]));
  return list;
}

const ALL = cases();
const label = (info: KernelInfo, c: Case) =>
  `${kernelLabel(info)}, case "${c.name}", g=${JSON.stringify(c.g)}, seed=${c.seed}`;

function runIm2col(k: Kernels, info: KernelInfo, c: Case): Float32Array {
  const x = new Rng(c.seed).f32Array(c.g.batch * c.g.inH * c.g.inW * c.g.inC, -3, 3);
  const gx = guarded(k, 'f32', x.length, x);
  const gc = guarded(k, 'f32', im2colLength(c.g));
  im2colF32(k, gx.buf, gc.buf, c.g, { isa: info.isa });
  gx.checkCanary(info.name);
  gc.checkCanary(info.name);
  expect(firstMismatch(x, gx.buf.view()), `x changed, ${label(info, c)}`).toBe(-1);
  const out = gc.buf.toArray();
  gx.free();
  gc.free();
  return out;
}

function checkIm2col(info: KernelInfo, c: Case, got: Float32Array): void {
  const x = new Rng(c.seed).f32Array(c.g.batch * c.g.inH * c.g.inW * c.g.inC, -3, 3);
  const want = ref.im2colF32(x, c.g);
  const i = firstMismatch(want, got);
  if (i >= 0) {
    const kc = c.g.kH * c.g.kW * c.g.inC;
    throw new Error(
      `cols at (row ${Math.floor(i / kc)}, col ${i % kc}): reference=${want[i]}, optimized=${got[i]}, ${label(info, c)}`,
    );
  }
}

function col2imInputs(c: Case) {
  const rng = new Rng(c.seed + 1000);
  return {
    cols: rng.f32Array(im2colLength(c.g), -1, 1),
    dx0: rng.f32Array(c.g.batch * c.g.inH * c.g.inW * c.g.inC, -1, 1),
  };
}

function runCol2im(k: Kernels, info: KernelInfo, c: Case): Float32Array {
  const inp = col2imInputs(c);
  const gc = guarded(k, 'f32', inp.cols.length, inp.cols);
  const gx = guarded(k, 'f32', inp.dx0.length, inp.dx0);
  col2imF32(k, gc.buf, gx.buf, c.g, { isa: info.isa });
  gc.checkCanary(info.name);
  gx.checkCanary(info.name);
  expect(firstMismatch(inp.cols, gc.buf.view()), `cols changed, ${label(info, c)}`).toBe(-1);
  const out = gx.buf.toArray();
  gc.free();
  gx.free();
  return out;
}

function checkCol2im(info: KernelInfo, c: Case, got: Float32Array): void {
  const inp = col2imInputs(c);
  const { g } = c;
  const want = ref.col2imF32(inp.cols, inp.dx0, g);
  const bound = ref.col2imF32(abs(inp.cols), abs(inp.dx0), g);
  // Contributions to one x element: at most ⌈kH·d/s⌉·⌈kW·d/s⌉ taps (every output whose window covers it).
  const terms = Math.ceil((g.kH * g.dilation) / g.stride) * Math.ceil((g.kW * g.dilation) / g.stride) + 1;
  expectClose(
    'dx',
    want,
    got,
    (i) => sumF32Tolerance(bound[i], terms),
    label(info, c),
    nhwcIndex(g.inH, g.inW, g.inC),
  );
}

describe.each(kernelsOf('im2col_f32').map((info) => [info.name, info] as const))('%s', (_name, info) => {
  const k = buildFor(info)!;
  it(`copies every patch bit for bit on ${ALL.length} shapes (zeros outside the image)`, () => {
    for (const c of ALL) checkIm2col(info, c, runIm2col(k, info, c));
  });
});

describe.each(kernelsOf('col2im_f32').map((info) => [info.name, info] as const))('%s', (_name, info) => {
  const k = buildFor(info)!;
  it(`accumulates the adjoint like the f64 twin on ${ALL.length} shapes`, () => {
    for (const c of ALL) checkCol2im(info, c, runCol2im(k, info, c));
  });
  it('is the adjoint of im2col: ⟨im2col(x), y⟩ = ⟨x, col2im(y)⟩', () => {
    for (const c of ALL.filter((cc) => cc.g.batch * cc.g.inC > 0).slice(0, 12)) {
      const x = new Rng(c.seed).f32Array(c.g.batch * c.g.inH * c.g.inW * c.g.inC, -3, 3);
      const cols = ref.im2colF32(x, c.g);
      const y = col2imInputs(c).cols;
      const gc = guarded(k, 'f32', y.length, y);
      const gx = guarded(k, 'f32', x.length, new Float32Array(x.length));
      col2imF32(k, gc.buf, gx.buf, c.g, { isa: info.isa });
      const back = gx.buf.view();
      let lhs = 0;
      let rhs = 0;
      let mag = 0;
      for (let i = 0; i < cols.length; i++) {
        lhs += cols[i] * y[i];
        mag += Math.abs(cols[i] * y[i]);
      }
      for (let i = 0; i < x.length; i++) rhs += x[i] * back[i];
      expect(Math.abs(lhs - rhs), `${label(info, c)}`).toBeLessThanOrEqual(sumF32Tolerance(mag, 64));
      gc.free();
      gx.free();
    }
  });
});

describe('scalar and SIMD give the same bits', () => {
  it('im2col and col2im', () => {
    const k = releaseKernels();
    for (const c of ALL) {
      const [a, b] = kernelsOf('im2col_f32').map((info) => runIm2col(k, info, c));
      expect(firstMismatch(a, b), `im2col ${c.name}`).toBe(-1);
      const [p, q] = kernelsOf('col2im_f32').map((info) => runCol2im(k, info, c));
      expect(firstMismatch(p, q), `col2im ${c.name}`).toBe(-1);
    }
  });
});

describe('the tests can fail', () => {
  const k = releaseKernels();
  const c = ALL[0];
  it('an im2col with the wrong padding is caught', () => {
    const info = kernelsOf('im2col_f32')[1];
    const got = runIm2col(k, info, { ...c, g: { ...c.g, pad: 2 } });
    expect(() => checkIm2col(info, c, got)).toThrow(/cols at \(row 0, col \d+\): reference=/);
  });
  it('a col2im that drops one contribution is caught', () => {
    const info = kernelsOf('col2im_f32')[1];
    const got = runCol2im(k, info, c);
    const { cols } = col2imInputs(c);
    // cols row 0 is output (0, 0): with pad 3 its tap (3, 3) reads x (0, 0), channel 0 is col 3·7·3 + 3·3.
    got[0] -= cols[3 * 7 * 3 + 3 * 3];
    expect(() => checkCol2im(info, c, got)).toThrow(/dx at \(b=0, y=0, x=0, c=0\)/);
  });
});

describe('the scalar build', () => {
  it('carries im2col and col2im, matching the twin', () => {
    const k = scalarKernels();
    for (const c of ALL.filter((_, i) => i % 4 === 0)) {
      checkIm2col(kernelsOf('im2col_f32')[0], c, runIm2col(k, kernelsOf('im2col_f32')[0], c));
      checkCol2im(kernelsOf('col2im_f32')[0], c, runCol2im(k, kernelsOf('col2im_f32')[0], c));
    }
  });
});

describe('wrapper validation', () => {
  it('names the argument and what was expected', () => {
    const k = scalarKernels();
    const g = geom(1, 4, 4, 3, 3, 1, 1);
    const x = k.alloc('f32', 48);
    const cols = k.alloc('f32', im2colLength(g));
    expect(() => im2colF32(k, x, x, g)).toThrow(
      /im2col_f32: cols is too small. Expected ≥ 432 elements \(batch·outH·outW·kH·kW·inC = 1·4·4·3·3·3\), got 48/,
    );
    expect(() => col2imF32(k, cols, cols, g)).toThrow(/col2im_f32: dx overlaps cols/);
    expect(() => im2colF32(k, x, cols, { ...g, dilation: 0 })).toThrow(
      /im2col_f32: dilation is out of range/,
    );
    expect(() => im2colF32(k, x, cols, { ...g, inC: 2.5 })).toThrow(/inC is out of range/);
    x.release();
    cols.release();
  });
});

// im2col_i8: the same geometries on int8 images, bit-exact with the twin, every cols byte written (cols
// poisoned first), the padding byte the given one; and the INT8 executor's reason for it: quantizing
// then gathering equals gathering then quantizing when the padding is the zero point.
describe.each(kernelsOf('im2col_i8').map((info) => [info.name, info] as const))('%s', (_name, info) => {
  const k = buildFor(info)!;
  it(`copies the int8 twin's bytes on ${ALL.length} geometries, with 3 padding values`, () => {
    for (const c of ALL) {
      for (const padValue of [0, -128, 37]) {
        const x = new Rng(c.seed + 2000).i8Array(c.g.batch * c.g.inH * c.g.inW * c.g.inC);
        const n = im2colLength(c.g);
        const gx = guarded(k, 'i8', x.length, x);
        const gc = guarded(k, 'i8', n, new Int8Array(n).fill(padValue === 0 ? 99 : 0));
        im2colI8(k, gx.buf, gc.buf, c.g, { padValue, isa: info.isa });
        gx.checkCanary(info.name);
        gc.checkCanary(info.name);
        expect(firstMismatch(x, gx.buf.toArray()), `x changed, ${label(info, c)}`).toBe(-1);
        const i = firstMismatch(ref.im2colI8(x, c.g, padValue), gc.buf.toArray());
        gx.free();
        gc.free();
        expect(i, `${label(info, c)}, padValue ${padValue}: byte ${i}`).toBe(-1);
      }
    }
  });
  it('rejects a padding value outside int8, the wrong dtype and overlapping buffers', () => {
    const g = ALL[0].g;
    const x = k.alloc('i8', g.batch * g.inH * g.inW * g.inC);
    const cols = k.alloc('i8', im2colLength(g));
    expect(() => im2colI8(k, x, cols, g, { padValue: 128, isa: info.isa })).toThrow(
      /padValue is out of range/,
    );
    const xf = k.alloc('f32', x.length);
    expect(() => im2colI8(k, xf, cols, g, { padValue: 0, isa: info.isa })).toThrow(/x has the wrong dtype/);
    expect(() => im2colI8(k, cols, cols, g, { padValue: 0, isa: info.isa })).toThrow(/overlaps|too short/);
    for (const b of [x, cols, xf]) b.release();
  });
});
