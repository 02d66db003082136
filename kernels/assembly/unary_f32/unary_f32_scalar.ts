// unary_f32_scalar.ts — elementwise f32 activations and their backward, scalar (hosts without SIMD;
// also the readable statement of what unary_f32_simd.ts vectorizes, lane by lane, bit for bit).
//
// <op>_f32(x, y, n):             y[i] = f(x[i]), i < n
// <op>_grad_f32(x, y, dy, dx, n): dx[i] = dy[i]·f'(x[i]); the ops whose derivative is cheaper from the
//   output (exp, sqrt, rsqrt, sigmoid, tanh) read y = f(x), as ArrayBackend.unaryDerivative does.
//   Every backward takes both x and y; the one it does not read may be 0 (see unary_ops.ts).
// ops: neg, exp, log, sqrt, rsqrt, abs, square, relu, gelu (exact erf GELU, PyTorch nn.GELU()),
//   sigmoid, tanh, hardswish, hardsigmoid, and erf (forward only).
// Layout: contiguous f32, n ≥ 0. In place is allowed (y == x; dx == dy, dx == x or dx == y); any other
//   overlap is not (debug builds trap).
// Special values follow the TS loop (Math.*): NaN in → NaN out; relu(−0) = +0; log(±0) = −∞, log(x < 0)
//   = NaN; rsqrt(+0) = +∞. Results below 2^−126 of exp and sigmoid are flushed to +0 (the TS loop keeps
//   the subnormal: |difference| < 1.2e−38). At ±∞ gelu gives its limits (+∞, and −5.9e−9 at −∞ from
//   the clamp below) where the TS loop computes ∞·0 = NaN; gelu'(±∞) likewise gives 1 and −3.5e−8.
// Numerics (measured against the f64 twin in kernels/test/unary_f32.test.ts):
//   exact (one rounding, same bits as the f32 TS loop): neg, abs, square, relu, sqrt; backward of neg,
//     exp, square, relu, abs.
//   exp: exp_poly.ts's reduction and degree-6 polynomial, extended to t > 0 (≤ 2 ulp); sigmoid and tanh
//     through it (≤ 2–3 ulp); log: FreeBSD logf (≤ 1 ulp); rsqrt, hardsigmoid, hardswish: two or three
//     roundings (≤ 2 ulp).
//   gelu: Φc(a) = 1 − Φ(a) = e^(−a²/2)·G(a) (a = |x|, G rational (3,3), unary_consts.ts) and
//     gelu(x) = max(x, 0) − a·Φc(a), which is x·Φ(x) for either sign without cancellation. The Φ it
//     implies is within 1e−7 of the true one (erf within 2e−7), so |gelu − gelu_f64| ≤ ½ulp + |x|·1e−7.
//   gelu': Φ(x) + x·φ(x) = x ≥ 0 ? 1 − K : K with K = e^(−a²/2)·(G(a) − a/√(2π)): ≤ 2e−7 absolute.
//   erf: z + z·R(z²) for |z| < ½, else ±(1 − e^(−z²)·erfcx(|z|)) with the GELU rational rescaled:
//     ≤ 2e−7 absolute (≤ 3 ulp).
// Twin: kernels/ref/unary_f32.ts.
import { C2, C3, C4, C5, C6, CUTOFF, LOG2E, MAGIC, MINUS_LN2_HI, MINUS_LN2_LO } from '../softmax/exp_poly';
import { checkInOut, checkSpan } from '../spans';
import {
  ER0, ER1, ER2, ER3, ER4, ERF_CLAMP, ERF_SMALL, EXP_MAX_ARG, GELU_CLAMP, GP0, GP1, GP2, GP3, GQ0, GQ1,
  GQ2, INV_SQRT_2PI, LG1, LG2, LG3, LG4, LN2_HI, LN2_LO, LOG_OFFSET, MIN_NORMAL, MINUS_LN2,
  SQRT_HALF_BITS, T0, T1, T2, T3, T4, TANH_SMALL, TWO_POW_23, XP0, XP1, XP2, XP3, XQ0, XQ1, XQ2,
} from './unary_consts';
import {
  ABS, ERF, EXP, GELU, HARDSIGMOID, HARDSWISH, LOG, NEG, RELU, RSQRT, SIGMOID, SQRT, SQUARE, TANH,
  readsX, readsY,
} from './unary_ops';

// f32x4.pmin / pmax, spelled out: pmin(a, b) = b < a ? b : a (keeps a when the compare fails on NaN).
// @ts-ignore: decorator
@inline function pmin(a: f32, b: f32): f32 {
  return b < a ? b : a;
}
// @ts-ignore: decorator
@inline function pmax(a: f32, b: f32): f32 {
  return a < b ? b : a;
}
// @ts-ignore: decorator
@inline function bits(v: f32): i32 {
  return reinterpret<i32>(v);
}
// @ts-ignore: decorator
@inline function float(v: i32): f32 {
  return reinterpret<f32>(v);
}

// e^t for any t (see unary_f32_simd.ts exp4).
// @ts-ignore: decorator
@inline function expAny(x: f32): f32 {
  const t = pmin(x, EXP_MAX_ARG);
  const pos: i32 = t > <f32>0 ? -1 : 0;
  let n: f32 = t * LOG2E + MAGIC;
  const s = float((bits(n) + pos) << 23);
  n = n - MAGIC;
  let r: f32 = n * MINUS_LN2_HI + t;
  r = n * MINUS_LN2_LO + r;
  let p: f32 = C6 * r + C5;
  p = p * r + C4;
  p = p * r + C3;
  p = p * r + C2;
  p = p * r + <f32>1;
  r = r * s;
  let f: f32 = r * p + s;
  f = f + float(bits(f) & pos);
  return t < CUTOFF ? <f32>0 : f;
}

// e^(−a²/2), 0 ≤ a ≤ 6.
// @ts-ignore: decorator
@inline function gauss(a: f32): f32 {
  const t: f32 = a * <f32>-0.5 * a;
  let n: f32 = t * LOG2E + MAGIC;
  const s = float(bits(n) << 23);
  n = n - MAGIC;
  let r: f32 = n * MINUS_LN2 + t;
  let p: f32 = C6 * r + C5;
  p = p * r + C4;
  p = p * r + C3;
  p = p * r + C2;
  p = p * r + <f32>1;
  r = r * s;
  return r * p + s;
}

// @ts-ignore: decorator
@inline function geluG(a: f32): f32 {
  let p: f32 = GP3 * a + GP2;
  p = p * a + GP1;
  p = p * a + GP0;
  let q: f32 = a + GQ2;
  q = q * a + GQ1;
  q = q * a + GQ0;
  return p / q;
}

// @ts-ignore: decorator
@inline function gelu(x: f32): f32 {
  const a = pmin(abs<f32>(x), GELU_CLAMP);
  const phic: f32 = gauss(a) * geluG(a);
  return pmax(x, 0) - a * phic;
}

// @ts-ignore: decorator
@inline function geluDeriv(x: f32): f32 {
  const a = pmin(abs<f32>(x), GELU_CLAMP);
  const g: f32 = geluG(a) - a * INV_SQRT_2PI;
  const k: f32 = gauss(a) * g;
  return x >= <f32>0 ? <f32>1 - k : k;
}

// @ts-ignore: decorator
@inline function erf(z: f32): f32 {
  const a = abs<f32>(z);
  const w: f32 = z * z;
  let r: f32 = ER4 * w + ER3;
  r = r * w + ER2;
  r = r * w + ER1;
  r = r * w + ER0;
  const small: f32 = z + z * r;
  const ac = pmin(a, ERF_CLAMP);
  const t: f32 = -(ac * ac);
  let n: f32 = t * LOG2E + MAGIC;
  const s = float(bits(n) << 23);
  n = n - MAGIC;
  let u: f32 = n * MINUS_LN2 + t;
  let p: f32 = C6 * u + C5;
  p = p * u + C4;
  p = p * u + C3;
  p = p * u + C2;
  p = p * u + <f32>1;
  u = u * s;
  const e: f32 = u * p + s;
  let xp: f32 = XP3 * ac + XP2;
  xp = xp * ac + XP1;
  xp = xp * ac + XP0;
  let xq: f32 = ac + XQ2;
  xq = xq * ac + XQ1;
  xq = xq * ac + XQ0;
  const big: f32 = <f32>1 - e * (xp / xq);
  const large = float(bits(big) | (bits(z) & 0x80000000));
  return a < ERF_SMALL ? small : large;
}

// @ts-ignore: decorator
@inline function sigmoid(x: f32): f32 {
  const e = expAny(-abs<f32>(x));
  const num: f32 = x >= <f32>0 ? <f32>1 : e;
  return num / (<f32>1 + e);
}

// @ts-ignore: decorator
@inline function tanh(x: f32): f32 {
  const a = abs<f32>(x);
  const w: f32 = x * x;
  let p: f32 = T4 * w + T3;
  p = p * w + T2;
  p = p * w + T1;
  p = p * w + T0;
  const small: f32 = x + x * (w * p);
  const e = expAny(a * <f32>-2);
  const big: f32 = (<f32>1 - e) / (<f32>1 + e);
  const large = float(bits(big) | (bits(x) & 0x80000000));
  return a < TANH_SMALL ? small : large;
}

// @ts-ignore: decorator
@inline function log(x0: f32): f32 {
  const sub = x0 < MIN_NORMAL;
  const x: f32 = sub ? x0 * TWO_POW_23 : x0;
  let ix = bits(x) + LOG_OFFSET;
  const k = (ix >> 23) - 0x7f + (sub ? -23 : 0);
  ix = (ix & 0x007fffff) + SQRT_HALF_BITS;
  const f: f32 = float(ix) - <f32>1;
  const s: f32 = f / (<f32>2 + f);
  const z: f32 = s * s;
  const w: f32 = z * z;
  const t1: f32 = w * (LG2 + w * LG4);
  const t2: f32 = z * (LG1 + w * LG3);
  const r: f32 = t2 + t1;
  const hfsq: f32 = <f32>0.5 * f * f;
  const dk = <f32>k;
  let y: f32 = s * (hfsq + r) + dk * LN2_LO;
  y = y - hfsq + f + dk * LN2_HI;
  if (x0 > <f32>0 && x0 < <f32>Infinity) return y;
  return x0 == <f32>0 ? <f32>-Infinity : x0 == <f32>Infinity ? <f32>Infinity : <f32>NaN;
}

// @ts-ignore: decorator
@inline function hardswish(x: f32): f32 {
  if (x <= <f32>-3) return 0;
  if (x >= <f32>3) return x;
  return (x * (x + <f32>3)) / <f32>6;
}

// @ts-ignore: decorator
@inline function hardsigmoid(x: f32): f32 {
  if (x <= <f32>-3) return 0;
  if (x >= <f32>3) return 1;
  return x / <f32>6 + <f32>0.5;
}

// @ts-ignore: decorator
@inline function fwd(op: i32, x: f32): f32 {
  if (op == NEG) return -x;
  if (op == EXP) return expAny(x);
  if (op == LOG) return log(x);
  if (op == SQRT) return sqrt<f32>(x);
  if (op == RSQRT) return <f32>1 / sqrt<f32>(x);
  if (op == ABS) return abs<f32>(x);
  if (op == SQUARE) return x * x;
  // Math.max(x, 0): pmax keeps NaN and −0; + 0 turns −0 into +0.
  if (op == RELU) return pmax(x, 0) + <f32>0;
  if (op == GELU) return gelu(x);
  if (op == SIGMOID) return sigmoid(x);
  if (op == TANH) return tanh(x);
  if (op == HARDSWISH) return hardswish(x);
  if (op == HARDSIGMOID) return hardsigmoid(x);
  return erf(x); // ERF
}

// @ts-ignore: decorator
@inline function grad(op: i32, x: f32, y: f32, dy: f32): f32 {
  if (op == NEG) return -dy;
  if (op == EXP) return dy * y;
  if (op == LOG) return dy / x;
  if (op == SQRT) return (dy / y) * <f32>0.5;
  // −½·y/x·dy with the division last: no intermediate overflow unless the result overflows.
  if (op == RSQRT) return ((dy * y) * <f32>-0.5) / x;
  if (op == ABS) return dy * (x > <f32>0 ? <f32>1 : x < <f32>0 ? <f32>-1 : <f32>0);
  if (op == SQUARE) return dy * (x + x);
  if (op == RELU) return dy * (x > <f32>0 ? <f32>1 : <f32>0);
  if (op == GELU) return dy * geluDeriv(x);
  if (op == SIGMOID) return dy * (y * (<f32>1 - y));
  // 1 − y² as (1 − y)(1 + y): exact factor where |y| ≥ ½, no cancellation near |y| = 1.
  if (op == TANH) return dy * ((<f32>1 - y) * (<f32>1 + y));
  if (op == HARDSWISH) {
    const d: f32 = x <= <f32>-3 ? <f32>0 : x >= <f32>3 ? <f32>1 : (x + x + <f32>3) / <f32>6;
    return dy * d;
  }
  // HARDSIGMOID: dy/6 inside (−3, 3) (and for NaN), dy·0 outside.
  return x <= <f32>-3 || x >= <f32>3 ? dy * <f32>0 : dy / <f32>6;
}

// @ts-ignore: decorator
@inline function mapForward(op: i32, x: usize, y: usize, n: i32): void {
  checkSpan(x, n);
  checkSpan(y, n);
  checkInOut(x, n, y, n);
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, fwd(op, load<f32>(x + o)));
  }
}

// @ts-ignore: decorator
@inline function mapGrad(op: i32, x: usize, y: usize, dy: usize, dx: usize, n: i32): void {
  const rx = readsX(op);
  const ry = readsY(op);
  checkSpan(dy, n);
  checkSpan(dx, n);
  checkInOut(dy, n, dx, n);
  if (rx) {
    checkSpan(x, n);
    checkInOut(x, n, dx, n);
  }
  if (ry) {
    checkSpan(y, n);
    checkInOut(y, n, dx, n);
  }
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const xv: f32 = rx ? load<f32>(x + o) : 0;
    const yv: f32 = ry ? load<f32>(y + o) : 0;
    store<f32>(dx + o, grad(op, xv, yv, load<f32>(dy + o)));
  }
}

export function neg_f32__scalar(x: usize, y: usize, n: i32): void {
  mapForward(NEG, x, y, n);
}
export function exp_f32__scalar(x: usize, y: usize, n: i32): void {
  mapForward(EXP, x, y, n);
}
export function log_f32__scalar(x: usize, y: usize, n: i32): void {
  mapForward(LOG, x, y, n);
}
export function sqrt_f32__scalar(x: usize, y: usize, n: i32): void {
  mapForward(SQRT, x, y, n);
}
export function rsqrt_f32__scalar(x: usize, y: usize, n: i32): void {
  mapForward(RSQRT, x, y, n);
}
export function abs_f32__scalar(x: usize, y: usize, n: i32): void {
  mapForward(ABS, x, y, n);
}
export function square_f32__scalar(x: usize, y: usize, n: i32): void {
  mapForward(SQUARE, x, y, n);
}
export function relu_f32__scalar(x: usize, y: usize, n: i32): void {
  mapForward(RELU, x, y, n);
}
export function gelu_f32__scalar(x: usize, y: usize, n: i32): void {
  mapForward(GELU, x, y, n);
}
export function sigmoid_f32__scalar(x: usize, y: usize, n: i32): void {
  mapForward(SIGMOID, x, y, n);
}
export function tanh_f32__scalar(x: usize, y: usize, n: i32): void {
  mapForward(TANH, x, y, n);
}
export function hardswish_f32__scalar(x: usize, y: usize, n: i32): void {
  mapForward(HARDSWISH, x, y, n);
}
export function hardsigmoid_f32__scalar(x: usize, y: usize, n: i32): void {
  mapForward(HARDSIGMOID, x, y, n);
}
export function erf_f32__scalar(x: usize, y: usize, n: i32): void {
  mapForward(ERF, x, y, n);
}

export function neg_grad_f32__scalar(x: usize, y: usize, dy: usize, dx: usize, n: i32): void {
  mapGrad(NEG, x, y, dy, dx, n);
}
export function exp_grad_f32__scalar(x: usize, y: usize, dy: usize, dx: usize, n: i32): void {
  mapGrad(EXP, x, y, dy, dx, n);
}
export function log_grad_f32__scalar(x: usize, y: usize, dy: usize, dx: usize, n: i32): void {
  mapGrad(LOG, x, y, dy, dx, n);
}
export function sqrt_grad_f32__scalar(x: usize, y: usize, dy: usize, dx: usize, n: i32): void {
  mapGrad(SQRT, x, y, dy, dx, n);
}
export function rsqrt_grad_f32__scalar(x: usize, y: usize, dy: usize, dx: usize, n: i32): void {
  mapGrad(RSQRT, x, y, dy, dx, n);
}
export function abs_grad_f32__scalar(x: usize, y: usize, dy: usize, dx: usize, n: i32): void {
  mapGrad(ABS, x, y, dy, dx, n);
}
export function square_grad_f32__scalar(x: usize, y: usize, dy: usize, dx: usize, n: i32): void {
  mapGrad(SQUARE, x, y, dy, dx, n);
}
export function relu_grad_f32__scalar(x: usize, y: usize, dy: usize, dx: usize, n: i32): void {
  mapGrad(RELU, x, y, dy, dx, n);
}
export function gelu_grad_f32__scalar(x: usize, y: usize, dy: usize, dx: usize, n: i32): void {
  mapGrad(GELU, x, y, dy, dx, n);
}
export function sigmoid_grad_f32__scalar(x: usize, y: usize, dy: usize, dx: usize, n: i32): void {
  mapGrad(SIGMOID, x, y, dy, dx, n);
}
export function tanh_grad_f32__scalar(x: usize, y: usize, dy: usize, dx: usize, n: i32): void {
  mapGrad(TANH, x, y, dy, dx, n);
}
export function hardswish_grad_f32__scalar(x: usize, y: usize, dy: usize, dx: usize, n: i32): void {
  mapGrad(HARDSWISH, x, y, dy, dx, n);
}
export function hardsigmoid_grad_f32__scalar(x: usize, y: usize, dy: usize, dx: usize, n: i32): void {
  mapGrad(HARDSIGMOID, x, y, dy, dx, n);
}
