// resize_f32.test.ts — every resize_f32-family kernel in the manifest against the f64 twin in
// kernels/ref/resize_f32.ts (align_corners = false, half-pixel centres): SegFormer's decoder
// upsampling (×2, ×4, ×8) and logit upsampling, downsampling (÷2, ÷3, odd ratios), identity, 1-pixel
// images both ways, channels 1–3 (images, masks) and 19…256 (not a multiple of 4 included), odd
// sizes, empty shapes. Forward outputs NaN-poisoned; the backward accumulates onto random dx.
// Canaries after every buffer. Also: the half-pixel taps themselves on hand-checkable values.
import { bilinearF32Tolerance, maxAbs, Rng, sumF32Tolerance } from '@edgeseg/testing';
import { describe, expect, it } from 'vitest';
import * as ref from '../ref/index.js';
import {
  KBuf,
  type KernelInfo,
  type Kernels,
  kernelsOf,
  type ResizeGeomF32,
  resizeBilinearAddF32,
  resizeBilinearArgmaxF32,
  resizeBilinearF32,
  resizeBilinearGradF32,
  resizeF32ScratchBytes,
} from '../src/index.js';
import { abs, expectClose, nhwcIndex } from './compare.js';
import { buildFor, firstMismatch, guarded, kernelLabel, releaseKernels, scalarKernels } from './harness.js';

interface Case {
  name: string;
  g: ResizeGeomF32;
  seed: number;
}

function cases(): Case[] {
  const list: Case[] = [];
  let seed = 500;
  const add = (
    name: string,
    batch: number,
    inH: number,
    inW: number,
    outH: number,
    outW: number,
    c: number,
  ) => list.push({ name, g: { batch, inH, inW, outH, outW, c }, seed: seed++ });
  for (const c of [1, 2, 3, 4, 5, 7, 16, 19, 33]) {
    add(`up x2 c=${c}`, 1, 5, 7, 10, 14, c);
    add(`down /2 c=${c}`, 2, 10, 9, 5, 4, c);
  }
  add('decoder up x4 c=64', 1, 4, 6, 16, 24, 64);
  add('decoder up x8 c=32', 1, 3, 4, 24, 32, 32);
  add('logits up x4 c=19', 2, 6, 5, 24, 20, 19);
  add('up 3→7 c=6 (non-integer ratio)', 1, 3, 3, 7, 7, 6);
  add('down 7→3 c=6 (non-integer ratio)', 1, 7, 7, 3, 3, 6);
  add('down /3 c=13', 1, 9, 12, 3, 4, 13);
  add('mixed up/down c=10', 1, 4, 12, 9, 5, 10);
  add('identity c=17', 1, 5, 6, 5, 6, 17);
  add('1x1 → 5x4 c=3', 1, 1, 1, 5, 4, 3);
  add('6x5 → 1x1 c=9', 1, 6, 5, 1, 1, 9);
  add('wide c=256 up x2', 1, 2, 3, 4, 6, 256);
  add('c=128 down odd', 1, 5, 7, 2, 3, 128);
  add('batch=0', 0, 3, 3, 6, 6, 4);
  add('c=0', 1, 3, 3, 6, 6, 0);
  add('outW=0', 1, 3, 3, 6, 0, 4);
  return list;
}

const ALL = cases();
const label = (info: KernelInfo, c: Case) =>
  `${kernelLabel(info)}, case "${c.name}", g=${JSON.stringify(c.g)}, seed=${c.seed}`;
const nIn = (g: ResizeGeomF32) => g.batch * g.inH * g.inW * g.c;
const nOut = (g: ResizeGeomF32) => g.batch * g.outH * g.outW * g.c;

function runForward(k: Kernels, info: KernelInfo, c: Case, xIn?: Float32Array): Float32Array {
  const x = xIn ?? new Rng(c.seed).f32Array(nIn(c.g), -2, 2);
  const gx = guarded(k, 'f32', x.length, x);
  const gy = guarded(k, 'f32', nOut(c.g));
  resizeBilinearF32(k, gx.buf, gy.buf, c.g, { isa: info.isa });
  gx.checkCanary(info.name);
  gy.checkCanary(info.name);
  const y = gy.buf.toArray();
  gx.free();
  gy.free();
  return y;
}

function checkForward(info: KernelInfo, c: Case, y: Float32Array): void {
  const x = new Rng(c.seed).f32Array(nIn(c.g), -2, 2);
  const want = ref.resizeBilinearF32(x, c.g);
  const tol = bilinearF32Tolerance(maxAbs(x));
  expectClose('y', want, y, () => tol, label(info, c), nhwcIndex(c.g.outH, c.g.outW, c.g.c));
}

function gradInputs(c: Case) {
  const rng = new Rng(c.seed + 1000);
  return { dy: rng.f32Array(nOut(c.g), -1, 1), dx0: rng.f32Array(nIn(c.g), -1, 1) };
}

function runBackward(k: Kernels, info: KernelInfo, c: Case): Float32Array {
  const inp = gradInputs(c);
  const gdy = guarded(k, 'f32', inp.dy.length, inp.dy);
  const gdx = guarded(k, 'f32', inp.dx0.length, inp.dx0);
  resizeBilinearGradF32(k, gdy.buf, gdx.buf, c.g, { isa: info.isa });
  gdy.checkCanary(info.name);
  gdx.checkCanary(info.name);
  expect(firstMismatch(inp.dy, gdy.buf.view()), `dy changed, ${label(info, c)}`).toBe(-1);
  const dx = gdx.buf.toArray();
  gdy.free();
  gdx.free();
  return dx;
}

function checkBackward(info: KernelInfo, c: Case, dx: Float32Array): void {
  const inp = gradInputs(c);
  const { g } = c;
  const want = ref.resizeBilinearGradF32(inp.dy, inp.dx0, g);
  const bound = ref.resizeBilinearGradF32(abs(inp.dy), abs(inp.dx0), g);
  // Outputs whose taps reach one input pixel: ≤ ⌈out/in⌉ + 2 per axis, each adding ≤ 2 terms there
  // (2 when i0 = i1 at the border).
  const per = (i: number, o: number) => 2 * (Math.ceil(o / Math.max(1, i)) + 2);
  const terms = per(g.inH, g.outH) * per(g.inW, g.outW) + 1;
  expectClose(
    'dx',
    want,
    dx,
    (i) => sumF32Tolerance(bound[i], terms),
    label(info, c),
    nhwcIndex(g.inH, g.inW, g.c),
  );
}

describe('bilinearTaps (the twin) follows PyTorch’s half-pixel rule', () => {
  it('upsampling 2→4: src = max(0, (o + 0.5)/2 − 0.5)', () => {
    const t = ref.bilinearTaps(2, 4);
    expect([...t.i0]).toEqual([0, 0, 0, 1]);
    expect([...t.i1]).toEqual([1, 1, 1, 1]);
    expect([...t.w1]).toEqual([0, 0.25, 0.75, 0.25]);
  });
  it('downsampling 4→2 averages pixel pairs (weight 0.5)', () => {
    const t = ref.bilinearTaps(4, 2);
    expect([...t.i0]).toEqual([0, 2]);
    expect([...t.w1]).toEqual([0.5, 0.5]);
  });
});

describe.each(kernelsOf('resize_bilinear_f32').map((info) => [info.name, info] as const))(
  '%s',
  (_name, info) => {
    const k = buildFor(info)!;
    it(`matches the f64 twin on ${ALL.length} shapes within bilinearF32Tolerance`, () => {
      for (const c of ALL) checkForward(info, c, runForward(k, info, c));
    });
    it('reproduces a hand-checked 2×2 → 4×4 upsample exactly', () => {
      const c: Case = { name: '2x2→4x4', g: { batch: 1, inH: 2, inW: 2, outH: 4, outW: 4, c: 1 }, seed: 0 };
      const y = runForward(k, info, c, Float32Array.from([0, 4, 8, 12]));
      // Rows: weights 0, 0.25, 0.75, 1(clamped) → 0, 2, 6, 8 down; columns likewise 0, 1, 3, 4.
      expect([...y]).toEqual([0, 1, 3, 4, 2, 3, 5, 6, 6, 7, 9, 10, 8, 9, 11, 12]);
    });
  },
);

describe.each(kernelsOf('resize_bilinear_grad_f32').map((info) => [info.name, info] as const))(
  '%s',
  (_name, info) => {
    const k = buildFor(info)!;
    it(`accumulates the adjoint like the f64 twin on ${ALL.length} shapes`, () => {
      for (const c of ALL) checkBackward(info, c, runBackward(k, info, c));
    });
    it('is the adjoint of the forward: ⟨resize(x), dy⟩ = ⟨x, resizeGrad(dy)⟩', () => {
      for (const c of ALL.filter((cc) => nOut(cc.g) > 0)) {
        const x = new Rng(c.seed).f32Array(nIn(c.g), -2, 2);
        const y = ref.resizeBilinearF32(x, c.g);
        const { dy } = gradInputs(c);
        const gdy = guarded(k, 'f32', dy.length, dy);
        const gdx = guarded(k, 'f32', x.length, new Float32Array(x.length));
        resizeBilinearGradF32(k, gdy.buf, gdx.buf, c.g, { isa: info.isa });
        const dx = gdx.buf.view();
        let lhs = 0;
        let rhs = 0;
        let mag = 0;
        for (let i = 0; i < y.length; i++) {
          lhs += y[i] * dy[i];
          mag += Math.abs(y[i] * dy[i]);
        }
        for (let i = 0; i < x.length; i++) rhs += x[i] * dx[i];
        expect(Math.abs(lhs - rhs), label(info, c)).toBeLessThanOrEqual(sumF32Tolerance(mag, 256));
        gdy.free();
        gdx.free();
      }
    });
  },
);

describe('scalar and SIMD give the same bits', () => {
  it('forward and backward', () => {
    const k = releaseKernels();
    for (const c of ALL) {
      const [a, b] = kernelsOf('resize_bilinear_f32').map((info) => runForward(k, info, c));
      expect(firstMismatch(a, b), `forward ${c.name}`).toBe(-1);
      const [p, q] = kernelsOf('resize_bilinear_grad_f32').map((info) => runBackward(k, info, c));
      expect(firstMismatch(p, q), `backward ${c.name}`).toBe(-1);
    }
  });
});

describe('the tests can fail', () => {
  const k = releaseKernels();
  it('align_corners = true (a different rule) is caught', () => {
    const info = kernelsOf('resize_bilinear_f32')[1];
    const c = ALL.find((cc) => cc.name === 'up x2 c=5')!;
    const x = new Rng(c.seed).f32Array(nIn(c.g), -2, 2);
    const { inH, inW, outH, outW, c: C } = c.g;
    // align_corners = true: src = o·(in − 1)/(out − 1).
    const y = new Float32Array(nOut(c.g));
    for (let oy = 0; oy < outH; oy++) {
      const fy = (oy * (inH - 1)) / (outH - 1);
      const y0 = Math.floor(fy);
      const y1 = Math.min(y0 + 1, inH - 1);
      for (let ox = 0; ox < outW; ox++) {
        const fx = (ox * (inW - 1)) / (outW - 1);
        const x0 = Math.floor(fx);
        const x1 = Math.min(x0 + 1, inW - 1);
        for (let ch = 0; ch < C; ch++) {
          const at = (yy: number, xx: number) => x[(yy * inW + xx) * C + ch];
          const top = at(y0, x0) + (at(y0, x1) - at(y0, x0)) * (fx - x0);
          const bot = at(y1, x0) + (at(y1, x1) - at(y1, x0)) * (fx - x0);
          y[(oy * outW + ox) * C + ch] = top + (bot - top) * (fy - y0);
        }
      }
    }
    expect(() => checkForward(info, c, y)).toThrow(/y at \(b=0, y=0, x=1, c=0\)/);
  });
  it('a backward that forgets the border clamp (i1 = i0 + 1 past the edge) is caught', () => {
    const info = kernelsOf('resize_bilinear_grad_f32')[1];
    const c = ALL.find((cc) => cc.name === 'up x2 c=4')!;
    const dx = runBackward(k, info, c);
    // The last output column's x1 tap is clamped onto x0 = inW − 1: drop its w01 share there.
    const { dy } = gradInputs(c);
    const { inW, outW, c: C } = c.g;
    const wx = ref.bilinearTaps(inW, outW).w1[outW - 1];
    dx[(inW - 1) * C] -= dy[(outW - 1) * C] * (1 - ref.bilinearTaps(c.g.inH, c.g.outH).w1[0]) * wx;
    expect(() => checkBackward(info, c, dx)).toThrow(/dx at \(b=0, y=0, x=\d, c=0\)/);
  });
  void k;
});

describe('the scalar build', () => {
  it('carries both resize kernels, matching the twin', () => {
    const k = scalarKernels();
    for (const c of ALL.filter((_, i) => i % 3 === 0)) {
      const f = kernelsOf('resize_bilinear_f32')[0];
      checkForward(f, c, runForward(k, f, c));
      const b = kernelsOf('resize_bilinear_grad_f32')[0];
      checkBackward(b, c, runBackward(k, b, c));
    }
  });
});

describe('wrapper validation', () => {
  it('names the argument and what was expected', () => {
    const k = scalarKernels();
    const g: ResizeGeomF32 = { batch: 1, inH: 2, inW: 3, outH: 4, outW: 6, c: 2 };
    const x = k.alloc('f32', 12);
    const y = k.alloc('f32', 48);
    expect(() => resizeBilinearF32(k, x, x, g)).toThrow(
      /resize_bilinear_f32: y is too small. Expected ≥ 48 elements \(batch·outH·outW·c = 1·4·6·2\), got 12/,
    );
    expect(() => resizeBilinearGradF32(k, y, y, g)).toThrow(/resize_bilinear_grad_f32: dx overlaps dy/);
    expect(() => resizeBilinearF32(k, x, y, { ...g, inH: 0 })).toThrow(/cannot resize an empty image/);
    expect(() => resizeBilinearF32(k, x, y, { ...g, c: -1 })).toThrow(/c is out of range/);
    const small = k.alloc('u8', 80);
    expect(() => resizeBilinearF32(k, x, y, g, { scratch: small })).toThrow(
      /resize_bilinear_f32: scratch is too small. Expected ≥ 96 bytes \(16·outW, outW = 6\), got 80/,
    );
    const odd = KBuf.at(k.arena, 'u8', small.ptr + 4, 96);
    expect(() => resizeBilinearF32(k, x, y, g, { scratch: odd })).toThrow(/scratch is misaligned/);
    const inY = KBuf.at(k.arena, 'u8', y.ptr, 96);
    expect(() => resizeBilinearGradF32(k, y, x, g, { scratch: inY })).toThrow(/scratch overlaps dy/);
    for (const b of [x, y, small]) b.release();
  });
  it('gives the same bits with a caller scratch as with a borrowed one', () => {
    const k = releaseKernels();
    const c = ALL.find((cc) => cc.name === 'logits up x4 c=19')!;
    const scratch = k.alloc('u8', resizeF32ScratchBytes(c.g) + 64);
    for (const info of kernelsOf('resize_bilinear_f32')) {
      const x = new Rng(c.seed).f32Array(nIn(c.g), -2, 2);
      const gx = guarded(k, 'f32', x.length, x);
      const gy = guarded(k, 'f32', nOut(c.g));
      resizeBilinearF32(k, gx.buf, gy.buf, c.g, { isa: info.isa, scratch });
      expect(firstMismatch(runForward(k, info, c), gy.buf.view()), info.name).toBe(-1);
      gx.free();
      gy.free();
    }
    scratch.release();
  });
});

// resize_bilinear_argmax_f32: class ids must be exactly the argmax of what resize_bilinear_f32 writes
// (the runtime swapped one for the other), so the twin computes in f32 and every case is bit-exact —
// including ties (integer-valued inputs make many), NaN and ±∞ channels, and 1…256 channels.
interface ArgmaxCase {
  name: string;
  g: ResizeGeomF32;
  x: Float32Array;
}

function argmaxCases(): ArgmaxCase[] {
  const list: ArgmaxCase[] = [];
  let seed = 900;
  const add = (name: string, g: ResizeGeomF32, fill?: (r: Rng, n: number) => Float32Array) => {
    const r = new Rng(seed++);
    const n = nIn(g);
    list.push({ name, g, x: fill ? fill(r, n) : r.f32Array(n, -2, 2) });
  };
  for (const c of ALL.filter((cc) => cc.g.c >= 1 && cc.g.c <= 256)) add(c.name, c.g);
  for (const c of [1, 3, 4, 15, 17, 19, 255, 256]) {
    add(`logits x4 c=${c}`, { batch: 1, inH: 3, inW: 5, outH: 12, outW: 20, c });
    // Integers in [0, 3]: the interpolated values tie often, so the lower-channel rule is exercised.
    add(`ties c=${c}`, { batch: 2, inH: 2, inW: 3, outH: 8, outW: 12, c }, (r, n) =>
      Float32Array.from({ length: n }, () => Math.floor(r.float() * 4)),
    );
  }
  const specials = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0];
  for (const c of [1, 2, 5, 19]) {
    add(`NaN/±∞/±0 c=${c}`, { batch: 1, inH: 3, inW: 3, outH: 7, outW: 6, c }, (r, n) =>
      Float32Array.from({ length: n }, () =>
        r.float() < 0.3 ? specials[Math.floor(r.float() * 5)] : r.float() - 0.5,
      ),
    );
  }
  // ×4 in both axes: full groups of 4 output rows share their source rows (the SIMD kernel's
  // row-group path), with NaN and ±∞ in them; the 2-row borders take the one-row path.
  for (const c of [1, 6, 19]) {
    add(`×4 NaN/±∞ c=${c}`, { batch: 2, inH: 4, inW: 3, outH: 16, outW: 12, c }, (r, n) =>
      Float32Array.from({ length: n }, () =>
        r.float() < 0.2 ? specials[Math.floor(r.float() * 5)] : r.float() - 0.5,
      ),
    );
  }
  add('all −∞ c=7', { batch: 1, inH: 2, inW: 2, outH: 3, outW: 5, c: 7 }, (_r, n) =>
    new Float32Array(n).fill(Number.NEGATIVE_INFINITY),
  );
  add('batch=0', { batch: 0, inH: 3, inW: 3, outH: 6, outW: 6, c: 4 });
  add('outW=0', { batch: 1, inH: 3, inW: 3, outH: 6, outW: 0, c: 4 });
  return list;
}

const ARGMAX = argmaxCases();

function runArgmax(k: Kernels, info: KernelInfo, c: ArgmaxCase): Uint8Array {
  const gx = guarded(k, 'f32', c.x.length, c.x);
  const gy = guarded(
    k,
    'u8',
    c.g.batch * c.g.outH * c.g.outW,
    new Uint8Array(c.g.batch * c.g.outH * c.g.outW).fill(0xee),
  );
  resizeBilinearArgmaxF32(k, gx.buf, gy.buf, c.g, { isa: info.isa });
  gx.checkCanary(info.name);
  gy.checkCanary(info.name);
  expect(firstMismatch(c.x, gx.buf.view()), `x changed, ${info.name} ${c.name}`).toBe(-1);
  const y = gy.buf.toArray();
  gx.free();
  gy.free();
  return y;
}

describe.each(kernelsOf('resize_bilinear_argmax_f32').map((info) => [info.name, info] as const))(
  '%s',
  (_name, info) => {
    const k = buildFor(info)!;
    it(`gives the f32 twin's class ids exactly on ${ARGMAX.length} cases`, () => {
      for (const c of ARGMAX) {
        const want = ref.resizeBilinearArgmaxF32(c.x, c.g);
        const got = runArgmax(k, info, c);
        const i = firstMismatch(want, got);
        expect(i, `${kernelLabel(info)}, case "${c.name}", g=${JSON.stringify(c.g)}: pixel ${i}`).toBe(-1);
      }
    });
    it('is the argmax of what resize_bilinear_f32 writes (first maximum, NaN never wins after channel 0)', () => {
      for (const c of ARGMAX.filter((cc) => nOut(cc.g) > 0)) {
        const gx = guarded(k, 'f32', c.x.length, c.x);
        const gy = guarded(k, 'f32', nOut(c.g));
        resizeBilinearF32(k, gx.buf, gy.buf, c.g);
        const v = gy.buf.view();
        const want = new Uint8Array(nOut(c.g) / c.g.c);
        for (let p = 0; p < want.length; p++) {
          let bi = 0;
          for (let ch = 1; ch < c.g.c; ch++) if (v[p * c.g.c + ch] > v[p * c.g.c + bi]) bi = ch;
          want[p] = bi;
        }
        gx.free();
        gy.free();
        expect(firstMismatch(want, runArgmax(k, info, c)), `case "${c.name}"`).toBe(-1);
      }
    });
    it('rejects c = 0, c > 256 and a y of the wrong dtype', () => {
      const x = k.alloc('f32', 4 * 300);
      const y = k.alloc('u8', 16);
      const g = { batch: 1, inH: 2, inW: 2, outH: 4, outW: 4, c: 0 };
      expect(() => resizeBilinearArgmaxF32(k, x, y, g, { isa: info.isa })).toThrow(/c is out of range/);
      expect(() => resizeBilinearArgmaxF32(k, x, y, { ...g, c: 257 }, { isa: info.isa })).toThrow(
        /c is out of range/,
      );
      const yf = k.alloc('f32', 16);
      expect(() => resizeBilinearArgmaxF32(k, x, yf, { ...g, c: 3 }, { isa: info.isa })).toThrow(
        /wrong dtype/,
      );
      x.release();
      y.release();
      yf.release();
    });
  },
);

// resize_bilinear_add_f32: y += the resize on a range of output rows, bit-exact with the f32 twin; rows
// outside the range untouched. Every geometry above (×2, ×4, ×8, downsampling, C = 0…256), with the full
// range, a range cut at odd rows (the SIMD kernel's 4- and 2-row groups start and end mid-pair) and an
// empty one.
describe.each(kernelsOf('resize_bilinear_add_f32').map((info) => [info.name, info] as const))(
  '%s',
  (_name, info) => {
    const k = buildFor(info)!;
    it(`adds the f32 twin's values exactly, on the given rows only (${ALL.length} geometries × 3 ranges)`, () => {
      for (const c of ALL) {
        const { outH } = c.g;
        const ranges: [number, number][] = [
          [0, outH],
          [Math.min(outH, 1), Math.max(Math.min(outH, 1), outH - 2)],
          [Math.floor(outH / 2), Math.floor(outH / 2)],
        ];
        for (const rows of ranges) {
          const r = new Rng(c.seed + 7);
          const x = r.f32Array(nIn(c.g), -2, 2);
          const y0 = r.f32Array(nOut(c.g), -1, 1);
          const want = Float32Array.from(y0);
          ref.resizeBilinearAddF32(x, want, c.g, rows[0], rows[1]);
          const gx = guarded(k, 'f32', x.length, x);
          const gy = guarded(k, 'f32', y0.length, y0);
          resizeBilinearAddF32(k, gx.buf, gy.buf, c.g, { isa: info.isa, rows });
          gx.checkCanary(info.name);
          gy.checkCanary(info.name);
          const got = gy.buf.toArray();
          gx.free();
          gy.free();
          const i = firstMismatch(want, got);
          expect(i, `${label(info, c)}, rows ${rows}: element ${i}`).toBe(-1);
        }
      }
    });
    it('is y + what resize_bilinear_f32 writes', () => {
      for (const c of ALL.filter((cc) => nOut(cc.g) > 0)) {
        const r = new Rng(c.seed + 11);
        const x = k.from('f32', r.f32Array(nIn(c.g), -2, 2));
        const y0 = r.f32Array(nOut(c.g), -1, 1);
        const y = k.from('f32', y0);
        const up = k.alloc('f32', nOut(c.g));
        resizeBilinearF32(k, x, up, c.g, { isa: info.isa });
        resizeBilinearAddF32(k, x, y, c.g, { isa: info.isa });
        const u = up.toArray();
        const want = y0.map((v, j) => Math.fround(v + u[j]));
        expect(firstMismatch(want, y.toArray()), label(info, c)).toBe(-1);
        x.release();
        y.release();
        up.release();
      }
    });
    it('rejects a row range outside [0, outH]', () => {
      const x = k.alloc('f32', 4 * 3);
      const y = k.alloc('f32', 16 * 3);
      const g = { batch: 1, inH: 2, inW: 2, outH: 4, outW: 4, c: 3 };
      expect(() => resizeBilinearAddF32(k, x, y, g, { isa: info.isa, rows: [0, 5] })).toThrow(
        /rows\[1\] is out of range/,
      );
      expect(() => resizeBilinearAddF32(k, x, y, g, { isa: info.isa, rows: [3, 2] })).toThrow(
        /rows\[1\] is out of range/,
      );
      expect(() => resizeBilinearAddF32(k, x, y, g, { isa: info.isa, rows: [-1, 2] })).toThrow(
        /rows\[0\] is out of range/,
      );
      x.release();
      y.release();
    });
  },
);
