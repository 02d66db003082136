// rng.ts — seeded inputs (mulberry32): the tool has no runtime dependencies of its own, so it runs
// on a Raspberry Pi with plain Node.

export function makeRng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    f32(n: number, lo: number, hi: number): Float32Array {
      const a = new Float32Array(n);
      for (let i = 0; i < n; i++) a[i] = lo + (hi - lo) * next();
      return a;
    },
    i8(n: number, lo = -128, hi = 127): Int8Array {
      const a = new Int8Array(n);
      for (let i = 0; i < n; i++) a[i] = lo + Math.floor(next() * (hi - lo + 1));
      return a;
    },
    i32(n: number, lo: number, hi: number): Int32Array {
      const a = new Int32Array(n);
      for (let i = 0; i < n; i++) a[i] = lo + Math.floor(next() * (hi - lo + 1));
      return a;
    },
  };
}
