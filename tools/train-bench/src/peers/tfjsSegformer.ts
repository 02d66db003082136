// tfjsSegformer.ts — SegFormer (MiT encoder + all-MLP decoder) written in tfjs ops, NHWC, with the structure
// and parameter count of packages/models/src/segformer.ts: overlapping patch embeds (conv k7/s4/p3, then
// k3/s2/p1) + LayerNorm; pre-norm blocks; efficient attention with q, k, v, proj Linears and, when sr > 1,
// a k = s = sr conv + LayerNorm on the keys/values input; Mix-FFN = fc1 → 3×3 depthwise conv → exact-erf
// GELU → fc2; stochastic depth growing linearly to drop_path; a final LayerNorm per stage; decoder: per-stage
// Linear to E, bilinear upsample (half-pixel centres) to 1/4, concat stage 4 first, 1×1 fuse (no bias) + BN
// + ReLU, dropout 0.1, classifier. Logits are at 1/4 resolution.
//
// Layouts are tfjs's: Linear weight [in, out] (y = x·W + b, so the forward matmul is XNNPACK's
// fully-connected), conv filter [kh, kw, Cin, Cout], depthwise filter [kh, kw, C, 1]. Init as ours:
// trunc-normal(0.02) Linear weights, fan-out normal convs, zero biases, unit norms.
import type { SegFormerConfig } from '@edgeseg/models';
import type { Tf, TfTensor, TfVariable } from './tfjs.js';

// biome-ignore lint/suspicious/noExplicitAny: tfjs's rank-typed op signatures; every tensor here is loosely typed.
type Any = any;

/** Deterministic uniform [0, 1) (mulberry32) for dropout/drop-path masks and seeds. */
class Rng {
  constructor(private s: number) {}
  float(): number {
    this.s = (this.s + 0x6d2b79f5) | 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

export class TfParams {
  readonly vars: { name: string; v: TfVariable; head: boolean }[] = [];
  readonly buffers: TfVariable[] = [];
  private seed: number;
  constructor(
    readonly tf: Tf,
    seed: number,
  ) {
    this.seed = seed * 7919;
  }
  private add(name: string, t: TfTensor, head: boolean): TfVariable {
    const v = this.tf.variable(t, true, `${name}_${this.vars.length}`);
    this.vars.push({ name, v, head });
    return v;
  }
  linear(name: string, inF: number, outF: number, head: boolean, bias = true) {
    const { tf } = this;
    const w = this.add(
      `${name}.weight`,
      tf.truncatedNormal([inF, outF], 0, 0.02, 'float32', this.seed++),
      head,
    );
    const b = bias ? this.add(`${name}.bias`, tf.zeros([outF]), head) : null;
    return { w, b };
  }
  conv(name: string, inC: number, outC: number, k: number) {
    const { tf } = this;
    const std = Math.sqrt(2 / (k * k * outC));
    const w = this.add(
      `${name}.weight`,
      tf.randomNormal([k, k, inC, outC], 0, std, 'float32', this.seed++),
      false,
    );
    return { w, b: this.add(`${name}.bias`, tf.zeros([outC]), false) };
  }
  dwconv(name: string, c: number, k: number) {
    const { tf } = this;
    const std = Math.sqrt(2 / (k * k));
    const w = this.add(
      `${name}.weight`,
      tf.randomNormal([k, k, c, 1], 0, std, 'float32', this.seed++),
      false,
    );
    return { w, b: this.add(`${name}.bias`, tf.zeros([c]), false) };
  }
  norm(name: string, c: number, head = false) {
    const { tf } = this;
    return {
      g: this.add(`${name}.weight`, tf.ones([c]), head),
      b: this.add(`${name}.bias`, tf.zeros([c]), head),
    };
  }
  buffer(t: TfTensor): TfVariable {
    const v = this.tf.variable(t, false);
    this.buffers.push(v);
    return v;
  }
  count(): number {
    return this.vars.reduce((n, p) => n + p.v.size, 0);
  }
  dispose(): void {
    for (const p of this.vars) p.v.dispose();
    for (const b of this.buffers) b.dispose();
  }
}

type Lin = { w: TfVariable; b: TfVariable | null };
type Norm = { g: TfVariable; b: TfVariable };

/** x [..., in] → [..., out] through a 2-D matmul (batch 1, no transpose: XNNPACK in the forward). */
function linear(tf: Tf, x: TfTensor, l: Lin): TfTensor {
  const inF = x.shape[x.rank - 1];
  const outF = l.w.shape[1] as number;
  let y = tf.matMul(tf.reshape(x, [-1, inF]), l.w);
  if (l.b) y = tf.add(y, l.b);
  return tf.reshape(y, [...x.shape.slice(0, -1), outF]);
}

function layerNorm(tf: Tf, x: TfTensor, n: Norm, eps: number): TfTensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps))), n.g), n.b);
}

/** Exact GELU, 0.5·x·(1 + erf(x/√2)). */
function gelu(tf: Tf, x: TfTensor): TfTensor {
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
}

/**
 * Batched a·b or a·bᵀ ([n, M, K] × [n, K, N] or [n, N, K]), as a user writes it. tfjs's wasm BatchMatMul
 * runs any batch > 1 (and any transposed operand) in a scalar loop; these attention products are small
 * (B0 stage 1 at 128×256, batch 8: 17 MMAC each), and splitting them into 2-D XNNPACK products costs
 * more than it saves (tf.unstack copies the whole input out of the heap in JS per slice: measured +30%
 * on the stage-1 block), so even the XNNPACK-routed variant leaves them batched.
 */
function bmm(tf: Tf, a: TfTensor, b: TfTensor, transB: boolean): TfTensor {
  return tf.matMul(a, b, false, transB);
}

export class TfBlock {
  n1: Norm;
  q: Lin;
  k: Lin;
  v: Lin;
  proj: Lin;
  sr: { w: TfVariable; b: TfVariable } | null = null;
  srNorm: Norm | null = null;
  n2: Norm;
  fc1: Lin;
  dw: { w: TfVariable; b: TfVariable };
  fc2: Lin;
  constructor(
    private readonly tf: Tf,
    P: TfParams,
    name: string,
    readonly dim: number,
    readonly heads: number,
    readonly srRatio: number,
    hidden: number,
    readonly eps: number,
    readonly dropPath: number,
  ) {
    this.n1 = P.norm(`${name}.norm1`, dim);
    this.q = P.linear(`${name}.attn.q`, dim, dim, false);
    this.k = P.linear(`${name}.attn.k`, dim, dim, false);
    this.v = P.linear(`${name}.attn.v`, dim, dim, false);
    this.proj = P.linear(`${name}.attn.proj`, dim, dim, false);
    if (srRatio > 1) {
      this.sr = P.conv(`${name}.attn.sr`, dim, dim, srRatio);
      this.srNorm = P.norm(`${name}.attn.sr_norm`, dim);
    }
    this.n2 = P.norm(`${name}.norm2`, dim);
    this.fc1 = P.linear(`${name}.ffn.fc1`, dim, hidden, false);
    this.dw = P.dwconv(`${name}.ffn.dw`, hidden, 3);
    this.fc2 = P.linear(`${name}.ffn.fc2`, hidden, dim, false);
  }

  private attention(x: TfTensor): TfTensor {
    const { tf, dim: c, heads } = this;
    const [b, h, w] = x.shape;
    const d = c / heads;
    const n = h * w;
    const toHeads = (t: TfTensor, len: number) =>
      heads === 1
        ? tf.reshape(t, [b, len, d])
        : tf.reshape(tf.transpose(tf.reshape(t, [b, len, heads, d]), [0, 2, 1, 3]), [b * heads, len, d]);
    const q = toHeads(linear(tf, x, this.q), n);
    let kvIn = x;
    let nk = n;
    if (this.sr && this.srNorm) {
      const r = tf.add(tf.conv2d(x as Any, this.sr.w as Any, this.srRatio, 'valid'), this.sr.b);
      kvIn = layerNorm(tf, r, this.srNorm, this.eps);
      nk = r.shape[1]! * r.shape[2]!;
    }
    const k = toHeads(linear(tf, kvIn, this.k), nk);
    const v = toHeads(linear(tf, kvIn, this.v), nk);
    const scores = tf.mul(bmm(tf, q, k, true), 1 / Math.sqrt(d));
    let o = bmm(tf, tf.softmax(scores), v, false);
    o =
      heads === 1
        ? tf.reshape(o, [b, h, w, c])
        : tf.reshape(tf.transpose(tf.reshape(o, [b, heads, n, d]), [0, 2, 1, 3]), [b, h, w, c]);
    return linear(tf, o, this.proj);
  }

  private ffn(x: TfTensor): TfTensor {
    const { tf } = this;
    const hid = tf.add(
      tf.depthwiseConv2d(linear(tf, x, this.fc1) as Any, this.dw.w as Any, 1, 'same'),
      this.dw.b,
    );
    return linear(tf, gelu(tf, hid), this.fc2);
  }

  private drop(y: TfTensor, training: boolean, rng: Rng): TfTensor {
    if (!training || this.dropPath === 0) return y;
    const b = y.shape[0];
    const keep = 1 / (1 - this.dropPath);
    const m = Float32Array.from({ length: b }, () => (rng.float() < this.dropPath ? 0 : keep));
    return this.tf.mul(y, this.tf.tensor(m, [b, 1, 1, 1]));
  }

  /** x [B, H, W, C] → [B, H, W, C]. */
  forward(x: TfTensor, training: boolean, rng: Rng): TfTensor {
    const { tf } = this;
    x = tf.add(x, this.drop(this.attention(layerNorm(tf, x, this.n1, this.eps)), training, rng));
    return tf.add(x, this.drop(this.ffn(layerNorm(tf, x, this.n2, this.eps)), training, rng));
  }
}

interface TfStage {
  embed: { w: TfVariable; b: TfVariable };
  embedNorm: Norm;
  k: number;
  stride: number;
  blocks: TfBlock[];
  norm: Norm;
}

export class TfSegFormer {
  readonly P: TfParams;
  readonly stages: TfStage[];
  readonly linearC: Lin[];
  readonly fuse: Lin;
  readonly bn: Norm;
  readonly bnMean: TfVariable;
  readonly bnVar: TfVariable;
  readonly cls: Lin;
  private rng: Rng;

  constructor(
    private readonly tf: Tf,
    readonly cfg: SegFormerConfig,
    seed = 1,
  ) {
    const P = new TfParams(tf, seed);
    this.P = P;
    this.rng = new Rng(seed);
    const total = cfg.depths.reduce((a, b) => a + b, 0);
    const dpr = Array.from({ length: total }, (_, i) => (total > 1 ? (cfg.dropPath * i) / (total - 1) : 0));
    let at = 0;
    this.stages = cfg.dims.map((c, s) => {
      const inC = s === 0 ? 3 : cfg.dims[s - 1];
      const k = cfg.patchSizes[s];
      const st: TfStage = {
        embed: P.conv(`s${s + 1}.embed.proj`, inC, c, k),
        embedNorm: P.norm(`s${s + 1}.embed.norm`, c),
        k,
        stride: cfg.strides[s],
        blocks: Array.from(
          { length: cfg.depths[s] },
          (_, i) =>
            new TfBlock(
              tf,
              P,
              `s${s + 1}.b${i}`,
              c,
              cfg.heads[s],
              cfg.srRatios[s],
              c * cfg.mlpRatio,
              cfg.lnEps,
              dpr[at + i],
            ),
        ),
        norm: P.norm(`s${s + 1}.norm`, c),
      };
      at += cfg.depths[s];
      return st;
    });
    const e = cfg.decoderDim;
    this.linearC = cfg.dims.map((d, i) => P.linear(`dec.linear_c${i + 1}`, d, e, true));
    this.fuse = P.linear('dec.fuse', e * cfg.dims.length, e, true, false);
    this.bn = P.norm('dec.bn', e, true);
    this.bnMean = P.buffer(tf.zeros([e]));
    this.bnVar = P.buffer(tf.ones([e]));
    this.cls = P.linear('dec.cls', e, cfg.classes, true);
  }

  get params(): TfVariable[] {
    return this.P.vars.map((p) => p.v);
  }
  numParameters(): number {
    return this.P.count();
  }

  /** Images [B, H, W, 3] → logits [B, H/4, W/4, classes]. */
  forward(x: TfTensor, training: boolean): TfTensor {
    const { tf, cfg } = this;
    const feats: TfTensor[] = [];
    let y = x;
    for (const st of this.stages) {
      y = tf.add(tf.conv2d(y as Any, st.embed.w as Any, st.stride, st.k >> 1), st.embed.b);
      y = layerNorm(tf, y, st.embedNorm, cfg.lnEps);
      for (const b of st.blocks) y = b.forward(y, training, this.rng);
      y = layerNorm(tf, y, st.norm, cfg.lnEps);
      feats.push(y);
    }
    const [bsz, h, w] = feats[0].shape as number[];
    const ups = feats.map((f, i) => {
      const p = linear(tf, f, this.linearC[i]);
      return i === 0 ? p : tf.image.resizeBilinear(p as Any, [h, w], false, true);
    });
    const cat = tf.concat(ups.reverse(), 3);
    let z = linear(tf, cat, this.fuse);
    const e = cfg.decoderDim;
    if (training) {
      const flat = tf.reshape(z, [-1, e]);
      const { mean, variance } = tf.moments(flat, 0);
      const n = flat.shape[0];
      // Running statistics as PyTorch (momentum 0.1, unbiased variance). They do not lead to the loss, so
      // tf.variableGrads prunes them from the backward pass.
      tf.tidy(() => {
        this.bnMean.assign(tf.add(tf.mul(this.bnMean, 0.9), tf.mul(mean, 0.1)));
        this.bnVar.assign(tf.add(tf.mul(this.bnVar, 0.9), tf.mul(variance, (0.1 * n) / Math.max(1, n - 1))));
      });
      z = tf.mul(tf.sub(z, mean), tf.rsqrt(tf.add(variance, 1e-5)));
    } else {
      z = tf.mul(tf.sub(z, this.bnMean), tf.rsqrt(tf.add(this.bnVar, 1e-5)));
    }
    z = tf.relu(tf.add(tf.mul(z, this.bn.g), this.bn.b));
    if (training) z = tf.dropout(z, 0.1, undefined, Math.floor(this.rng.float() * 2 ** 31));
    const logits = linear(tf, z, this.cls);
    return tf.reshape(logits, [bsz, h, w, cfg.classes]);
  }

  dispose(): void {
    this.P.dispose();
  }
}

/** Pixel-mean softmax cross-entropy of the logits upsampled to the labels' size; 255 = ignore. */
export function segLoss(tf: Tf, logits: TfTensor, oneHot: TfTensor, valid: number): TfTensor {
  const [, h, w] = oneHot.shape as number[];
  const up = tf.image.resizeBilinear(logits as Any, [h, w], false, true);
  return tf.div(tf.neg(tf.sum(tf.mul(tf.logSoftmax(up), oneHot))), Math.max(1, valid));
}

/** One-hot targets [B, H, W, classes] (rows of ignored pixels all zero) and the number of valid pixels. */
export function oneHotLabels(
  tf: Tf,
  labels: Uint8Array,
  shape: [number, number, number],
  classes: number,
): { oneHot: TfTensor; valid: number } {
  const idx = new Int32Array(labels.length);
  let valid = 0;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (y === 255) idx[i] = -1;
    else {
      if (y >= classes) throw new Error(`tfjs peer: label ${y} is outside [0, ${classes}) and is not 255.`);
      idx[i] = y;
      valid++;
    }
  }
  const oneHot = tf.tidy(() => tf.oneHot(tf.tensor(idx, [...shape], 'int32') as Any, classes));
  return { oneHot, valid };
}

/** AdamW as ours (PyTorch defaults β = (0.9, 0.999), ε = 1e-8; decoupled decay on every parameter). */
export class TfAdamW {
  private m: TfVariable[];
  private v: TfVariable[];
  private t = 0;
  constructor(
    private readonly tf: Tf,
    private readonly params: { v: TfVariable; head: boolean }[],
    private readonly lr: number,
    private readonly wd: number,
    private readonly headLrMult = 10,
    private readonly b1 = 0.9,
    private readonly b2 = 0.999,
    private readonly eps = 1e-8,
  ) {
    this.m = params.map((p) => tf.variable(tf.zerosLike(p.v), false));
    this.v = params.map((p) => tf.variable(tf.zerosLike(p.v), false));
  }
  update(grads: Record<string, TfTensor>): void {
    const { tf, b1, b2 } = this;
    this.t++;
    const bc1 = 1 - b1 ** this.t;
    const bc2 = 1 - b2 ** this.t;
    tf.tidy(() => {
      this.params.forEach((p, i) => {
        const g = grads[p.v.name];
        if (!g) return;
        const lr = this.lr * (p.head ? this.headLrMult : 1);
        const m = tf.add(tf.mul(this.m[i], b1), tf.mul(g, 1 - b1));
        const v = tf.add(tf.mul(this.v[i], b2), tf.mul(tf.square(g), 1 - b2));
        this.m[i].assign(m);
        this.v[i].assign(v);
        const step = tf.div(tf.mul(m, lr / bc1), tf.add(tf.sqrt(tf.div(v, bc2)), this.eps));
        p.v.assign(tf.sub(tf.mul(p.v, 1 - lr * this.wd), step));
      });
    });
  }
  dispose(): void {
    for (const t of [...this.m, ...this.v]) t.dispose();
  }
}
