// lut_u8.ts — twin of assembly/lut_u8: a per-channel table lookup on interleaved bytes.

/** y[i] = table[(i mod c)·256 + x[i]], in the table's own type. */
export function lutU8<T extends Float32Array | Int8Array>(x: Uint8Array, table: T, c: number): T {
  if (table.length < c * 256) throw new Error(`lutU8: the table needs c·256 = ${c * 256} entries.`);
  const y = new (table.constructor as new (n: number) => T)(x.length);
  for (let i = 0; i < x.length; i++) y[i] = table[(i % c) * 256 + x[i]];
  return y;
}
