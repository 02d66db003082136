// softmax.test.ts — every softmax-family kernel in the manifest (scalar and SIMD) against the f64 twin
// in kernels/ref/softmax.ts: all row lengths 1–127 and long rows, MLAS's offset ranges, masked (−∞)
// rows, strided and in-place layouts; outputs NaN-poisoned before each call, canaries checked after.
import { F32_EPS, Rng, softmaxClose } from '@edgeseg/testing';
import { describe, expect, it } from 'vitest';
import * as ref from '../ref/index.js';
import {
  expMinusMaxF32,
  type KernelInfo,
  type Kernels,
  kernelsOf,
  logSoftmaxF32,
  softmaxF32,
} from '../src/index.js';
import { buildFor, firstMismatch, guarded, kernelLabel, scalarKernels } from './harness.js';

/** The exp's contract (assembly/softmax/exp_poly.ts): relative error ≤ 2e-7 on [−87.3, 0]. */
const EXP_REL_TOL = 2e-7;
/** Below ln(2^−126) the kernels flush e^t to 0 (the result would be subnormal). */
const EXP_CUTOFF = -87.33654;

type RowOp = 'softmax_f32' | 'log_softmax_f32';
const rowOps: { op: RowOp; wrapper: typeof softmaxF32; twin: typeof ref.softmaxF32 }[] = [
  { op: 'softmax_f32', wrapper: softmaxF32, twin: ref.softmaxF32 },
  { op: 'log_softmax_f32', wrapper: logSoftmaxF32, twin: ref.logSoftmaxF32 },
];

/** Input distributions, named by the edge they probe (MLAS's offset ranges among them). */
const DISTS: Record<string, (rng: Rng) => number> = {
  'uniform(-1,1)+100': (rng) => rng.uniform(-1, 1) + 100,
  'uniform(-1,1)-100': (rng) => rng.uniform(-1, 1) - 100,
  'range 20..30': (rng) => rng.uniform(20, 30),
  'range -150..190': (rng) => rng.uniform(-150, 190),
  normal·4: (rng) => 4 * rng.normal(),
};

interface Case {
  name: string;
  rows: number;
  cols: number;
  ldx: number;
  ldy: number;
  inPlace: boolean;
  seed: number;
  gen: (rng: Rng, r: number, j: number) => number;
  /** Value of x between rows (ldx > cols): must never reach a result. */
  pad?: number;
}

/** Same if both NaN or identical (±∞ included), else within softmaxClose (abs or rel 1e-6). */
function close(want: number, got: number): boolean {
  if (Number.isNaN(want)) return Number.isNaN(got);
  if (want === got) return true;
  return softmaxClose(want, got);
}

function rowCases(): Case[] {
  const cases: Case[] = [];
  let seed = 1;
  const names = Object.keys(DISTS);
  for (let cols = 1; cols <= 127; cols++) {
    const dist = names[cols % names.length];
    const g = DISTS[dist];
    cases.push({
      name: `cols=${cols} ${dist}`,
      rows: 3,
      cols,
      ldx: cols,
      ldy: cols,
      inPlace: false,
      seed: seed++,
      gen: g,
    });
  }
  for (const dist of names) {
    for (const cols of [1, 3, 4, 15, 16, 17, 31, 32, 33, 63, 64, 65]) {
      const g = DISTS[dist];
      cases.push({
        name: `cols=${cols} ${dist}`,
        rows: 2,
        cols,
        ldx: cols,
        ldy: cols,
        inPlace: false,
        seed: seed++,
        gen: g,
      });
    }
    for (const cols of [1000, 8192]) {
      cases.push({
        name: `long cols=${cols} ${dist}`,
        rows: 2,
        cols,
        ldx: cols,
        ldy: cols,
        inPlace: false,
        seed: seed++,
        gen: DISTS[dist],
      });
    }
  }
  // Masked attention: about a third of the entries −∞, including whole masked rows and rows with
  // a single survivor (row 1 all −∞, row 2 all but one).
  for (const cols of [1, 2, 3, 5, 8, 13, 16, 19, 64, 127, 1000]) {
    cases.push({
      name: `masked -inf cols=${cols}`,
      rows: 4,
      cols,
      ldx: cols,
      ldy: cols,
      inPlace: false,
      seed: seed++,
      gen: (rng, r, j) =>
        r === 1 || (r === 2 && j !== cols >> 1) || rng.float() < 0.35
          ? Number.NEGATIVE_INFINITY
          : rng.uniform(-20, 20),
    });
  }
  // NaN or +∞ anywhere poisons its row (and only its row).
  for (const cols of [1, 4, 7, 33]) {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      cases.push({
        name: `row with ${bad} cols=${cols}`,
        rows: 3,
        cols,
        ldx: cols,
        ldy: cols,
        inPlace: false,
        seed: seed++,
        gen: (rng, r, j) =>
          r === 1 && j === cols - 1 ? bad : r === 2 ? Number.NEGATIVE_INFINITY : rng.uniform(-5, 5),
      });
    }
  }
  // A row of only NaN and −∞ is a NaN row, not a masked one.
  cases.push({
    name: 'NaN and -inf only',
    rows: 1,
    cols: 6,
    ldx: 6,
    ldy: 6,
    inPlace: false,
    seed: seed++,
    gen: (_rng, _r, j) => (j === 4 ? Number.NaN : Number.NEGATIVE_INFINITY),
  });
  // Strided rows; the gap between x rows holds +∞/NaN that a careless tail would pick up.
  for (const [rows, cols, ldx, ldy] of [
    [5, 7, 11, 9],
    [4, 1, 4, 2],
    [3, 17, 20, 17],
    [3, 32, 33, 40],
    [2, 130, 131, 135],
  ]) {
    for (const pad of [Number.POSITIVE_INFINITY, Number.NaN, 1e30]) {
      cases.push({
        name: `strided ldx=${ldx} ldy=${ldy} pad=${pad}`,
        rows,
        cols,
        ldx,
        ldy,
        inPlace: false,
        seed: seed++,
        gen: DISTS['range -150..190'],
        pad,
      });
    }
  }
  // In place, dense and strided.
  for (const [rows, cols, ld] of [
    [3, 1, 1],
    [4, 13, 13],
    [3, 64, 64],
    [2, 1000, 1000],
    [4, 9, 12],
  ]) {
    cases.push({
      name: `in place ld=${ld}`,
      rows,
      cols,
      ldx: ld,
      ldy: ld,
      inPlace: true,
      seed: seed++,
      gen: DISTS['range 20..30'],
    });
  }
  // Empty shapes: nothing may be written.
  cases.push({
    name: 'rows=0',
    rows: 0,
    cols: 5,
    ldx: 5,
    ldy: 5,
    inPlace: false,
    seed: seed++,
    gen: DISTS['normal·4'],
  });
  cases.push({
    name: 'cols=0',
    rows: 3,
    cols: 0,
    ldx: 0,
    ldy: 0,
    inPlace: false,
    seed: seed++,
    gen: DISTS['normal·4'],
  });
  return cases;
}

const extent = (rows: number, cols: number, ld: number) =>
  rows === 0 || cols === 0 ? 0 : (rows - 1) * ld + cols;

function runCase(
  k: Kernels,
  info: KernelInfo,
  c: Case,
  wrapper: typeof softmaxF32,
  twin: typeof ref.softmaxF32,
) {
  const rng = new Rng(c.seed);
  const nx = extent(c.rows, c.cols, c.ldx);
  const ny = extent(c.rows, c.cols, c.ldy);
  const x = new Float32Array(nx).fill(c.pad ?? 0);
  for (let r = 0; r < c.rows; r++) for (let j = 0; j < c.cols; j++) x[r * c.ldx + j] = c.gen(rng, r, j);
  const want = twin(x, { rows: c.rows, cols: c.cols, ldx: c.ldx });
  const gx = guarded(k, 'f32', nx, x);
  const gy = c.inPlace ? gx : guarded(k, 'f32', ny); // NaN-poisoned
  wrapper(k, gx.buf, gy.buf, { rows: c.rows, cols: c.cols, ldx: c.ldx, ldy: c.ldy, isa: info.isa });
  const where = `${kernelLabel(info)}, rows×cols=${c.rows}×${c.cols}, ldx=${c.ldx}, ldy=${c.ldy}, case "${c.name}", seed=${c.seed}`;
  gx.checkCanary(info.name);
  gy.checkCanary(info.name);
  const y = gy.buf.view();
  for (let r = 0; r < c.rows; r++) {
    for (let j = 0; j < c.cols; j++) {
      const w = want[r * c.cols + j];
      const o = y[r * c.ldy + j];
      if (!close(w, o)) {
        throw new Error(`at (${r}, ${j}): reference=${w}, optimized=${o}, x=${x[r * c.ldx + j]}, ${where}`);
      }
    }
    // Between output rows nothing may be written: the gap still holds the poison (or x, in place).
    for (let j = c.cols; r < c.rows - 1 && j < c.ldy; j++) {
      const o = y[r * c.ldy + j];
      const before = c.inPlace ? x[r * c.ldx + j] : Number.NaN;
      if (firstMismatch([before], [o]) >= 0) {
        throw new Error(`wrote into the row gap at (${r}, ${j}): ${o} (was ${before}), ${where}`);
      }
    }
  }
  if (ny === 0 && !c.inPlace) expect(gy.buf.length).toBe(0);
  gx.free();
  if (!c.inPlace) gy.free();
}

for (const { op, wrapper, twin } of rowOps) {
  describe.each(kernelsOf(op).map((info) => [info.name, info] as const))('%s', (_name, info) => {
    const k = buildFor(info);
    const cases = rowCases();
    it.skipIf(k === null)(
      'matches the f64 twin on every row length 1–127, long, masked, strided and in-place rows',
      () => {
        for (const c of cases) runCase(k!, info, c, wrapper, twin);
      },
    );
    it.skipIf(k === null)(
      'keeps every row a distribution (softmax sums to 1, log-softmax exponentiates to 1)',
      () => {
        const rng = new Rng(99);
        for (const cols of [1, 7, 128, 4099]) {
          const x = rng.f32Array(cols, -30, 30);
          const gx = guarded(k!, 'f32', cols, x);
          const gy = guarded(k!, 'f32', cols);
          wrapper(k!, gx.buf, gy.buf, { rows: 1, cols, isa: info.isa });
          let s = 0;
          for (const v of gy.buf.view()) s += op === 'softmax_f32' ? v : Math.exp(v);
          // softmax: each output is within 1e-6 relative of its truth p_j (exp ≤ 2e-7, sum and 1/Σ a
          // few ε) and Σ p_j = 1, so |Σ y − 1| ≤ 1e-6. log_softmax: y_j is off by ≤ 1e-6·max(1, |log p_j|),
          // so Σ e^y − 1 ≈ Σ p_j·ε_j ≤ 1e-6·max(1, entropy) ≤ 1e-6·max(1, log cols).
          const tol = op === 'softmax_f32' ? 1e-6 : 1e-6 * Math.max(1, Math.log(cols));
          expect(Math.abs(s - 1), `${kernelLabel(info)} cols=${cols} seed=99`).toBeLessThanOrEqual(tol);
          gx.free();
          gy.free();
        }
      },
    );
  });
}

describe.each(kernelsOf('exp_minus_max_f32').map((info) => [info.name, info] as const))(
  '%s',
  (_name, info) => {
    const k = buildFor(info);
    it.skipIf(k === null)(`exp has relative error ≤ ${EXP_REL_TOL} on a dense sweep of [−87.3, 0]`, () => {
      // 2^22 evenly spaced points (step 2.1e-5) plus every f32 in [−2^−10, 0] near 0, where the
      // relative ulp of the result is largest.
      const n = 1 << 22;
      const x = new Float32Array(n + 4096);
      for (let i = 0; i < n; i++) x[i] = (-87.3 * i) / (n - 1);
      for (let i = 0; i < 4096; i++) x[n + i] = -i * 2 ** -22;
      const gx = guarded(k!, 'f32', x.length, x);
      const gy = guarded(k!, 'f32', x.length);
      expMinusMaxF32(k!, gx.buf, gy.buf, 0, { isa: info.isa });
      gy.checkCanary(info.name);
      const y = gy.buf.view();
      let worst = 0;
      let at = 0;
      for (let i = 0; i < x.length; i++) {
        const e = Math.exp(x[i]);
        const rel = Math.abs(y[i] - e) / e;
        if (!(rel <= worst)) {
          worst = rel;
          at = i;
        }
      }
      console.log(
        `${info.name}: max relative error of exp on [−87.3, 0] = ${worst.toExponential(3)} at x=${x[at]}`,
      );
      expect(
        worst,
        `reference=${Math.exp(x[at])}, optimized=${y[at]}, x=${x[at]}, ${kernelLabel(info)}, n=${x.length}`,
      ).toBeLessThanOrEqual(EXP_REL_TOL);
      gx.free();
      gy.free();
    });

    it.skipIf(k === null)('flushes underflow and −∞ to exactly +0, keeps NaN, and returns the sum', () => {
      const x = Float32Array.from([
        EXP_CUTOFF - 1e-4,
        -87.4,
        -88,
        -100,
        -1e30,
        Number.NEGATIVE_INFINITY,
        -3.4e38,
        Math.fround(EXP_CUTOFF + 1e-4),
        0,
        -0,
      ]);
      const gx = guarded(k!, 'f32', x.length, x);
      const gy = guarded(k!, 'f32', x.length);
      const sum = expMinusMaxF32(k!, gx.buf, gy.buf, 0, { isa: info.isa });
      const y = [...gy.buf.view()];
      expect(y.slice(0, 7), kernelLabel(info)).toEqual([0, 0, 0, 0, 0, 0, 0]);
      for (const v of y.slice(0, 7)) expect(Object.is(v, 0), 'flushed values are +0').toBe(true);
      expect(y[7] / Math.exp(x[7]) - 1).toBeLessThanOrEqual(EXP_REL_TOL); // smallest normal result
      expect(y.slice(8)).toEqual([1, 1]);
      expect(sum).toBe(y.reduce((a, b) => a + b));
      const gn = guarded(k!, 'f32', 5, [0, -1, Number.NaN, -2, -3]);
      expect(expMinusMaxF32(k!, gn.buf, null, 0, { isa: info.isa })).toBeNaN();
      for (const g of [gx, gy, gn]) g.free();
    });

    it.skipIf(k === null)('matches the twin with a shift, for every n 0–70 and long n (sum only too)', () => {
      const rng = new Rng(77);
      for (const n of [...Array.from({ length: 71 }, (_, i) => i), 1000, 4099]) {
        const x = rng.f32Array(n, -40, 12);
        const max = 12;
        const want = ref.expMinusMaxF32(x, max);
        const gx = guarded(k!, 'f32', n, x);
        const gy = guarded(k!, 'f32', n);
        const sum = expMinusMaxF32(k!, gx.buf, gy.buf, max, { isa: info.isa });
        gy.checkCanary(info.name);
        const y = gy.buf.view();
        // Besides the exp's own error, x − max is rounded to f32 first: |x − max|·ε/2 more, relative.
        let tol = 0;
        for (let i = 0; i < n; i++) {
          const termTol = want.y[i] * (EXP_REL_TOL + Math.abs(x[i] - max) * (F32_EPS / 2));
          tol += termTol;
          if (!(Math.abs(y[i] - want.y[i]) <= termTol)) {
            throw new Error(
              `at ${i}: reference=${want.y[i]}, optimized=${y[i]}, x=${x[i]}, ${kernelLabel(info)}, n=${n}, seed=77`,
            );
          }
        }
        // The sum: the terms' errors, ≤ 18 f32 additions in a row (16 per lane, 2 folds) before it
        // goes to f64, and the final rounding to f32.
        tol += want.sum * 19 * (F32_EPS / 2);
        expect(Math.abs(sum - want.sum), `sum, ${kernelLabel(info)}, n=${n}, seed=77`).toBeLessThanOrEqual(
          tol,
        );
        expect(expMinusMaxF32(k!, gx.buf, null, max, { isa: info.isa })).toBe(sum);
        gx.free();
        gy.free();
      }
    });
  },
);

describe('scalar and SIMD exp agree bit for bit', () => {
  it('exp_minus_max_f32__scalar and __simd write the same bits', () => {
    const k = buildFor(kernelsOf('exp_minus_max_f32')[0])!;
    const rng = new Rng(5);
    const x = rng.f32Array(100_003, -90, 0);
    const gx = guarded(k, 'f32', x.length, x);
    const ys = guarded(k, 'f32', x.length);
    const yv = guarded(k, 'f32', x.length);
    expMinusMaxF32(k, gx.buf, ys.buf, 0, { isa: 'scalar' });
    expMinusMaxF32(k, gx.buf, yv.buf, 0, { isa: 'simd128' });
    const i = firstMismatch(ys.buf.view(), yv.buf.view());
    expect(i, i >= 0 ? `x=${x[i]}: scalar=${ys.buf.view()[i]}, simd=${yv.buf.view()[i]}, seed=5` : '').toBe(
      -1,
    );
    for (const g of [gx, ys, yv]) g.free();
  });
});

describe('the scalar build', () => {
  it('carries softmax and log-softmax, matching the twin', () => {
    const k = scalarKernels();
    const rng = new Rng(11);
    for (const [rows, cols] of [
      [3, 5],
      [2, 128],
      [1, 1001],
    ]) {
      const x = rng.f32Array(rows * cols, -150, 190);
      for (const { wrapper, twin, op } of rowOps) {
        const gx = guarded(k, 'f32', x.length, x);
        const gy = guarded(k, 'f32', x.length);
        wrapper(k, gx.buf, gy.buf, { rows, cols });
        const want = twin(x, { rows, cols });
        const y = gy.buf.view();
        for (let i = 0; i < y.length; i++) {
          if (!close(want[i], y[i])) {
            throw new Error(
              `${op} at ${i}: reference=${want[i]}, optimized=${y[i]}, scalar build, ${rows}×${cols}, seed=11`,
            );
          }
        }
        gx.free();
        gy.free();
      }
    }
  });
});

describe('wrapper validation', () => {
  const k = scalarKernels();
  it('names the argument and what was expected', () => {
    const x = k.alloc('f32', 12);
    const y = k.alloc('f32', 12);
    const small = k.alloc('f32', 5);
    const i32 = k.alloc('i32', 12);
    expect(() => softmaxF32(k, x, small, { rows: 2, cols: 6 })).toThrow(
      /softmax_f32: y is too small. Expected ≥ 12 elements/,
    );
    expect(() => softmaxF32(k, x, y, { rows: 2, cols: 6, ldx: 5 })).toThrow(
      /softmax_f32: ldx is out of range. Expected an integer in \[6, /,
    );
    expect(() => logSoftmaxF32(k, i32, y, { rows: 2, cols: 6 })).toThrow(
      /log_softmax_f32: x has the wrong dtype. Expected f32, got i32/,
    );
    expect(() => softmaxF32(k, x, x, { rows: 2, cols: 4, ldx: 4, ldy: 6 })).toThrow(
      /in place \(x is y\) needs equal strides. Expected ldy = 4, got 6/,
    );
    const shifted = new (x.constructor as typeof import('../src/index.js').KBuf)(
      k.arena,
      'f32',
      10,
      x.ptr + 8,
    );
    expect(() => softmaxF32(k, x, shifted, { rows: 2, cols: 5 })).toThrow(/x and y overlap/);
    expect(() => softmaxF32(k, x, y, { rows: -1, cols: 5 })).toThrow(/rows is out of range/);
    expect(() => expMinusMaxF32(k, x, y, Number.NaN)).toThrow(/exp_minus_max_f32: max is NaN/);
    for (const b of [x, y, small, i32]) b.release();
  });
});
