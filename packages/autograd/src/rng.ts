// rng.ts — the seeded generator behind initialization, dropout and drop-path (xoshiro128**).
// Its four state words go into checkpoints, so a resumed run draws the same numbers.

export class Rng {
  private s: Uint32Array;

  constructor(seed: number | Uint32Array) {
    if (typeof seed !== 'number') {
      this.s = Uint32Array.from(seed);
      return;
    }
    // splitmix32 expands the seed into four non-zero words.
    let x = seed >>> 0;
    this.s = new Uint32Array(4);
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    this.s[3] |= 1;
  }

  get state(): Uint32Array {
    return this.s.slice();
  }

  set state(v: Uint32Array) {
    if (v.length !== 4) throw new Error(`Rng: a state has 4 words, got ${v.length}.`);
    this.s = Uint32Array.from(v);
  }

  u32(): number {
    const s = this.s;
    const r = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return r;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /**
   * out[i] = float() < p ? 0 : keep for i < out.length: the dropout mask, the same draws as a loop
   * of float() but with the state in locals (a B0 decoder mask is 4M draws a step).
   */
  dropMask(out: Float32Array | Float64Array, p: number, keep: number): void {
    const st = this.s;
    let s0 = st[0];
    let s1 = st[1];
    let s2 = st[2];
    let s3 = st[3];
    for (let i = 0; i < out.length; i++) {
      const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
      out[i] = r / 4294967296 < p ? 0 : keep;
    }
    st[0] = s0;
    st[1] = s1;
    st[2] = s2;
    st[3] = s3;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = Math.max(this.float(), 1e-300);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.float());
  }

  /** Normal(0, std) truncated to ±2 std by resampling (timm's trunc_normal_ for ViT weights). */
  truncNormal(std: number): number {
    for (;;) {
      const v = this.normal();
      if (Math.abs(v) <= 2) return v * std;
    }
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
