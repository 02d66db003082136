// lut_u8_scalar.ts — per-channel lookup tables on bytes (an image's normalization, and its
// quantization with it), scalar in every build.
//
// lut_u8_f32__scalar: y[i] = table[(i mod c)·256 + x[i]]   (f32 table of c·256 entries)
// lut_u8_i8__scalar:  y[i] = table[(i mod c)·256 + x[i]]   (i8 table of c·256 entries)
// x: u8 interleaved channels (RGB pixels with c = 3), n elements (n need not be a multiple of c).
// A byte has 256 values per channel, so (x − mean)/std — or quantize((x − mean)/std) for an INT8
// model's first conv — is a table computed once per model: a frame costs one load per element, with
// none of the rounding done here (the results are the table's bits). There is no `__simd` variant:
// WASM SIMD has no 256-entry gather (i8x16.swizzle indexes 16 bytes, so a byte table takes 16 swizzles
// per 16 elements, slower than these loads), and c = 3 interleaving defeats per-vector tables.
// c = 3 runs three channels per step; other c keep a channel counter.
// Twin: kernels/ref/lut_u8.ts.
import { inMemory } from '../conv_geom';

// x, y and the table inside the memory, 1 ≤ c ≤ 256, y disjoint from x and from the table.
// @ts-ignore: decorator
@inline function checkLut(x: usize, y: usize, n: i32, table: usize, c: i32, yBytes: u64, tBytes: u64): void {
  if (ASC_NO_ASSERT) return;
  assert(n >= 0 && c >= 1 && c <= 256);
  const nb = <u64>n;
  assert(inMemory(x, nb) && inMemory(y, nb * yBytes) && inMemory(table, <u64>c * 256 * tBytes));
  assert(nb == 0 || <u64>y + nb * yBytes <= <u64>x || <u64>x + nb <= <u64>y);
  assert(nb == 0 || <u64>y + nb * yBytes <= <u64>table || <u64>table + <u64>c * 256 * tBytes <= <u64>y);
}

// @ts-ignore: decorator
@inline function lut<T>(x: usize, y: usize, n: i32, table: usize, c: i32): void {
  const sz = <usize>sizeof<T>();
  let i = 0;
  if (c == 3) {
    const t1 = table + 256 * sz;
    const t2 = table + 512 * sz;
    for (; i + 3 <= n; i += 3) {
      const p = x + <usize>i;
      const q = y + <usize>i * sz;
      store<T>(q, load<T>(table + <usize>load<u8>(p) * sz));
      store<T>(q + sz, load<T>(t1 + <usize>load<u8>(p, 1) * sz));
      store<T>(q + 2 * sz, load<T>(t2 + <usize>load<u8>(p, 2) * sz));
    }
  }
  // Other c, and the last n mod 3 elements of c = 3 (whose channel is i mod 3 = 0, 1).
  let ch = i % c;
  for (; i < n; i++) {
    store<T>(y + <usize>i * sz, load<T>(table + (<usize>(ch << 8) + <usize>load<u8>(x + <usize>i)) * sz));
    if (++ch == c) ch = 0;
  }
}

export function lut_u8_f32__scalar(x: usize, y: usize, n: i32, table: usize, c: i32): void {
  checkLut(x, y, n, table, c, 4, 4);
  lut<f32>(x, y, n, table, c);
}

export function lut_u8_i8__scalar(x: usize, y: usize, n: i32, table: usize, c: i32): void {
  checkLut(x, y, n, table, c, 1, 1);
  lut<i8>(x, y, n, table, c);
}
