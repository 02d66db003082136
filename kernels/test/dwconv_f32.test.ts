// dwconv_f32.test.ts — every dwconv_f32-family kernel in the manifest (general and 3×3 s1, scalar and
// SIMD, forward and backward) against the f64 twin in kernels/ref/dwconv_f32.ts, on seeded shapes at
// the edges: channels 1–3, not a multiple of 4, 15/16/17; odd and tiny H/W (no interior, one tile);
// stride 2, dilation 2, 5×5 and 7×7, non-square kernels, pad 0 to 3, outH/outW other than the conv
// formula; batch 0 and C = 0. Forward outputs are NaN-poisoned, backward outputs start from random
// values (they accumulate), 64 canary bytes follow every buffer.
import { Rng, sumF32Tolerance } from '@edgeseg/testing';
import { describe, expect, it } from 'vitest';
import * as ref from '../ref/index.js';
import {
  type ConvGeomF32,
  convOutSize,
  dwconvF32,
  dwconvGradF32,
  type KernelInfo,
  type Kernels,
  kernelsOf,
} from '../src/index.js';
import { abs, expectClose, nhwcIndex } from './compare.js';
import { buildFor, firstMismatch, guarded, kernelLabel, releaseKernels, scalarKernels } from './harness.js';

interface Case {
  name: string;
  g: ConvGeomF32;
  bias: boolean;
  seed: number;
}

function geom(
  batch: number,
  h: number,
  w: number,
  c: number,
  kH: number,
  kW: number,
  stride: number,
  pad: number,
  dilation = 1,
  out?: [number, number],
): ConvGeomF32 {
  return {
    batch,
    inH: h,
    inW: w,
    inC: c,
    kH,
    kW,
    stride,
    pad,
    dilation,
    outH: out ? out[0] : convOutSize(h, kH, stride, pad, dilation),
    outW: out ? out[1] : convOutSize(w, kW, stride, pad, dilation),
  };
}

const is3x3s1 = (g: ConvGeomF32) => g.kH === 3 && g.kW === 3 && g.stride === 1 && g.dilation === 1;

function cases(): Case[] {
  const list: Case[] = [];
  let seed = 100;
  const add = (name: string, g: ConvGeomF32, bias = true) => list.push({ name, g, bias, seed: seed++ });
  // 3×3 s1 p1 (Mix-FFN): channels at the vector edges, widths with no interior, one tile, a tile + tail.
  for (const c of [1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 33]) {
    for (const [h, w] of [
      [1, 1],
      [3, 5],
      [5, 6],
      [4, 9],
      [7, 13],
    ]) {
      add(`3x3 s1 p1 c=${c} ${h}x${w}`, geom(c % 3 === 0 ? 2 : 1, h, w, c, 3, 3, 1, 1), c % 2 === 1);
    }
  }
  for (const pad of [0, 2, 3]) add(`3x3 s1 p${pad} c=6 9x11`, geom(1, 9, 11, 6, 3, 3, 1, pad));
  add('3x3 s1 p1 c=128 8x16 (Mix-FFN)', geom(2, 8, 16, 128, 3, 3, 1, 1));
  add('3x3 s1 p1 c=1024 3x5 (wide C)', geom(1, 3, 5, 1024, 3, 3, 1, 1));
  add('3x3 s1 p1 no bias c=19', geom(2, 6, 7, 19, 3, 3, 1, 1), false);
  add('3x3 s1 p1 outH/outW < formula', geom(1, 9, 10, 5, 3, 3, 1, 1, 1, [6, 7]));
  add('3x3 s1 p1 outH/outW > formula', geom(1, 5, 6, 5, 3, 3, 1, 1, 1, [8, 9]));
  // MobileNetV3: 3×3 and 5×5, stride 1 and 2, dilation 2.
  for (const c of [1, 3, 16, 18, 72]) {
    add(`3x3 s2 p1 c=${c} 9x11`, geom(1, 9, 11, c, 3, 3, 2, 1));
    add(`5x5 s1 p2 c=${c} 7x9`, geom(1, 7, 9, c, 5, 5, 1, 2));
    add(`5x5 s2 p2 c=${c} 9x8`, geom(2, 9, 8, c, 5, 5, 2, 2));
    add(`3x3 d2 p2 c=${c} 9x10`, geom(1, 9, 10, c, 3, 3, 1, 2, 2));
  }
  add('3x3 s2 d2 p2 c=7 11x12', geom(1, 11, 12, 7, 3, 3, 2, 2, 2));
  add('5x5 d2 p4 c=20 8x8', geom(1, 8, 8, 20, 5, 5, 1, 4, 2));
  add('7x7 s1 p3 c=9 5x6 (kernel > image)', geom(1, 5, 6, 9, 7, 7, 1, 3));
  add('1x1 s1 p0 c=13', geom(2, 3, 4, 13, 1, 1, 1, 0));
  add('2x2 s2 p0 c=12', geom(1, 6, 7, 12, 2, 2, 2, 0));
  add('3x5 s1 p1 c=10 (non-square)', geom(1, 7, 9, 10, 3, 5, 1, 1));
  add('3x3 s3 p0 c=5', geom(1, 10, 10, 5, 3, 3, 3, 0));
  add('3x3 s1 p0 image smaller than kernel', geom(1, 2, 2, 6, 3, 3, 1, 0, 1, [2, 2]));
  // Empty shapes: nothing may be written.
  add('batch=0', geom(0, 5, 5, 8, 3, 3, 1, 1));
  add('c=0', geom(2, 5, 5, 0, 3, 3, 1, 1));
  add('outH=0', geom(1, 5, 5, 8, 3, 3, 1, 1, 1, [0, 5]));
  return list;
}

/** Inputs of one case: x, w, bias, dy and the backward's starting values. */
function inputs(c: Case) {
  const rng = new Rng(c.seed);
  const { g } = c;
  const nx = g.batch * g.inH * g.inW * g.inC;
  const ny = g.batch * g.outH * g.outW * g.inC;
  const nw = g.kH * g.kW * g.inC;
  return {
    x: rng.f32Array(nx, -2, 2),
    w: rng.f32Array(nw, -1, 1),
    bias: c.bias ? rng.f32Array(g.inC, -1, 1) : null,
    dy: rng.f32Array(ny, -1, 1),
    dx0: rng.f32Array(nx, -1, 1),
    dw0: rng.f32Array(nw, -1, 1),
    db0: rng.f32Array(g.inC, -1, 1),
  };
}

const label = (info: KernelInfo, c: Case) =>
  `${kernelLabel(info)}, case "${c.name}", g=${JSON.stringify(c.g)}, bias=${c.bias}, seed=${c.seed}`;

/** Runs the forward kernel and returns y (checks canaries). */
function runForward(k: Kernels, info: KernelInfo, c: Case, w?: Float32Array): Float32Array {
  const inp = inputs(c);
  const gx = guarded(k, 'f32', inp.x.length, inp.x);
  const gw = guarded(k, 'f32', inp.w.length, w ?? inp.w);
  const gb = inp.bias ? guarded(k, 'f32', inp.bias.length, inp.bias) : null;
  const gy = guarded(k, 'f32', inp.dy.length);
  dwconvF32(k, gx.buf, gw.buf, gb ? gb.buf : null, gy.buf, c.g, {
    isa: info.isa,
    variant: info.op === 'dwconv_f32_3x3s1' ? '3x3s1' : 'general',
  });
  for (const b of [gx, gw, gb, gy]) b?.checkCanary(info.name);
  const y = gy.buf.toArray();
  for (const b of [gx, gw, gb, gy]) b?.free();
  return y;
}

function checkForward(info: KernelInfo, c: Case, y: Float32Array): void {
  const inp = inputs(c);
  const { g } = c;
  const want = ref.dwconvF32(inp.x, inp.w, inp.bias, g);
  const bound = ref.dwconvF32(abs(inp.x), abs(inp.w), inp.bias ? abs(inp.bias) : null, g);
  const terms = g.kH * g.kW + 1;
  expectClose(
    'y',
    want,
    y,
    (i) => sumF32Tolerance(bound[i], terms),
    label(info, c),
    nhwcIndex(g.outH, g.outW, g.inC),
  );
}

interface GradOut {
  dx: Float32Array | null;
  dw: Float32Array;
  db: Float32Array | null;
}

function runBackward(k: Kernels, info: KernelInfo, c: Case, withDx: boolean, withDb: boolean): GradOut {
  const inp = inputs(c);
  const gx = guarded(k, 'f32', inp.x.length, inp.x);
  const gw = guarded(k, 'f32', inp.w.length, inp.w);
  const gdy = guarded(k, 'f32', inp.dy.length, inp.dy);
  const gdx = withDx ? guarded(k, 'f32', inp.dx0.length, inp.dx0) : null;
  const gdw = guarded(k, 'f32', inp.dw0.length, inp.dw0);
  const gdb = withDb ? guarded(k, 'f32', inp.db0.length, inp.db0) : null;
  dwconvGradF32(k, gx.buf, gw.buf, gdy.buf, gdx?.buf ?? null, gdw.buf, gdb?.buf ?? null, c.g, {
    isa: info.isa,
    variant: info.op === 'dwconv_grad_f32_3x3s1' ? '3x3s1' : 'general',
  });
  const all = [gx, gw, gdy, gdx, gdw, gdb];
  for (const b of all) b?.checkCanary(info.name);
  // Inputs are read only.
  expect(firstMismatch(inp.x, gx.buf.view()), `x changed, ${label(info, c)}`).toBe(-1);
  expect(firstMismatch(inp.dy, gdy.buf.view()), `dy changed, ${label(info, c)}`).toBe(-1);
  const out = { dx: gdx?.buf.toArray() ?? null, dw: gdw.buf.toArray(), db: gdb?.buf.toArray() ?? null };
  for (const b of all) b?.free();
  return out;
}

function checkBackward(info: KernelInfo, c: Case, got: GradOut): void {
  const inp = inputs(c);
  const { g } = c;
  const want = ref.dwconvGradF32(
    inp.x,
    inp.w,
    inp.dy,
    g,
    got.dx ? inp.dx0 : null,
    inp.dw0,
    got.db ? inp.db0 : null,
  );
  const bound = ref.dwconvGradF32(
    abs(inp.x),
    abs(inp.w),
    abs(inp.dy),
    g,
    abs(inp.dx0),
    abs(inp.dw0),
    abs(inp.db0),
  );
  const where = label(info, c);
  const pixels = g.batch * g.outH * g.outW;
  if (got.dx) {
    const terms = g.kH * g.kW + 1;
    expectClose(
      'dx',
      want.dx!,
      got.dx,
      (i) => sumF32Tolerance(bound.dx![i], terms),
      where,
      nhwcIndex(g.inH, g.inW, g.inC),
    );
  }
  expectClose(
    'dw',
    want.dw,
    got.dw,
    (i) => sumF32Tolerance(bound.dw[i], pixels + 1),
    where,
    nhwcIndex(g.kH, g.kW, g.inC),
  );
  if (got.db) expectClose('db', want.db!, got.db, (i) => sumF32Tolerance(bound.db![i], pixels + 1), where);
}

const ALL = cases();

for (const op of ['dwconv_f32', 'dwconv_f32_3x3s1'] as const) {
  describe.each(kernelsOf(op).map((info) => [info.name, info] as const))('%s', (_name, info) => {
    const k = buildFor(info)!;
    const mine = op === 'dwconv_f32' ? ALL : ALL.filter((c) => is3x3s1(c.g));
    it(`matches the f64 twin on ${mine.length} shapes`, () => {
      for (const c of mine) checkForward(info, c, runForward(k, info, c));
    });
  });
}

for (const op of ['dwconv_grad_f32', 'dwconv_grad_f32_3x3s1'] as const) {
  describe.each(kernelsOf(op).map((info) => [info.name, info] as const))('%s', (_name, info) => {
    const k = buildFor(info)!;
    const mine = op === 'dwconv_grad_f32' ? ALL : ALL.filter((c) => is3x3s1(c.g));
    it(`accumulates dx, dw, db like the f64 twin on ${mine.length} shapes`, () => {
      for (const c of mine) checkBackward(info, c, runBackward(k, info, c, true, c.bias));
    });
    it('leaves dx and db alone when they are not wanted (null)', () => {
      for (const c of mine.filter((_, i) => i % 5 === 0))
        checkBackward(info, c, runBackward(k, info, c, false, false));
    });
  });
}

describe('scalar and SIMD dwconv give the same bits', () => {
  const k = releaseKernels();
  const pick = ALL.filter((_, i) => i % 3 === 0);
  it('forward: general and 3x3s1, scalar and simd128 (all four agree on 3×3 s1)', () => {
    for (const c of pick) {
      const ops = is3x3s1(c.g) ? ['dwconv_f32', 'dwconv_f32_3x3s1'] : ['dwconv_f32'];
      const outs = ops.flatMap((op) => kernelsOf(op).map((info) => [info, runForward(k, info, c)] as const));
      for (const [info, y] of outs.slice(1)) {
        const i = firstMismatch(outs[0][1], y);
        expect(i, `${outs[0][0].name} vs ${info.name} at ${i}: ${outs[0][1][i]} vs ${y[i]}, ${c.name}`).toBe(
          -1,
        );
      }
    }
  });
  it('backward: scalar vs simd128 of each op', () => {
    for (const c of pick) {
      const ops = is3x3s1(c.g) ? ['dwconv_grad_f32', 'dwconv_grad_f32_3x3s1'] : ['dwconv_grad_f32'];
      for (const op of ops) {
        const [a, b] = kernelsOf(op).map((info) => runBackward(k, info, c, true, true));
        for (const key of ['dx', 'dw', 'db'] as const) {
          const i = firstMismatch(a[key]!, b[key]!);
          expect(i, `${op} ${key} at ${i}: scalar=${a[key]![i]}, simd=${b[key]![i]}, ${c.name}`).toBe(-1);
        }
      }
    }
  });
});

describe('the tests can fail', () => {
  const k = releaseKernels();
  const c: Case = { name: '3x3 s1 p1 c=5 6x7', g: geom(1, 6, 7, 5, 3, 3, 1, 1), bias: true, seed: 7 };
  for (const info of [...kernelsOf('dwconv_f32'), ...kernelsOf('dwconv_f32_3x3s1')]) {
    it(`${info.name} with one weight changed by 1e-3 is caught`, () => {
      const w = inputs(c).w.slice();
      w[4 * c.g.inC + 2] += 1e-3; // centre tap, channel 2
      expect(() => checkForward(info, c, runForward(k, info, c, w))).toThrow(/y at \(b=0, y=\d, x=\d, c=2\)/);
    });
  }
  it('a geometry off by one (pad 0 instead of 1) is caught', () => {
    const info = kernelsOf('dwconv_f32')[1];
    const y = runForward(k, info, { ...c, g: { ...c.g, pad: 0 } });
    expect(() => checkForward(info, c, y)).toThrow(/reference=/);
  });
  it('a dropped bias gradient term is caught', () => {
    const info = kernelsOf('dwconv_grad_f32')[1];
    const got = runBackward(k, info, c, true, true);
    got.db![1] -= inputs(c).dy[1]; // forget pixel (0, 0)
    expect(() => checkBackward(info, c, got)).toThrow(/db at 1/);
  });
});

describe('the scalar build', () => {
  it('carries the dwconv family, matching the twin', () => {
    const k = scalarKernels();
    for (const c of ALL.filter((_, i) => i % 7 === 0)) {
      const info = kernelsOf(is3x3s1(c.g) ? 'dwconv_f32_3x3s1' : 'dwconv_f32')[0];
      checkForward(info, c, runForward(k, info, c));
      const ginfo = kernelsOf(is3x3s1(c.g) ? 'dwconv_grad_f32_3x3s1' : 'dwconv_grad_f32')[0];
      checkBackward(ginfo, c, runBackward(k, ginfo, c, true, true));
    }
  });
});

describe('wrapper validation', () => {
  const k = scalarKernels();
  const g = geom(1, 4, 4, 3, 3, 3, 1, 1);
  it('names the argument and what was expected', () => {
    const x = k.alloc('f32', 48);
    const w = k.alloc('f32', 27);
    const y = k.alloc('f32', 48);
    const small = k.alloc('f32', 5);
    const i32 = k.alloc('i32', 48);
    expect(() => dwconvF32(k, x, w, null, small, g)).toThrow(
      /dwconv_f32: y is too small. Expected ≥ 48 elements \(batch·outH·outW·inC = 1·4·4·3\), got 5/,
    );
    expect(() => dwconvF32(k, x, small, null, y, g)).toThrow(/dwconv_f32: w is too small. Expected ≥ 27/);
    expect(() => dwconvF32(k, i32, w, null, y, g)).toThrow(/x has the wrong dtype. Expected f32, got i32/);
    expect(() => dwconvF32(k, x, w, null, y, { ...g, stride: 0 })).toThrow(/stride is out of range/);
    expect(() => dwconvF32(k, x, w, null, y, { ...g, pad: -1 })).toThrow(/pad is out of range/);
    expect(() => dwconvF32(k, x, w, null, x, g)).toThrow(/dwconv_f32: y overlaps x/);
    expect(() => dwconvF32(k, x, w, null, y, { ...g, stride: 2 }, { variant: '3x3s1' })).toThrow(
      /the 3×3 s1 kernel was asked for a different geometry/,
    );
    const dw = k.alloc('f32', 27);
    expect(() => dwconvGradF32(k, x, w, y, x, dw, null, g)).toThrow(/dwconv_grad_f32: dx overlaps x/);
    const tiny = k.alloc('f32', 2);
    expect(() => dwconvGradF32(k, x, w, y, null, dw, tiny, g)).toThrow(
      /db is too small. Expected ≥ 3 elements \(inC = 3\), got 2/,
    );
    expect(() => dwconvGradF32(k, x, w, y, null, w, null, g)).toThrow(/dwconv_grad_f32: dw overlaps w/);
    for (const b of [x, w, y, small, i32, dw, tiny]) b.release();
  });
});
