// ceiling.ts — the machine's WASM SIMD ceiling, measured by register-resident loops that do nothing
// but the instructions our kernels are made of. A kernel's "fraction of ceiling" divides its
// throughput by these, measured in the same process, on the same core.
//
// The modules are assembled here byte by byte (no AssemblyScript, no optimizer) so the loop is
// exactly what we say it is. Each kind is measured as a few loop variants and its ceiling is the best
// of them (how fast V8's code for the same instructions runs depends on the loop's shape: the more
// independent chains that fit in registers, the closer to the core's issue rate). Per iteration:
//   spread: x += step; then for j < P:  acc_j = add(acc_j, op(x, y_j))
//   self:   for j < P:                   acc_j = add(acc_j, op(acc_j, y))
//   widen:  for j < P:                   acc_j = add(acc_j, op(i16x8.extend_low_i8x16_s(acc_j), y))
// with op = i32x4.dot_i16x8_s (16 int ops per dot+add: 8 multiplies, 8 adds) or f32x4.mul (8 flops
// per mul+add), and for f32madd acc_j = f32x4.relaxed_madd(acc_j, y, z) (8 flops).
// Why these shapes: every product depends on a value that changes each iteration (x, or the chain's
// own accumulator), so V8 cannot hoist it out of the loop (TurboFan does hoist a dot of loop-invariant
// operands: a naive loop "measures" 190 GOPS); in `spread` distinct y_j keep the P products apart and
// each chain is one add deep (2P + 2 registers); in `self` each chain is op + add long, so P must
// cover that latency, and P + 2 registers (+ a temporary) must fit V8's 15 usable xmm registers.
// Measured on Zen 5 / V8 11.3 (quiet machine): i8dot spread6 ≈ 77 GOPS, self11 ≈ 94 (self12 spills:
// 45), widen10 ≈ 55; f32 mul+add spread6 ≈ 39 GFLOPS, self11 ≈ 45; relaxed madd 8–13 chains all ≈ 55.
// `widen` adds the i8 → i16 sign extension a kernel pays when it widens its operands in the inner
// loop (ours widens A once per panel and B at pack time, so it does not); it is measured to show
// that cost, and is never the best.

import { type Clock, clockSeconds } from './timing.js';

export type CeilingKind = 'i8dot' | 'f32muladd' | 'f32madd';
export type CeilingForm = 'spread' | 'self' | 'widen';

export interface CeilingVariant {
  kind: CeilingKind;
  form: CeilingForm;
  /** Independent accumulator chains. */
  chains: number;
}

/** The loop variants measured for each kind; the kind's ceiling is the fastest of them. */
export const CEILING_VARIANTS: Record<CeilingKind, CeilingVariant[]> = {
  i8dot: [
    { kind: 'i8dot', form: 'spread', chains: 6 },
    { kind: 'i8dot', form: 'self', chains: 11 },
    { kind: 'i8dot', form: 'widen', chains: 10 },
  ],
  f32muladd: [
    { kind: 'f32muladd', form: 'spread', chains: 6 },
    { kind: 'f32muladd', form: 'self', chains: 11 },
  ],
  f32madd: [
    { kind: 'f32madd', form: 'self', chains: 10 },
    { kind: 'f32madd', form: 'self', chains: 13 },
  ],
};

/** `spread6`, `self11`, `widen10`. */
export function variantName(v: CeilingVariant): string {
  return `${v.form}${v.chains}`;
}

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const simd = (op: number): number[] => [0xfd, ...uleb(op)];
const OP = {
  i32x4Splat: simd(0x11),
  f32x4Splat: simd(0x13),
  i32x4ExtractLane: simd(0x1b),
  f32x4ExtractLane: simd(0x1f),
  i32x4Add: simd(0xae),
  i32x4DotI16x8S: simd(0xba),
  i16x8ExtendLowI8x16S: simd(0x87),
  f32x4Add: simd(0xe4),
  f32x4Mul: simd(0xe6),
  f32x4RelaxedMadd: simd(0x105),
};

const localGet = (i: number) => [0x20, ...uleb(i)];
const localSet = (i: number) => [0x21, ...uleb(i)];
const localTee = (i: number) => [0x22, ...uleb(i)];
const i32Const = (v: number) => [0x41, ...sleb(v)];
const f32Const = (v: number) => [0x43, ...new Uint8Array(new Float32Array([v]).buffer)];
const I32_ADD = 0x6a;
const I32_SUB = 0x6b;
const F32_CONVERT_I32_S = 0xb2;

/**
 * (func (param $n i32) (result i32|f32)): n iterations of the variant's loop (see the header). The
 * default variant of a kind is its first in CEILING_VARIANTS.
 */
export function ceilingModule(
  kind: CeilingKind,
  chains = CEILING_VARIANTS[kind][0].chains,
  form: CeilingForm = CEILING_VARIANTS[kind][0].form,
): Uint8Array {
  const isInt = kind === 'i8dot';
  if (form === 'widen' && !isInt) throw new Error(`ceilingModule: form "widen" is for i8dot, not ${kind}.`);
  if (kind === 'f32madd' && form !== 'self')
    throw new Error(`ceilingModule: f32madd has only the "self" form.`);
  // Locals: 0 = n; 1..P = acc_j; P+1..2P = y_j (self: P+1 = y, P+2 = z); 2P+1 = x; 2P+2 = step.
  const P = chains;
  const acc = (j: number) => 1 + j;
  const yv = (j: number) => 1 + P + j;
  const x = 1 + 2 * P;
  const step = 2 + 2 * P;
  const nLocals = 2 * P + 2;
  const splat = isInt ? OP.i32x4Splat : OP.f32x4Splat;
  const add = isInt ? OP.i32x4Add : OP.f32x4Add;
  // A value that depends on n, so nothing below is a compile-time constant.
  const fromN = (c: number) =>
    isInt
      ? [...localGet(0), ...i32Const(c), I32_ADD, ...splat]
      : [...localGet(0), F32_CONVERT_I32_S, ...splat];
  const body: number[] = [];
  for (let j = 0; j < P; j++) {
    body.push(...(isInt ? fromN(j) : [...f32Const(1 + j), ...splat]), ...localSet(acc(j)));
    if (form === 'spread')
      body.push(...(isInt ? fromN(7 * j + 1) : [...f32Const(1 + j / 1024), ...splat]), ...localSet(yv(j)));
  }
  if (form !== 'spread') {
    // self: ints dot with an n-dependent y; f32 mul+add multiplies by 0 (acc + acc·0 = acc, values stay
    // finite and normal); madd computes acc·1 + 0.
    const y = isInt ? fromN(7) : [...f32Const(kind === 'f32madd' ? 1 : 0), ...splat];
    body.push(...y, ...localSet(yv(0)), ...f32Const(0), ...OP.f32x4Splat, ...localSet(yv(1)));
  }
  body.push(...fromN(3), ...localSet(x));
  // step: 1 for ints; for floats a 0 (x·y_j changes only if the compiler cannot see it; values stay normal).
  body.push(...(isInt ? [...i32Const(1), ...splat] : [...f32Const(0), ...splat]), ...localSet(step));

  body.push(0x03, 0x40); // loop
  if (form === 'spread') body.push(...localGet(x), ...localGet(step), ...add, ...localSet(x));
  for (let j = 0; j < P; j++) {
    if (kind === 'f32madd') {
      body.push(...localGet(acc(j)), ...localGet(yv(0)), ...localGet(yv(1)), ...OP.f32x4RelaxedMadd);
    } else {
      const lhs =
        form === 'spread'
          ? localGet(x)
          : form === 'self'
            ? localGet(acc(j))
            : [...localGet(acc(j)), ...OP.i16x8ExtendLowI8x16S];
      const rhs = localGet(yv(form === 'spread' ? j : 0));
      body.push(...localGet(acc(j)), ...lhs, ...rhs, ...(isInt ? OP.i32x4DotI16x8S : OP.f32x4Mul), ...add);
    }
    body.push(...localSet(acc(j)));
  }
  body.push(
    ...localGet(0),
    ...i32Const(1),
    I32_SUB,
    ...localTee(0),
    0x0d,
    0x00 /* br_if 0 */,
    0x0b /* end */,
  );
  // Fold every chain into the result so none is dead code.
  body.push(...localGet(acc(0)));
  for (let j = 1; j < P; j++) body.push(...localGet(acc(j)), ...add);
  body.push(...(isInt ? OP.i32x4ExtractLane : OP.f32x4ExtractLane), 0x00, 0x0b);

  const func = [0x01, ...uleb(nLocals), 0x7b, ...body]; // one local group: nLocals × v128
  const funcBytes = [...uleb(func.length), ...func];
  const code = [0x01, ...funcBytes];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...[0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, isInt ? 0x7f : 0x7d], // type (i32) -> i32|f32
    ...[0x03, 0x02, 0x01, 0x00], // one function of type 0
    ...[0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00], // export "f"
    0x0a,
    ...uleb(code.length),
    ...code,
  ]);
}

export interface Ceiling {
  kind: CeilingKind;
  /** Int ops (int8: 16 per dot+add) or flops (f32: 8 per mul+add or madd) per second: the best variant's median. */
  opsPerSecond: number;
  gops: number;
  /** Name of the fastest variant (variantName). */
  variant: string;
  /** Every variant's median, in CEILING_VARIANTS order. */
  variants: { name: string; gops: number }[];
}

function opsPerIteration(kind: CeilingKind, chains: number): number {
  return chains * (kind === 'i8dot' ? 16 : 8);
}

export function ceilingAvailable(kind: CeilingKind): boolean {
  try {
    return CEILING_VARIANTS[kind].every((v) =>
      WebAssembly.validate(ceilingModule(kind, v.chains, v.form) as BufferSource),
    );
  } catch {
    return false;
  }
}

/** A variant's loop, compiled, with an iteration count that runs about `seconds`. */
function calibrated(v: CeilingVariant, seconds: number): { f: (n: number) => number; n: number } {
  const mod = new WebAssembly.Module(ceilingModule(v.kind, v.chains, v.form) as BufferSource);
  const f = new WebAssembly.Instance(mod, {}).exports.f as (n: number) => number;
  // Growing calls first: they also let V8 tier the function up from Liftoff to TurboFan.
  let n = 1 << 14;
  for (;;) {
    const t0 = performance.now();
    f(n);
    const dt = (performance.now() - t0) / 1000;
    if (dt > seconds / 4 || n > 2 ** 29) {
      n = Math.max(1, Math.round((n * seconds) / Math.max(dt, 1e-6)));
      break;
    }
    n *= 4;
  }
  f(n);
  return { f, n };
}

/**
 * The kind's ceiling: every variant of CEILING_VARIANTS[kind] run `reps` times for about `seconds`
 * each, the variants interleaved (so a burst of load on a shared machine hits them alike), then the
 * best of the variants' medians.
 */
export function measureCeiling(kind: CeilingKind, seconds = 0.15, reps = 7, clock: Clock = 'wall'): Ceiling {
  const variants = CEILING_VARIANTS[kind].map((v) => ({
    v,
    ...calibrated(v, seconds),
    rates: [] as number[],
  }));
  for (let r = 0; r < reps; r++) {
    for (const c of variants) {
      const t0 = clockSeconds(clock);
      c.f(c.n);
      c.rates.push((c.n * opsPerIteration(kind, c.v.chains)) / (clockSeconds(clock) - t0));
    }
  }
  const medians = variants.map((c) => {
    const sorted = [...c.rates].sort((a, b) => a - b);
    return { name: variantName(c.v), ops: sorted[Math.floor(sorted.length / 2)] };
  });
  const best = medians.reduce((a, b) => (b.ops > a.ops ? b : a));
  return {
    kind,
    opsPerSecond: best.ops,
    gops: best.ops / 1e9,
    variant: best.name,
    variants: medians.map((m) => ({ name: m.name, gops: m.ops / 1e9 })),
  };
}

/**
 * Two measurements of one kind (say, at the start and at the end of a run) as one: each variant's
 * better median, and the best of those. Load on a shared machine only ever lowers a figure.
 */
export function bestOfCeilings(a: Ceiling, b: Ceiling): Ceiling {
  const variants = a.variants.map((v, i) => ({
    name: v.name,
    gops: Math.max(v.gops, b.variants[i]?.gops ?? 0),
  }));
  const best = variants.reduce((x, y) => (y.gops > x.gops ? y : x));
  return { kind: a.kind, opsPerSecond: best.gops * 1e9, gops: best.gops, variant: best.name, variants };
}

/** One ceiling loop, compiled and calibrated to a short call: timed among a case's kernels. */
export interface CeilingProbe {
  kind: CeilingKind;
  variant: string;
  /** Ops (int8) or flops (f32) one call performs. */
  ops: number;
  run(): void;
}

/**
 * A probe of `kind`'s loop variant `name` (default: the kind's first) taking about `seconds` a call,
 * for a benchmark to time in rounds with the kernels it compares with the ceiling, under the same load.
 */
export function ceilingProbe(kind: CeilingKind, name?: string, seconds = 0.002): CeilingProbe {
  const v = CEILING_VARIANTS[kind].find((x) => variantName(x) === name) ?? CEILING_VARIANTS[kind][0];
  const { f, n } = calibrated(v, seconds);
  for (let i = 0; i < 20; i++) f(n); // past any tier-up
  return { kind, variant: variantName(v), ops: n * opsPerIteration(kind, v.chains), run: () => f(n) };
}
