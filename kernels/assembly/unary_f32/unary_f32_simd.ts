// unary_f32_simd.ts — elementwise f32 activations and their backward, WASM SIMD128, 16 elements a step.
//
// <op>_f32:      y[i] = f(x[i]),                  i < n
// <op>_grad_f32: dx[i] = dy[i]·f'(x[i]) (or from y[i] = f(x[i]) for exp, sqrt, rsqrt, sigmoid, tanh)
// Same ops, layout, aliasing, special values and numerical methods as unary_f32_scalar.ts, whose header
// is the contract of both files; every lane performs the scalar file's IEEE operations in the same
// order, so the two variants give the same bits.
// Reads up to 12 bytes past the last element of each input (the 1–3 trailing elements are loaded as
// one vector; callers pad inputs by 16 bytes, as the arena does); writes only the n outputs (trailing
// ones with 64/32-bit lane stores).
// Constants are splatted from a data segment (v128.load32_splat = one vbroadcastss) rather than built
// with f32x4.splat(const), which V8 re-materializes inside the loop (mov + movq + punpck per use).
// Twin: kernels/ref/unary_f32.ts (ArrayBackend's unaryFn / unaryDerivative in f64).
import { C2, C3, C4, C5, C6, CUTOFF, LOG2E, MAGIC, MINUS_LN2_HI, MINUS_LN2_LO } from '../softmax/exp_poly';
import { storeLanes } from '../lanes';
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

// ---- constants in memory ----------------------------------------------------------------------------
const kZero = memory.data<f32>([0.0]);
const kOne = memory.data<f32>([1.0]);
const kHalf = memory.data<f32>([0.5]);
const kMinusHalf = memory.data<f32>([-0.5]);
const kThree = memory.data<f32>([3.0]);
const kMinusThree = memory.data<f32>([-3.0]);
const kSix = memory.data<f32>([6.0]);
const kMinusOne = memory.data<f32>([-1.0]);
const kTwo = memory.data<f32>([2.0]);
const kMinusTwo = memory.data<f32>([-2.0]);
const kInf = memory.data<f32>([Infinity]);
const kNaN = memory.data<f32>([NaN]);
const kMinusInf = memory.data<f32>([-Infinity]);
const kSignMask = memory.data<i32>([0x80000000]);
const kLog2e = memory.data<f32>([LOG2E]);
const kMagic = memory.data<f32>([MAGIC]);
const kMinusLn2Hi = memory.data<f32>([MINUS_LN2_HI]);
const kMinusLn2Lo = memory.data<f32>([MINUS_LN2_LO]);
const kMinusLn2 = memory.data<f32>([MINUS_LN2]);
const kCutoff = memory.data<f32>([CUTOFF]);
const kExpMax = memory.data<f32>([EXP_MAX_ARG]);
const kC2 = memory.data<f32>([C2]);
const kC3 = memory.data<f32>([C3]);
const kC4 = memory.data<f32>([C4]);
const kC5 = memory.data<f32>([C5]);
const kC6 = memory.data<f32>([C6]);
const kGeluClamp = memory.data<f32>([GELU_CLAMP]);
const kGP0 = memory.data<f32>([GP0]);
const kGP1 = memory.data<f32>([GP1]);
const kGP2 = memory.data<f32>([GP2]);
const kGP3 = memory.data<f32>([GP3]);
const kGQ0 = memory.data<f32>([GQ0]);
const kGQ1 = memory.data<f32>([GQ1]);
const kGQ2 = memory.data<f32>([GQ2]);
const kInvSqrt2Pi = memory.data<f32>([INV_SQRT_2PI]);
const kErfSmall = memory.data<f32>([ERF_SMALL]);
const kErfClamp = memory.data<f32>([ERF_CLAMP]);
const kER0 = memory.data<f32>([ER0]);
const kER1 = memory.data<f32>([ER1]);
const kER2 = memory.data<f32>([ER2]);
const kER3 = memory.data<f32>([ER3]);
const kER4 = memory.data<f32>([ER4]);
const kXP0 = memory.data<f32>([XP0]);
const kXP1 = memory.data<f32>([XP1]);
const kXP2 = memory.data<f32>([XP2]);
const kXP3 = memory.data<f32>([XP3]);
const kXQ0 = memory.data<f32>([XQ0]);
const kXQ1 = memory.data<f32>([XQ1]);
const kXQ2 = memory.data<f32>([XQ2]);
const kTanhSmall = memory.data<f32>([TANH_SMALL]);
const kT0 = memory.data<f32>([T0]);
const kT1 = memory.data<f32>([T1]);
const kT2 = memory.data<f32>([T2]);
const kT3 = memory.data<f32>([T3]);
const kT4 = memory.data<f32>([T4]);
const kLn2Hi = memory.data<f32>([LN2_HI]);
const kLn2Lo = memory.data<f32>([LN2_LO]);
const kLg1 = memory.data<f32>([LG1]);
const kLg2 = memory.data<f32>([LG2]);
const kLg3 = memory.data<f32>([LG3]);
const kLg4 = memory.data<f32>([LG4]);
const kLogOffset = memory.data<i32>([LOG_OFFSET]);
const kSqrtHalfBits = memory.data<i32>([SQRT_HALF_BITS]);
const kMantMask = memory.data<i32>([0x007fffff]);
const kBias = memory.data<i32>([0x7f]);
const kMinNormal = memory.data<f32>([MIN_NORMAL]);
const kTwoPow23 = memory.data<f32>([TWO_POW_23]);
const kMinus23 = memory.data<i32>([-23]);

// @ts-ignore: decorator
@inline function K(p: usize): v128 {
  return v128.load32_splat(p);
}

// ---- building blocks (the scalar file performs the same operations) ----------------------------------

// e^t for any t: exp_poly.ts's method, with the scale built as 2^(n−1) and doubled where t > 0 so that
// n = 128 (t ∈ [88.38, 88.72]) still has a valid exponent field; t > 89 is clamped (the result is +∞
// either way), t < −87.34 gives +0, NaN stays NaN.
// @ts-ignore: decorator
@inline function exp4(x: v128): v128 {
  const t = f32x4.pmin(x, K(kExpMax)); // pmin keeps a NaN x (89 < NaN is false)
  const pos = f32x4.gt(t, K(kZero));
  let n = f32x4.add(f32x4.mul(t, K(kLog2e)), K(kMagic));
  const s = i32x4.shl(i32x4.add(n, pos), 23); // 2^n, or 2^(n−1) where t > 0 (pos lanes are −1)
  n = f32x4.sub(n, K(kMagic));
  let r = f32x4.add(f32x4.mul(n, K(kMinusLn2Hi)), t);
  r = f32x4.add(f32x4.mul(n, K(kMinusLn2Lo)), r);
  let p = f32x4.add(f32x4.mul(K(kC6), r), K(kC5));
  p = f32x4.add(f32x4.mul(p, r), K(kC4));
  p = f32x4.add(f32x4.mul(p, r), K(kC3));
  p = f32x4.add(f32x4.mul(p, r), K(kC2));
  p = f32x4.add(f32x4.mul(p, r), K(kOne));
  r = f32x4.mul(r, s);
  let f = f32x4.add(f32x4.mul(r, p), s);
  f = f32x4.add(f, v128.and(f, pos)); // ×2 in the t > 0 lanes (overflows to +∞ past 88.72)
  return v128.andnot(f, f32x4.lt(t, K(kCutoff)));
}

// e^(−a²/2) for 0 ≤ a ≤ 6 (GELU's Gaussian): one-step reduction with −ln2 rounded to f32 (n ≥ −26,
// see unary_consts.ts), exp_poly's polynomial, no range checks (t ≥ −18).
// @ts-ignore: decorator
@inline function gauss4(a: v128): v128 {
  const t = f32x4.mul(f32x4.mul(a, K(kMinusHalf)), a);
  let n = f32x4.add(f32x4.mul(t, K(kLog2e)), K(kMagic));
  const s = i32x4.shl(n, 23);
  n = f32x4.sub(n, K(kMagic));
  let r = f32x4.add(f32x4.mul(n, K(kMinusLn2)), t);
  let p = f32x4.add(f32x4.mul(K(kC6), r), K(kC5));
  p = f32x4.add(f32x4.mul(p, r), K(kC4));
  p = f32x4.add(f32x4.mul(p, r), K(kC3));
  p = f32x4.add(f32x4.mul(p, r), K(kC2));
  p = f32x4.add(f32x4.mul(p, r), K(kOne));
  r = f32x4.mul(r, s);
  return f32x4.add(f32x4.mul(r, p), s);
}

// G(a) = ½·erfcx(a/√2), so that Φc(a) = e^(−a²/2)·G(a); rational (3,3), a ∈ [0, 6].
// @ts-ignore: decorator
@inline function geluG4(a: v128): v128 {
  let p = f32x4.add(f32x4.mul(K(kGP3), a), K(kGP2));
  p = f32x4.add(f32x4.mul(p, a), K(kGP1));
  p = f32x4.add(f32x4.mul(p, a), K(kGP0));
  let q = f32x4.add(a, K(kGQ2));
  q = f32x4.add(f32x4.mul(q, a), K(kGQ1));
  q = f32x4.add(f32x4.mul(q, a), K(kGQ0));
  return f32x4.div(p, q);
}

// gelu(x) = x·Φ(x) = max(x, 0) − a·Φc(a), a = min(|x|, 6).
// @ts-ignore: decorator
@inline function gelu4(x: v128): v128 {
  const a = f32x4.pmin(f32x4.abs(x), K(kGeluClamp)); // NaN stays NaN
  const phic = f32x4.mul(gauss4(a), geluG4(a));
  return f32x4.sub(f32x4.pmax(x, K(kZero)), f32x4.mul(a, phic));
}

// gelu'(x) = Φ(x) + x·φ(x) = x ≥ 0 ? 1 − K : K, K = e^(−a²/2)·(G(a) − a/√(2π)).
// @ts-ignore: decorator
@inline function geluDeriv4(x: v128): v128 {
  const a = f32x4.pmin(f32x4.abs(x), K(kGeluClamp));
  const g = f32x4.sub(geluG4(a), f32x4.mul(a, K(kInvSqrt2Pi)));
  const k = f32x4.mul(gauss4(a), g);
  return v128.bitselect(f32x4.sub(K(kOne), k), k, f32x4.ge(x, K(kZero)));
}

// erf(z): z + z·R(z²) for |z| < ½, else ±(1 − e^(−z²)·erfcx(|z|)).
// @ts-ignore: decorator
@inline function erf4(z: v128): v128 {
  const a = f32x4.abs(z);
  const w = f32x4.mul(z, z);
  let r = f32x4.add(f32x4.mul(K(kER4), w), K(kER3));
  r = f32x4.add(f32x4.mul(r, w), K(kER2));
  r = f32x4.add(f32x4.mul(r, w), K(kER1));
  r = f32x4.add(f32x4.mul(r, w), K(kER0));
  const small = f32x4.add(z, f32x4.mul(z, r));
  const ac = f32x4.pmin(a, K(kErfClamp));
  // e^(−ac²) = gauss4(ac·√2) would round the argument; the same steps on t = −ac² directly:
  const t = f32x4.neg(f32x4.mul(ac, ac));
  let n = f32x4.add(f32x4.mul(t, K(kLog2e)), K(kMagic));
  const s = i32x4.shl(n, 23);
  n = f32x4.sub(n, K(kMagic));
  let u = f32x4.add(f32x4.mul(n, K(kMinusLn2)), t);
  let p = f32x4.add(f32x4.mul(K(kC6), u), K(kC5));
  p = f32x4.add(f32x4.mul(p, u), K(kC4));
  p = f32x4.add(f32x4.mul(p, u), K(kC3));
  p = f32x4.add(f32x4.mul(p, u), K(kC2));
  p = f32x4.add(f32x4.mul(p, u), K(kOne));
  u = f32x4.mul(u, s);
  const e = f32x4.add(f32x4.mul(u, p), s);
  let xp = f32x4.add(f32x4.mul(K(kXP3), ac), K(kXP2));
  xp = f32x4.add(f32x4.mul(xp, ac), K(kXP1));
  xp = f32x4.add(f32x4.mul(xp, ac), K(kXP0));
  let xq = f32x4.add(ac, K(kXQ2));
  xq = f32x4.add(f32x4.mul(xq, ac), K(kXQ1));
  xq = f32x4.add(f32x4.mul(xq, ac), K(kXQ0));
  const big = f32x4.sub(K(kOne), f32x4.mul(e, f32x4.div(xp, xq)));
  const large = v128.or(big, v128.and(z, K(kSignMask))); // big ≥ 0: copy the sign of z
  return v128.bitselect(small, large, f32x4.lt(a, K(kErfSmall)));
}

// sigmoid(x) = (x ≥ 0 ? 1 : e)/(1 + e), e = e^(−|x|) ≤ 1: no overflow, e/(1 + e) for x < 0 keeps
// the relative accuracy of e.
// @ts-ignore: decorator
@inline function sigmoid4(x: v128): v128 {
  const e = exp4(f32x4.neg(f32x4.abs(x)));
  const num = v128.bitselect(K(kOne), e, f32x4.ge(x, K(kZero)));
  return f32x4.div(num, f32x4.add(K(kOne), e));
}

// tanh(x): x + x·(x²·T(x²)) for |x| < 0.625, else ±(1 − e)/(1 + e), e = e^(−2|x|).
// @ts-ignore: decorator
@inline function tanh4(x: v128): v128 {
  const a = f32x4.abs(x);
  const w = f32x4.mul(x, x);
  let p = f32x4.add(f32x4.mul(K(kT4), w), K(kT3));
  p = f32x4.add(f32x4.mul(p, w), K(kT2));
  p = f32x4.add(f32x4.mul(p, w), K(kT1));
  p = f32x4.add(f32x4.mul(p, w), K(kT0));
  const small = f32x4.add(x, f32x4.mul(x, f32x4.mul(w, p)));
  const e = exp4(f32x4.mul(a, K(kMinusTwo)));
  const big = f32x4.div(f32x4.sub(K(kOne), e), f32x4.add(K(kOne), e));
  const large = v128.or(big, v128.and(x, K(kSignMask)));
  return v128.bitselect(small, large, f32x4.lt(a, K(kTanhSmall)));
}

// log(x) (FreeBSD/musl logf, see unary_consts.ts); 0 → −∞, x < 0 → NaN, +∞ → +∞, NaN → NaN,
// subnormals scaled by 2^23 first.
// @ts-ignore: decorator
@inline function log4(x0: v128): v128 {
  const sub = f32x4.lt(x0, K(kMinNormal));
  const x = v128.bitselect(f32x4.mul(x0, K(kTwoPow23)), x0, sub);
  let ix = i32x4.add(x, K(kLogOffset));
  const k = i32x4.add(i32x4.sub(i32x4.shr_s(ix, 23), K(kBias)), v128.and(sub, K(kMinus23)));
  ix = i32x4.add(v128.and(ix, K(kMantMask)), K(kSqrtHalfBits));
  const f = f32x4.sub(ix, K(kOne));
  const s = f32x4.div(f, f32x4.add(K(kTwo), f));
  const z = f32x4.mul(s, s);
  const w = f32x4.mul(z, z);
  const t1 = f32x4.mul(w, f32x4.add(K(kLg2), f32x4.mul(w, K(kLg4))));
  const t2 = f32x4.mul(z, f32x4.add(K(kLg1), f32x4.mul(w, K(kLg3))));
  const r = f32x4.add(t2, t1);
  const hfsq = f32x4.mul(f32x4.mul(K(kHalf), f), f);
  const dk = f32x4.convert_i32x4_s(k);
  // s·(hfsq + R) + dk·ln2_lo − hfsq + f + dk·ln2_hi, left to right
  let y = f32x4.add(f32x4.mul(s, f32x4.add(hfsq, r)), f32x4.mul(dk, K(kLn2Lo)));
  y = f32x4.add(f32x4.add(f32x4.sub(y, hfsq), f), f32x4.mul(dk, K(kLn2Hi)));
  // Outside (0, +∞): 0 → −∞, +∞ → +∞, negative or NaN → NaN.
  const ok = v128.and(f32x4.gt(x0, K(kZero)), f32x4.lt(x0, K(kInf)));
  const special = v128.bitselect(
    K(kMinusInf),
    v128.bitselect(K(kInf), K(kNaN), f32x4.eq(x0, K(kInf))),
    f32x4.eq(x0, K(kZero)),
  );
  return v128.bitselect(y, special, ok);
}

// hardswish(x) = x ≤ −3 ? 0 : x ≥ 3 ? x : x·(x + 3)/6
// @ts-ignore: decorator
@inline function hardswish4(x: v128): v128 {
  const mid = f32x4.div(f32x4.mul(x, f32x4.add(x, K(kThree))), K(kSix));
  const r = v128.bitselect(x, mid, f32x4.ge(x, K(kThree)));
  return v128.andnot(r, f32x4.le(x, K(kMinusThree)));
}

// hardsigmoid(x) = x ≤ −3 ? 0 : x ≥ 3 ? 1 : x/6 + ½
// @ts-ignore: decorator
@inline function hardsigmoid4(x: v128): v128 {
  const mid = f32x4.add(f32x4.div(x, K(kSix)), K(kHalf));
  const r = v128.bitselect(K(kOne), mid, f32x4.ge(x, K(kThree)));
  return v128.andnot(r, f32x4.le(x, K(kMinusThree)));
}

// ---- y = f(x) ---------------------------------------------------------------------------------------
// @ts-ignore: decorator
@inline function fwd4(op: i32, x: v128): v128 {
  if (op == NEG) return f32x4.neg(x);
  if (op == EXP) return exp4(x);
  if (op == LOG) return log4(x);
  if (op == SQRT) return f32x4.sqrt(x);
  if (op == RSQRT) return f32x4.div(K(kOne), f32x4.sqrt(x));
  if (op == ABS) return f32x4.abs(x);
  if (op == SQUARE) return f32x4.mul(x, x);
  // Math.max(x, 0): pmax (one maxps) keeps NaN and −0; + 0 turns −0 into +0 (f32x4.max costs ~6 ops).
  if (op == RELU) return f32x4.add(f32x4.pmax(x, K(kZero)), K(kZero));
  if (op == GELU) return gelu4(x);
  if (op == SIGMOID) return sigmoid4(x);
  if (op == TANH) return tanh4(x);
  if (op == HARDSWISH) return hardswish4(x);
  if (op == HARDSIGMOID) return hardsigmoid4(x);
  return erf4(x); // ERF
}

// ---- dx = dy·f'(x) ----------------------------------------------------------------------------------
// @ts-ignore: decorator
@inline function grad4(op: i32, x: v128, y: v128, dy: v128): v128 {
  if (op == NEG) return f32x4.neg(dy);
  if (op == EXP) return f32x4.mul(dy, y);
  if (op == LOG) return f32x4.div(dy, x);
  if (op == SQRT) return f32x4.mul(f32x4.div(dy, y), K(kHalf));
  // −½·y/x·dy with the division last: no intermediate overflow unless the result overflows.
  if (op == RSQRT) return f32x4.div(f32x4.mul(f32x4.mul(dy, y), K(kMinusHalf)), x);
  if (op == ABS) {
    // sign(x) with 0 at 0 and NaN
    const sgn = v128.or(
      v128.and(f32x4.gt(x, K(kZero)), K(kOne)),
      v128.and(f32x4.lt(x, K(kZero)), K(kMinusOne)),
    );
    return f32x4.mul(dy, sgn);
  }
  if (op == SQUARE) return f32x4.mul(dy, f32x4.add(x, x));
  if (op == RELU) return f32x4.mul(dy, v128.and(f32x4.gt(x, K(kZero)), K(kOne)));
  if (op == GELU) return f32x4.mul(dy, geluDeriv4(x));
  if (op == SIGMOID) return f32x4.mul(dy, f32x4.mul(y, f32x4.sub(K(kOne), y)));
  // 1 − y² as (1 − y)(1 + y): exact factor where |y| ≥ ½, no cancellation near |y| = 1.
  if (op == TANH) return f32x4.mul(dy, f32x4.mul(f32x4.sub(K(kOne), y), f32x4.add(K(kOne), y)));
  if (op == HARDSWISH) {
    const mid = f32x4.div(f32x4.add(f32x4.add(x, x), K(kThree)), K(kSix));
    const d = v128.andnot(v128.bitselect(K(kOne), mid, f32x4.ge(x, K(kThree))), f32x4.le(x, K(kMinusThree)));
    return f32x4.mul(dy, d);
  }
  // HARDSIGMOID: dy/6 inside (−3, 3) (and for NaN), dy·0 outside.
  const outside = v128.or(f32x4.le(x, K(kMinusThree)), f32x4.ge(x, K(kThree)));
  return v128.bitselect(f32x4.mul(dy, K(kZero)), f32x4.div(dy, K(kSix)), outside);
}

// ---- loops ------------------------------------------------------------------------------------------
// @ts-ignore: decorator
@inline function mapForward(op: i32, x: usize, y: usize, n: i32): void {
  checkSpan(x, n);
  checkSpan(y, n);
  checkInOut(x, n, y, n);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const p = x + (<usize>i << 2);
    const q = y + (<usize>i << 2);
    // All four loads before the first store: in place (y == x) reads every element before writing it.
    const v0 = fwd4(op, v128.load(p));
    const v1 = fwd4(op, v128.load(p, 16));
    const v2 = fwd4(op, v128.load(p, 32));
    const v3 = fwd4(op, v128.load(p, 48));
    v128.store(q, v0);
    v128.store(q, v1, 16);
    v128.store(q, v2, 32);
    v128.store(q, v3, 48);
  }
  for (; i + 4 <= n; i += 4) {
    v128.store(y + (<usize>i << 2), fwd4(op, v128.load(x + (<usize>i << 2))));
  }
  if (i < n) storeLanes(y + (<usize>i << 2), fwd4(op, v128.load(x + (<usize>i << 2))), n - i);
}

// @ts-ignore: decorator
@inline function loadIf(read: bool, p: usize, i: i32, offset: usize): v128 {
  return read ? v128.load(p + (<usize>i << 2) + offset) : i32x4.splat(0);
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
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const g0 = grad4(op, loadIf(rx, x, i, 0), loadIf(ry, y, i, 0), v128.load(dy + (<usize>i << 2)));
    const g1 = grad4(op, loadIf(rx, x, i, 16), loadIf(ry, y, i, 16), v128.load(dy + (<usize>i << 2), 16));
    const q = dx + (<usize>i << 2);
    v128.store(q, g0);
    v128.store(q, g1, 16);
  }
  for (; i < n; i += 4) {
    const g = grad4(op, loadIf(rx, x, i, 0), loadIf(ry, y, i, 0), v128.load(dy + (<usize>i << 2)));
    if (i + 4 <= n) v128.store(dx + (<usize>i << 2), g);
    else storeLanes(dx + (<usize>i << 2), g, n - i);
  }
}

// ---- exports ----------------------------------------------------------------------------------------
export function neg_f32__simd(x: usize, y: usize, n: i32): void {
  mapForward(NEG, x, y, n);
}
export function exp_f32__simd(x: usize, y: usize, n: i32): void {
  mapForward(EXP, x, y, n);
}
export function log_f32__simd(x: usize, y: usize, n: i32): void {
  mapForward(LOG, x, y, n);
}
export function sqrt_f32__simd(x: usize, y: usize, n: i32): void {
  mapForward(SQRT, x, y, n);
}
export function rsqrt_f32__simd(x: usize, y: usize, n: i32): void {
  mapForward(RSQRT, x, y, n);
}
export function abs_f32__simd(x: usize, y: usize, n: i32): void {
  mapForward(ABS, x, y, n);
}
export function square_f32__simd(x: usize, y: usize, n: i32): void {
  mapForward(SQUARE, x, y, n);
}
export function relu_f32__simd(x: usize, y: usize, n: i32): void {
  mapForward(RELU, x, y, n);
}
export function gelu_f32__simd(x: usize, y: usize, n: i32): void {
  mapForward(GELU, x, y, n);
}
export function sigmoid_f32__simd(x: usize, y: usize, n: i32): void {
  mapForward(SIGMOID, x, y, n);
}
export function tanh_f32__simd(x: usize, y: usize, n: i32): void {
  mapForward(TANH, x, y, n);
}
export function hardswish_f32__simd(x: usize, y: usize, n: i32): void {
  mapForward(HARDSWISH, x, y, n);
}
export function hardsigmoid_f32__simd(x: usize, y: usize, n: i32): void {
  mapForward(HARDSIGMOID, x, y, n);
}
export function erf_f32__simd(x: usize, y: usize, n: i32): void {
  mapForward(ERF, x, y, n);
}

export function neg_grad_f32__simd(x: usize, y: usize, dy: usize, dx: usize, n: i32): void {
  mapGrad(NEG, x, y, dy, dx, n);
}
export function exp_grad_f32__simd(x: usize, y: usize, dy: usize, dx: usize, n: i32): void {
  mapGrad(EXP, x, y, dy, dx, n);
}
export function log_grad_f32__simd(x: usize, y: usize, dy: usize, dx: usize, n: i32): void {
  mapGrad(LOG, x, y, dy, dx, n);
}
export function sqrt_grad_f32__simd(x: usize, y: usize, dy: usize, dx: usize, n: i32): void {
  mapGrad(SQRT, x, y, dy, dx, n);
}
export function rsqrt_grad_f32__simd(x: usize, y: usize, dy: usize, dx: usize, n: i32): void {
  mapGrad(RSQRT, x, y, dy, dx, n);
}
export function abs_grad_f32__simd(x: usize, y: usize, dy: usize, dx: usize, n: i32): void {
  mapGrad(ABS, x, y, dy, dx, n);
}
export function square_grad_f32__simd(x: usize, y: usize, dy: usize, dx: usize, n: i32): void {
  mapGrad(SQUARE, x, y, dy, dx, n);
}
export function relu_grad_f32__simd(x: usize, y: usize, dy: usize, dx: usize, n: i32): void {
  mapGrad(RELU, x, y, dy, dx, n);
}
export function gelu_grad_f32__simd(x: usize, y: usize, dy: usize, dx: usize, n: i32): void {
  mapGrad(GELU, x, y, dy, dx, n);
}
export function sigmoid_grad_f32__simd(x: usize, y: usize, dy: usize, dx: usize, n: i32): void {
  mapGrad(SIGMOID, x, y, dy, dx, n);
}
export function tanh_grad_f32__simd(x: usize, y: usize, dy: usize, dx: usize, n: i32): void {
  mapGrad(TANH, x, y, dy, dx, n);
}
export function hardswish_grad_f32__simd(x: usize, y: usize, dy: usize, dx: usize, n: i32): void {
  mapGrad(HARDSWISH, x, y, dy, dx, n);
}
export function hardsigmoid_grad_f32__simd(x: usize, y: usize, dy: usize, dx: usize, n: i32): void {
  mapGrad(HARDSIGMOID, x, y, dy, dx, n);
}
