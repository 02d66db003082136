// ceiling.ts — the machine's WASM SIMD ceiling, measured by register-resident loops that do nothing
// but the instructions our kernels are made of. A kernel's "fraction of ceiling" divides its
// throughput by these, measured in the same process, on the same core.
//
// The modules are assembled here byte by byte (no AssemblyScript, no optimizer) so the loop is
// exactly what we say it is. Per loop iteration:
//   int8:  x += 1; then for j < P:  acc_j = i32x4.add(acc_j, i32x4.dot_i16x8_s(x, y_j))   16 int ops each
//   f32:   x += 0; then for j < P:  acc_j = f32x4.add(acc_j, f32x4.mul(x, y_j))           8 flops each
//   madd:  for j < 12:              acc_j = f32x4.relaxed_madd(acc_j, y, z)               8 flops each
// Why this shape: every product depends on x, which changes each iteration, so V8 cannot hoist it
// out of the loop (TurboFan does hoist a dot of loop-invariant operands: a naive loop "measures"
// 190 GOPS); distinct y_j keep the P products from being merged; the accumulator chains are only
// one add deep, so throughput, not latency, is measured. P y_j + P acc + x stay within V8's 16 xmm
// registers. madd needs no y_j: each chain's accumulator makes it distinct.

export type CeilingKind = 'i8dot' | 'f32muladd' | 'f32madd';

/** Parallel chains per kind (measured best on Zen 5 / V8 11.3; more spill registers). */
const CHAINS: Record<CeilingKind, number> = { i8dot: 6, f32muladd: 6, f32madd: 10 };

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

/** (func (param $n i32) (result i32|f32)): n iterations of the loop in the header. */
export function ceilingModule(kind: CeilingKind, chains = CHAINS[kind]): Uint8Array {
  const isInt = kind === 'i8dot';
  // Locals: 0 = n; 1..P = acc_j; P+1..2P = y_j (or y, z for madd); 2P+1 = x; 2P+2 = step.
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
    if (kind !== 'f32madd')
      body.push(...(isInt ? fromN(7 * j + 1) : [...f32Const(1 + j / 1024), ...splat]), ...localSet(yv(j)));
  }
  if (kind === 'f32madd') {
    body.push(...f32Const(1), ...splat, ...localSet(yv(0)), ...f32Const(0), ...splat, ...localSet(yv(1)));
  }
  body.push(...fromN(3), ...localSet(x));
  // step: 1 for ints; for floats a 0 the compiler cannot see (n·0, values stay finite and normal).
  body.push(...(isInt ? [...i32Const(1), ...splat] : [...f32Const(0), ...splat]), ...localSet(step));

  body.push(0x03, 0x40); // loop
  if (kind !== 'f32madd') body.push(...localGet(x), ...localGet(step), ...add, ...localSet(x));
  for (let j = 0; j < P; j++) {
    if (kind === 'i8dot') {
      body.push(...localGet(acc(j)), ...localGet(x), ...localGet(yv(j)), ...OP.i32x4DotI16x8S, ...add);
    } else if (kind === 'f32muladd') {
      body.push(...localGet(acc(j)), ...localGet(x), ...localGet(yv(j)), ...OP.f32x4Mul, ...add);
    } else {
      body.push(...localGet(acc(j)), ...localGet(yv(0)), ...localGet(yv(1)), ...OP.f32x4RelaxedMadd);
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
  /** Int ops (int8: 16 per dot+add) or flops (f32: 8 per mul+add or madd) per second, median. */
  opsPerSecond: number;
  gops: number;
}

function opsPerIteration(kind: CeilingKind, chains: number): number {
  return chains * (kind === 'i8dot' ? 16 : 8);
}

export function ceilingAvailable(kind: CeilingKind): boolean {
  try {
    return WebAssembly.validate(ceilingModule(kind) as BufferSource);
  } catch {
    return false;
  }
}

/** Median throughput of `reps` runs of about `seconds` each, after a warm-up that lets TurboFan tier up. */
export function measureCeiling(kind: CeilingKind, seconds = 0.15, reps = 7, chains = CHAINS[kind]): Ceiling {
  const mod = new WebAssembly.Module(ceilingModule(kind, chains) as BufferSource);
  const f = new WebAssembly.Instance(mod, {}).exports.f as (n: number) => number;
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
  const rates: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    f(n);
    rates.push((n * opsPerIteration(kind, chains)) / ((performance.now() - t0) / 1000));
  }
  rates.sort((a, b) => a - b);
  const ops = rates[Math.floor(rates.length / 2)];
  return { kind, opsPerSecond: ops, gops: ops / 1e9 };
}
