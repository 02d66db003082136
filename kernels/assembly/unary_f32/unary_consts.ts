// unary_consts.ts — the constants of the unary_f32 family's approximations (not an entry point).
// unary_f32_scalar.ts and unary_f32_simd.ts evaluate them with the same IEEE operations in the same
// order, lane by lane, so both variants give the same bits. Fits: minimax (Lawson-reweighted least
// squares in f64, then rounded to f32 and checked by evaluating in f32 on dense sweeps).

// ---- exp ----------------------------------------------------------------------------------------
// The polynomial and range-reduction constants are exp_poly.ts's (softmax family), imported there;
// these extend its range to t > 0.
// Past this argument e^t overflows anyway; clamping keeps 2^(n−1) a valid exponent field.
// @ts-ignore: decorator
@inline export const EXP_MAX_ARG: f32 = 89.0;
// −ln2 rounded to f32: one-step reduction r = t − n·ln2 for the Gaussian e^(−a²/2) of GELU, where
// n ≥ −26 (a ≤ 6) and the rounding of n·ln2 costs ≤ 2^−20 relative at a ≈ 4, where Φc(a) < 4e−5.
// @ts-ignore: decorator
@inline export const MINUS_LN2: f32 = reinterpret<f32>(0xbf317218); // −0.69314718

// ---- GELU: Φc(a) = 1 − Φ(a) = e^(−a²/2)·G(a), a = |x| ----------------------------------------------
// G(a) = ½·erfcx(a/√2) ≈ (P0 + P1·a + P2·a² + P3·a³) / (Q0 + Q1·a + Q2·a² + a³) on [0, 6], fitted to
// the absolute error of e^(−a²/2)·G(a)·max(1, a) (fit error 1.6e−8); Q0 = 2·P0 exactly, so G(0) = ½.
// Beyond a = 6, a is clamped: a·Φc(a) ≤ 6·Φc(6) = 5.9e−9 there, which is the absolute error left.
// gelu(x) = max(x, 0) − a·Φc(a) (x·Φ(x) for either sign, no cancellation) and
// gelu'(x) = Φ(x) + x·φ(x) = (x ≥ 0 ? 1 − K : K) with K = e^(−a²/2)·(G(a) − a/√(2π)).
// @ts-ignore: decorator
@inline export const GELU_CLAMP: f32 = 6.0;
// @ts-ignore: decorator
@inline export const GP0: f32 = reinterpret<f32>(0x40c027c9); // 6.0048566
// @ts-ignore: decorator
@inline export const GP1: f32 = reinterpret<f32>(0x400fe7e2); // 2.248528
// @ts-ignore: decorator
@inline export const GP2: f32 = reinterpret<f32>(0x3ed8bc79); // 0.42331293
// @ts-ignore: decorator
@inline export const GP3: f32 = reinterpret<f32>(0xbad31bc8); // −0.0016106302
// @ts-ignore: decorator
@inline export const GQ0: f32 = reinterpret<f32>(0x414027c9); // 12.009713 = 2·GP0
// @ts-ignore: decorator
@inline export const GQ1: f32 = reinterpret<f32>(0x41614564); // 14.079441
// @ts-ignore: decorator
@inline export const GQ2: f32 = reinterpret<f32>(0x40c26863); // 6.0752425
// @ts-ignore: decorator
@inline export const INV_SQRT_2PI: f32 = reinterpret<f32>(0x3ecc422a); // 0.39894229

// ---- erf ------------------------------------------------------------------------------------------
// |z| < ERF_SMALL: erf(z) = z + z·R(z²), R degree 4, minimax relative (fit 1.4e−9).
// Otherwise erf(z) = ±(1 − e^(−z²)·erfcx(|z|)) with erfcx(z) = 2·G(√2·z), the GELU fit rescaled
// (XP0 = XQ0 exactly, so erfcx(0) = 1); |z| is clamped at 6/√2, where 1 − erfc rounds to 1.
// @ts-ignore: decorator
@inline export const ERF_SMALL: f32 = 0.5;
// @ts-ignore: decorator
@inline export const ERF_CLAMP: f32 = reinterpret<f32>(0x4087dfd9); // 4.2426405 ≈ 6/√2
// @ts-ignore: decorator
@inline export const ER0: f32 = reinterpret<f32>(0x3e0375d4); // 0.12837917
// @ts-ignore: decorator
@inline export const ER1: f32 = reinterpret<f32>(0xbec09399); // −0.37612608
// @ts-ignore: decorator
@inline export const ER2: f32 = reinterpret<f32>(0x3de7127c); // 0.11282822
// @ts-ignore: decorator
@inline export const ER3: f32 = reinterpret<f32>(0xbcdb31e3); // −0.026757186
// @ts-ignore: decorator
@inline export const ER4: f32 = reinterpret<f32>(0x3b9a996c); // 0.0047179963
// @ts-ignore: decorator
@inline export const XP0: f32 = reinterpret<f32>(0x4087dfd9); // 4.2460752
// @ts-ignore: decorator
@inline export const XP1: f32 = reinterpret<f32>(0x400fe7e2); // 2.248528
// @ts-ignore: decorator
@inline export const XP2: f32 = reinterpret<f32>(0x3f194173); // 0.59865493
// @ts-ignore: decorator
@inline export const XP3: f32 = reinterpret<f32>(0xbb531bc8); // −0.0032212604
// @ts-ignore: decorator
@inline export const XQ0: f32 = reinterpret<f32>(0x4087dfd9); // 4.2460752 = XP0
// @ts-ignore: decorator
@inline export const XQ1: f32 = reinterpret<f32>(0x40e14564); // 7.0397205
// @ts-ignore: decorator
@inline export const XQ2: f32 = reinterpret<f32>(0x40897790); // 4.295845

// ---- tanh -----------------------------------------------------------------------------------------
// |x| < TANH_SMALL: tanh(x) = x + x·(x²·T(x²)), T degree 4, minimax relative (fit 4.4e−9, 0.77 ulp
// in f32). Otherwise tanh(|x|) = (1 − e)/(1 + e) with e = e^(−2|x|) ≤ 0.29 (no cancellation).
// @ts-ignore: decorator
@inline export const TANH_SMALL: f32 = 0.625;
// @ts-ignore: decorator
@inline export const T0: f32 = reinterpret<f32>(0xbeaaaa99); // −0.33333281
// @ts-ignore: decorator
@inline export const T1: f32 = reinterpret<f32>(0x3e088393); // 0.13331442
// @ts-ignore: decorator
@inline export const T2: f32 = reinterpret<f32>(0xbd5c1e2e); // −0.053739719
// @ts-ignore: decorator
@inline export const T3: f32 = reinterpret<f32>(0x3ca91353); // 0.020639097
// @ts-ignore: decorator
@inline export const T4: f32 = reinterpret<f32>(0xbbbaf0fc); // −0.0057049971

// ---- log (FreeBSD/musl logf) ---------------------------------------------------------------------
// x = 2^k·m, m ∈ [√2/2, √2), f = m − 1, s = f/(2 + f), log(1+f) = f − hf² + s·(hf² + R(s²)) with
// hf² = f²/2 and R the degree-8 odd remainder (|error| < 2^−34.24); k·ln2 in two parts.
// @ts-ignore: decorator
@inline export const LN2_HI: f32 = reinterpret<f32>(0x3f317180); // 0.69313812
// @ts-ignore: decorator
@inline export const LN2_LO: f32 = reinterpret<f32>(0x3717f7d1); // 9.0580006e−6
// @ts-ignore: decorator
@inline export const LG1: f32 = reinterpret<f32>(0x3f2aaaaa); // 0.66666663
// @ts-ignore: decorator
@inline export const LG2: f32 = reinterpret<f32>(0x3eccce13); // 0.40000972
// @ts-ignore: decorator
@inline export const LG3: f32 = reinterpret<f32>(0x3e91e9ee); // 0.28498787
// @ts-ignore: decorator
@inline export const LG4: f32 = reinterpret<f32>(0x3e789e26); // 0.24279079
// Bits added to x before splitting so that the mantissa lands in [√2/2, √2): 0x3f800000 − 0x3f3504f3.
// @ts-ignore: decorator
@inline export const LOG_OFFSET: i32 = 0x004afb0d;
// @ts-ignore: decorator
@inline export const SQRT_HALF_BITS: i32 = 0x3f3504f3;
// Smallest normal f32 (2^−126); below it x is scaled by 2^23 first.
// @ts-ignore: decorator
@inline export const MIN_NORMAL: f32 = reinterpret<f32>(0x00800000);
// @ts-ignore: decorator
@inline export const TWO_POW_23: f32 = 8388608.0;
