// arrayBackend.ts — every llop as a plain loop over typed arrays. The ref backend is exactly this
// (over Float64Array or Float32Array); the wasm backend inherits it and replaces the hot llops with
// kernels, so an op without a kernel yet still runs, just slower.

import { erf } from '@edgeseg/kernels/ref';
import type {
  AdamwHyper,
  Backend,
  BinaryOp,
  ConvGeom,
  FArray,
  FakeQuantArgs,
  GemmArgs,
  Storage,
  UnaryOp,
} from './backend.js';

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

export function unaryFn(op: UnaryOp): (v: number) => number {
  switch (op) {
    case 'neg':
      return (v) => -v;
    case 'exp':
      return Math.exp;
    case 'log':
      return Math.log;
    case 'sqrt':
      return Math.sqrt;
    case 'rsqrt':
      return (v) => 1 / Math.sqrt(v);
    case 'abs':
      return Math.abs;
    case 'square':
      return (v) => v * v;
    case 'relu':
      return (v) => Math.max(v, 0);
    case 'gelu':
      return (v) => 0.5 * v * (1 + erf(v * SQRT1_2));
    case 'sigmoid':
      return (v) => 1 / (1 + Math.exp(-v));
    case 'tanh':
      return Math.tanh;
    case 'hardswish':
      return (v) => (v <= -3 ? 0 : v >= 3 ? v : (v * (v + 3)) / 6);
    case 'hardsigmoid':
      return (v) => (v <= -3 ? 0 : v >= 3 ? 1 : v / 6 + 0.5);
  }
}

/** f'(x) in terms of x and y = f(x). */
export function unaryDerivative(op: UnaryOp): (x: number, y: number) => number {
  switch (op) {
    case 'neg':
      return () => -1;
    case 'exp':
      return (_x, y) => y;
    case 'log':
      return (x) => 1 / x;
    case 'sqrt':
      return (_x, y) => 0.5 / y;
    case 'rsqrt':
      return (x, y) => (-0.5 * y) / x;
    case 'abs':
      return (x) => (x > 0 ? 1 : x < 0 ? -1 : 0);
    case 'square':
      return (x) => 2 * x;
    case 'relu':
      return (x) => (x > 0 ? 1 : 0);
    case 'gelu':
      return (x) => 0.5 * (1 + erf(x * SQRT1_2)) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    case 'sigmoid':
      return (_x, y) => y * (1 - y);
    case 'tanh':
      return (_x, y) => 1 - y * y;
    case 'hardswish':
      return (x) => (x <= -3 ? 0 : x >= 3 ? 1 : (2 * x + 3) / 6);
    case 'hardsigmoid':
      return (x) => (x <= -3 || x >= 3 ? 0 : 1 / 6);
  }
}

function binaryFn(op: BinaryOp): (a: number, b: number) => number {
  switch (op) {
    case 'add':
      return (a, b) => a + b;
    case 'sub':
      return (a, b) => a - b;
    case 'mul':
      return (a, b) => a * b;
    case 'div':
      return (a, b) => a / b;
    case 'max':
      return (a, b) => Math.max(a, b);
    case 'min':
      return (a, b) => Math.min(a, b);
  }
}

export abstract class ArrayBackend implements Backend {
  abstract readonly name: string;
  abstract readonly f64: boolean;
  abstract alloc(n: number): Storage;
  abstract release(s: Storage): void;
  abstract view(s: Storage): FArray;

  fill(s: Storage, value: number, offset = 0, n = s.length - offset): void {
    this.view(s).fill(value, offset, offset + n);
  }

  copy(src: Storage, srcOffset: number, dst: Storage, dstOffset: number, n: number): void {
    const d = this.view(dst);
    d.set(this.view(src).subarray(srcOffset, srcOffset + n), dstOffset);
  }

  gemm(g: GemmArgs): void {
    const A = this.view(g.a);
    const B = this.view(g.b);
    const C = this.view(g.c);
    const bias = g.bias ? this.view(g.bias) : null;
    const { m, n, k } = g;
    const row = new Float64Array(n);
    for (let i = 0; i < m; i++) {
      row.fill(0);
      for (let p = 0; p < k; p++) {
        const av = A[g.aOffset + (g.transA ? p * g.lda + i : i * g.lda + p)];
        if (av === 0) continue;
        if (g.transB) {
          for (let j = 0; j < n; j++) row[j] += av * B[g.bOffset + j * g.ldb + p];
        } else {
          const bo = g.bOffset + p * g.ldb;
          for (let j = 0; j < n; j++) row[j] += av * B[bo + j];
        }
      }
      const co = g.cOffset + i * g.ldc;
      for (let j = 0; j < n; j++) {
        C[co + j] = (g.accumulate ? C[co + j] : 0) + row[j] + (bias ? bias[j] : 0);
      }
    }
  }

  unary(op: UnaryOp, x: Storage, y: Storage, n: number): void {
    const X = this.view(x);
    const Y = this.view(y);
    const f = unaryFn(op);
    for (let i = 0; i < n; i++) Y[i] = f(X[i]);
  }

  unaryGrad(op: UnaryOp, x: Storage, y: Storage, dy: Storage, dx: Storage, n: number): void {
    const X = this.view(x);
    const Y = this.view(y);
    const DY = this.view(dy);
    const DX = this.view(dx);
    const d = unaryDerivative(op);
    for (let i = 0; i < n; i++) DX[i] = DY[i] * d(X[i], Y[i]);
  }

  binary(
    op: BinaryOp,
    a: Storage,
    aStr: number[],
    b: Storage,
    bStr: number[],
    out: Storage,
    shape: number[],
  ): void {
    const A = this.view(a);
    const B = this.view(b);
    const O = this.view(out);
    const f = binaryFn(op);
    const nd = shape.length;
    const total = shape.reduce((p, s) => p * s, 1);
    if (nd === 0) {
      O[0] = f(A[0], B[0]);
      return;
    }
    // Innermost dimension as a tight loop; outer index walked with a counter.
    const inner = shape[nd - 1];
    const ai = aStr[nd - 1];
    const bi = bStr[nd - 1];
    const idx = new Array<number>(nd).fill(0);
    let ao = 0;
    let bo = 0;
    for (let o = 0; o < total; o += inner) {
      for (let j = 0; j < inner; j++) O[o + j] = f(A[ao + j * ai], B[bo + j * bi]);
      for (let d = nd - 2; d >= 0; d--) {
        idx[d]++;
        ao += aStr[d];
        bo += bStr[d];
        if (idx[d] < shape[d]) break;
        ao -= aStr[d] * shape[d];
        bo -= bStr[d] * shape[d];
        idx[d] = 0;
      }
    }
  }

  affine(x: Storage, y: Storage, n: number, scale: number, shift: number): void {
    const X = this.view(x);
    const Y = this.view(y);
    for (let i = 0; i < n; i++) Y[i] = X[i] * scale + shift;
  }

  reduce(op: 'sum' | 'max', x: Storage, outer: number, mid: number, inner: number, out: Storage): void {
    const X = this.view(x);
    const O = this.view(out);
    const acc = new Float64Array(inner);
    for (let o = 0; o < outer; o++) {
      acc.fill(op === 'sum' ? 0 : Number.NEGATIVE_INFINITY);
      for (let m = 0; m < mid; m++) {
        const base = (o * mid + m) * inner;
        if (op === 'sum') for (let i = 0; i < inner; i++) acc[i] += X[base + i];
        else for (let i = 0; i < inner; i++) if (X[base + i] > acc[i]) acc[i] = X[base + i];
      }
      O.set(acc, o * inner);
    }
  }

  softmax(x: Storage, y: Storage, rows: number, cols: number, log: boolean): void {
    const X = this.view(x);
    const Y = this.view(y);
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      let max = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < cols; j++) if (X[o + j] > max) max = X[o + j];
      let sum = 0;
      for (let j = 0; j < cols; j++) sum += Math.exp(X[o + j] - max);
      if (log) {
        const lse = max + Math.log(sum);
        for (let j = 0; j < cols; j++) Y[o + j] = X[o + j] - lse;
      } else {
        for (let j = 0; j < cols; j++) Y[o + j] = Math.exp(X[o + j] - max) / sum;
      }
    }
  }

  softmaxGrad(y: Storage, dy: Storage, dx: Storage, rows: number, cols: number, log: boolean): void {
    const Y = this.view(y);
    const DY = this.view(dy);
    const DX = this.view(dx);
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      let s = 0;
      if (log) {
        // y = x − lse: dx = dy − softmax·Σdy
        for (let j = 0; j < cols; j++) s += DY[o + j];
        for (let j = 0; j < cols; j++) DX[o + j] = DY[o + j] - Math.exp(Y[o + j]) * s;
      } else {
        // dx = y ⊙ (dy − ⟨dy, y⟩)
        for (let j = 0; j < cols; j++) s += DY[o + j] * Y[o + j];
        for (let j = 0; j < cols; j++) DX[o + j] = Y[o + j] * (DY[o + j] - s);
      }
    }
  }

  layerNorm(
    x: Storage,
    gamma: Storage,
    beta: Storage,
    y: Storage,
    mean: Storage,
    rstd: Storage,
    rows: number,
    cols: number,
    eps: number,
  ): void {
    const X = this.view(x);
    const G = this.view(gamma);
    const Bt = this.view(beta);
    const Y = this.view(y);
    const M = this.view(mean);
    const R = this.view(rstd);
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      let mu = 0;
      for (let j = 0; j < cols; j++) mu += X[o + j];
      mu /= cols;
      let v = 0;
      for (let j = 0; j < cols; j++) v += (X[o + j] - mu) ** 2;
      const rs = 1 / Math.sqrt(v / cols + eps);
      M[r] = mu;
      R[r] = rs;
      for (let j = 0; j < cols; j++) Y[o + j] = (X[o + j] - mu) * rs * G[j] + Bt[j];
    }
  }

  layerNormGrad(
    x: Storage,
    gamma: Storage,
    mean: Storage,
    rstd: Storage,
    dy: Storage,
    dx: Storage,
    dgamma: Storage,
    dbeta: Storage,
    rows: number,
    cols: number,
  ): void {
    const X = this.view(x);
    const G = this.view(gamma);
    const M = this.view(mean);
    const R = this.view(rstd);
    const DY = this.view(dy);
    const DX = this.view(dx);
    const DG = this.view(dgamma);
    const DB = this.view(dbeta);
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      const mu = M[r];
      const rs = R[r];
      // dx = rs·(g·dy − mean(g·dy) − x̂·mean(g·dy·x̂))
      let s1 = 0;
      let s2 = 0;
      for (let j = 0; j < cols; j++) {
        const xh = (X[o + j] - mu) * rs;
        const gd = G[j] * DY[o + j];
        s1 += gd;
        s2 += gd * xh;
        DG[j] += DY[o + j] * xh;
        DB[j] += DY[o + j];
      }
      s1 /= cols;
      s2 /= cols;
      for (let j = 0; j < cols; j++) {
        const xh = (X[o + j] - mu) * rs;
        DX[o + j] = rs * (G[j] * DY[o + j] - s1 - xh * s2);
      }
    }
  }

  im2col(x: Storage, cols: Storage, g: ConvGeom): void {
    const X = this.view(x);
    const C = this.view(cols);
    const kc = g.kH * g.kW * g.inC;
    let row = 0;
    for (let b = 0; b < g.batch; b++) {
      for (let oy = 0; oy < g.outH; oy++) {
        for (let ox = 0; ox < g.outW; ox++, row++) {
          let o = row * kc;
          for (let ky = 0; ky < g.kH; ky++) {
            const iy = oy * g.stride - g.pad + ky * g.dilation;
            for (let kx = 0; kx < g.kW; kx++) {
              const ix = ox * g.stride - g.pad + kx * g.dilation;
              if (iy < 0 || iy >= g.inH || ix < 0 || ix >= g.inW) {
                C.fill(0, o, o + g.inC);
              } else {
                const src = ((b * g.inH + iy) * g.inW + ix) * g.inC;
                C.set(X.subarray(src, src + g.inC), o);
              }
              o += g.inC;
            }
          }
        }
      }
    }
  }

  col2im(dcols: Storage, dx: Storage, g: ConvGeom): void {
    const C = this.view(dcols);
    const X = this.view(dx);
    const kc = g.kH * g.kW * g.inC;
    let row = 0;
    for (let b = 0; b < g.batch; b++) {
      for (let oy = 0; oy < g.outH; oy++) {
        for (let ox = 0; ox < g.outW; ox++, row++) {
          let o = row * kc;
          for (let ky = 0; ky < g.kH; ky++) {
            const iy = oy * g.stride - g.pad + ky * g.dilation;
            for (let kx = 0; kx < g.kW; kx++, o += g.inC) {
              const ix = ox * g.stride - g.pad + kx * g.dilation;
              if (iy < 0 || iy >= g.inH || ix < 0 || ix >= g.inW) continue;
              const dst = ((b * g.inH + iy) * g.inW + ix) * g.inC;
              for (let c = 0; c < g.inC; c++) X[dst + c] += C[o + c];
            }
          }
        }
      }
    }
  }

  dwconv(x: Storage, w: Storage, bias: Storage | null, y: Storage, g: ConvGeom): void {
    const X = this.view(x);
    const W = this.view(w);
    const Y = this.view(y);
    const Bs = bias ? this.view(bias) : null;
    const C = g.inC;
    for (let b = 0; b < g.batch; b++) {
      for (let oy = 0; oy < g.outH; oy++) {
        for (let ox = 0; ox < g.outW; ox++) {
          const yo = ((b * g.outH + oy) * g.outW + ox) * C;
          for (let c = 0; c < C; c++) Y[yo + c] = Bs ? Bs[c] : 0;
          for (let ky = 0; ky < g.kH; ky++) {
            const iy = oy * g.stride - g.pad + ky * g.dilation;
            if (iy < 0 || iy >= g.inH) continue;
            for (let kx = 0; kx < g.kW; kx++) {
              const ix = ox * g.stride - g.pad + kx * g.dilation;
              if (ix < 0 || ix >= g.inW) continue;
              const xo = ((b * g.inH + iy) * g.inW + ix) * C;
              const wo = (ky * g.kW + kx) * C;
              for (let c = 0; c < C; c++) Y[yo + c] += X[xo + c] * W[wo + c];
            }
          }
        }
      }
    }
  }

  dwconvGrad(
    x: Storage,
    w: Storage,
    dy: Storage,
    dx: Storage | null,
    dw: Storage,
    db: Storage | null,
    g: ConvGeom,
  ): void {
    const X = this.view(x);
    const W = this.view(w);
    const DY = this.view(dy);
    const DX = dx ? this.view(dx) : null;
    const DW = this.view(dw);
    const DB = db ? this.view(db) : null;
    const C = g.inC;
    for (let b = 0; b < g.batch; b++) {
      for (let oy = 0; oy < g.outH; oy++) {
        for (let ox = 0; ox < g.outW; ox++) {
          const yo = ((b * g.outH + oy) * g.outW + ox) * C;
          if (DB) for (let c = 0; c < C; c++) DB[c] += DY[yo + c];
          for (let ky = 0; ky < g.kH; ky++) {
            const iy = oy * g.stride - g.pad + ky * g.dilation;
            if (iy < 0 || iy >= g.inH) continue;
            for (let kx = 0; kx < g.kW; kx++) {
              const ix = ox * g.stride - g.pad + kx * g.dilation;
              if (ix < 0 || ix >= g.inW) continue;
              const xo = ((b * g.inH + iy) * g.inW + ix) * C;
              const wo = (ky * g.kW + kx) * C;
              for (let c = 0; c < C; c++) {
                DW[wo + c] += X[xo + c] * DY[yo + c];
                if (DX) DX[xo + c] += W[wo + c] * DY[yo + c];
              }
            }
          }
        }
      }
    }
  }

  /** Source index and weight pairs of bilinear, align_corners = false (PyTorch's area_pixel_compute_source_index). */
  protected static taps(
    inSize: number,
    outSize: number,
  ): { i0: Int32Array; i1: Int32Array; w1: Float64Array } {
    const i0 = new Int32Array(outSize);
    const i1 = new Int32Array(outSize);
    const w1 = new Float64Array(outSize);
    const scale = inSize / outSize;
    for (let o = 0; o < outSize; o++) {
      const src = Math.max(0, (o + 0.5) * scale - 0.5);
      const f = Math.min(Math.floor(src), inSize - 1);
      i0[o] = f;
      i1[o] = Math.min(f + 1, inSize - 1);
      w1[o] = src - f;
    }
    return { i0, i1, w1 };
  }

  resize(
    x: Storage,
    y: Storage,
    batch: number,
    inH: number,
    inW: number,
    outH: number,
    outW: number,
    c: number,
  ): void {
    const X = this.view(x);
    const Y = this.view(y);
    const ty = ArrayBackend.taps(inH, outH);
    const tx = ArrayBackend.taps(inW, outW);
    for (let b = 0; b < batch; b++) {
      for (let oy = 0; oy < outH; oy++) {
        const wy = ty.w1[oy];
        const r0 = (b * inH + ty.i0[oy]) * inW;
        const r1 = (b * inH + ty.i1[oy]) * inW;
        for (let ox = 0; ox < outW; ox++) {
          const wx = tx.w1[ox];
          const a = (r0 + tx.i0[ox]) * c;
          const bb = (r0 + tx.i1[ox]) * c;
          const cc = (r1 + tx.i0[ox]) * c;
          const d = (r1 + tx.i1[ox]) * c;
          const o = ((b * outH + oy) * outW + ox) * c;
          for (let k = 0; k < c; k++) {
            const top = X[a + k] + (X[bb + k] - X[a + k]) * wx;
            const bot = X[cc + k] + (X[d + k] - X[cc + k]) * wx;
            Y[o + k] = top + (bot - top) * wy;
          }
        }
      }
    }
  }

  resizeGrad(
    dy: Storage,
    dx: Storage,
    batch: number,
    inH: number,
    inW: number,
    outH: number,
    outW: number,
    c: number,
  ): void {
    const DY = this.view(dy);
    const DX = this.view(dx);
    const ty = ArrayBackend.taps(inH, outH);
    const tx = ArrayBackend.taps(inW, outW);
    for (let b = 0; b < batch; b++) {
      for (let oy = 0; oy < outH; oy++) {
        const wy = ty.w1[oy];
        const r0 = (b * inH + ty.i0[oy]) * inW;
        const r1 = (b * inH + ty.i1[oy]) * inW;
        for (let ox = 0; ox < outW; ox++) {
          const wx = tx.w1[ox];
          const o = ((b * outH + oy) * outW + ox) * c;
          const w00 = (1 - wy) * (1 - wx);
          const w01 = (1 - wy) * wx;
          const w10 = wy * (1 - wx);
          const w11 = wy * wx;
          const a = (r0 + tx.i0[ox]) * c;
          const bb = (r0 + tx.i1[ox]) * c;
          const cc = (r1 + tx.i0[ox]) * c;
          const d = (r1 + tx.i1[ox]) * c;
          for (let k = 0; k < c; k++) {
            const g = DY[o + k];
            DX[a + k] += g * w00;
            DX[bb + k] += g * w01;
            DX[cc + k] += g * w10;
            DX[d + k] += g * w11;
          }
        }
      }
    }
  }

  permute(x: Storage, shape: number[], perm: number[], out: Storage): void {
    const X = this.view(x);
    const O = this.view(out);
    const nd = shape.length;
    const inStrides = new Array<number>(nd);
    let s = 1;
    for (let d = nd - 1; d >= 0; d--) {
      inStrides[d] = s;
      s *= shape[d];
    }
    const outShape = perm.map((p) => shape[p]);
    const str = perm.map((p) => inStrides[p]);
    const idx = new Array<number>(nd).fill(0);
    let src = 0;
    for (let o = 0; o < s; o++) {
      O[o] = X[src];
      for (let d = nd - 1; d >= 0; d--) {
        idx[d]++;
        src += str[d];
        if (idx[d] < outShape[d]) break;
        src -= str[d] * outShape[d];
        idx[d] = 0;
      }
    }
  }

  adamw(p: Storage, g: Storage, m: Storage, v: Storage, n: number, h: AdamwHyper): void {
    adamwStep(this.view(p), this.view(g), this.view(m), this.view(v), n, h);
  }

  fakeQuant(x: Storage, y: Storage, offset: number, n: number, q: FakeQuantArgs): void {
    fakeQuantRows(this.view(x), this.view(y), offset, n, q);
  }

  fakeQuantGrad(x: Storage, dy: Storage, dx: Storage, offset: number, n: number, q: FakeQuantArgs): number {
    return fakeQuantGradRows(this.view(x), this.view(dy), this.view(dx), offset, n, q);
  }
}

/** Ties-to-even (JS Math.round rounds halves up). */
function roundTe(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  return d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
}

/** Backend.fakeQuant as a loop over arrays; x/s is the f32 quotient, as the kernels divide. */
export function fakeQuantRows(X: FArray, Y: FArray, offset: number, n: number, q: FakeQuantArgs): void {
  const round = q.rounding === 'floor' ? Math.floor : roundTe;
  const lo = q.qmin - q.zeroPoint;
  const hi = q.qmax - q.zeroPoint;
  for (let i = offset; i < offset + n; i++) {
    const r = round(Math.fround(X[i] / q.scale));
    Y[i] = (r < lo ? lo : Math.min(r, hi)) * q.scale;
  }
}

/** Backend.fakeQuantGrad as a loop over arrays (x/s in f64 here). */
export function fakeQuantGradRows(
  X: FArray,
  DY: FArray,
  DX: FArray,
  offset: number,
  n: number,
  q: FakeQuantArgs,
): number {
  const round = q.rounding === 'floor' ? Math.floor : roundTe;
  const lo = q.qmin - q.zeroPoint;
  const hi = q.qmax - q.zeroPoint;
  let sum = 0;
  for (let i = offset; i < offset + n; i++) {
    const v = X[i] / q.scale;
    const r = round(v);
    let d: number;
    if (r < lo) {
      DX[i] = 0;
      d = lo;
    } else if (r > hi) {
      DX[i] = 0;
      d = hi;
    } else {
      DX[i] = DY[i];
      d = r - v;
    }
    sum += DY[i] * d;
  }
  return sum;
}

/** Backend.adamw as a loop over arrays (f64 arithmetic, stored at the arrays' precision). */
export function adamwStep(P: FArray, G: FArray, M: FArray, V: FArray, n: number, h: AdamwHyper): void {
  const bc1 = 1 - h.beta1 ** h.step;
  const bc2 = 1 - h.beta2 ** h.step;
  const decay = 1 - h.lr * h.weightDecay;
  for (let i = 0; i < n; i++) {
    const gi = G[i];
    M[i] = h.beta1 * M[i] + (1 - h.beta1) * gi;
    V[i] = h.beta2 * V[i] + (1 - h.beta2) * gi * gi;
    P[i] = P[i] * decay - (h.lr * (M[i] / bc1)) / (Math.sqrt(V[i] / bc2) + h.eps);
  }
}
