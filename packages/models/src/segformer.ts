// segformer.ts — MiT encoder + SegFormer all-MLP decoder (Xie et al., NeurIPS 2021), channels-last.
// Follows NVlabs/SegFormer and Hugging Face's modeling_segformer.py: pre-norm blocks, efficient
// self-attention with spatial reduction (sr conv k = s = R, then LayerNorm) on keys and values,
// Mix-FFN = fc1 → 3×3 depthwise conv → GELU (erf) → fc2, overlapping patch embeds, and a decoder
// that projects each stage to E channels, upsamples to 1/4 (bilinear, half-pixel centres), concats
// stage 4 first, fuses with a 1×1 conv + BN + ReLU and classifies. Logits are at 1/4 resolution.
//
// Pruning hooks: `gate` tensors (null unless a compression stage sets them) multiply attention heads,
// FFN channel groups, whole FFNs and decoder channel groups; excision removes what they close.
import {
  type Backend,
  BatchNorm,
  Conv2d,
  Dropout,
  DropPath,
  DWConv2d,
  LayerNorm,
  Linear,
  Module,
  ops,
  type Rng,
  type Tensor,
} from '@edgeseg/autograd';
import type { BlockArch, SegFormerArch } from './arch.js';
import { site } from './site.js';

/** Channel groups of a prunable width (the int8 SIMD width). */
export const GROUP = 16;

/** y [..., c] with each group of GROUP channels scaled by its gate g [c/GROUP] (a gated unit's output). */
export function gateGroups(y: Tensor, g: Tensor): Tensor {
  const shape = y.shape;
  const c = shape[shape.length - 1];
  return y
    .reshape([...shape.slice(0, -1), c / GROUP, GROUP])
    .mul(g.reshape([c / GROUP, 1]))
    .reshape(shape);
}

export class OverlapPatchEmbed extends Module {
  proj: Conv2d;
  norm: LayerNorm;
  constructor(be: Backend, inC: number, c: number, k: number, stride: number, eps: number, rng: Rng) {
    super();
    this.proj = new Conv2d(be, inC, c, k, stride, k >> 1, rng);
    this.norm = new LayerNorm(be, c, eps);
  }
  forward(x: Tensor): Tensor {
    const y = site('proj', () => this.proj.forward(x));
    return site('norm', () => this.norm.forward(y));
  }
}

/** Queries [b, h·w, heads·headDim] and keys [b, kh·kw, heads·headDim] of one attention layer. */
export type AttentionProbe = (a: {
  q: Tensor;
  k: Tensor;
  heads: number;
  headDim: number;
  h: number;
  w: number;
  kh: number;
  kw: number;
}) => void;

export class EfficientAttention extends Module {
  q: Linear;
  k: Linear;
  v: Linear;
  proj: Linear;
  sr?: Conv2d;
  srNorm?: LayerNorm;
  /** Per-head gate values [heads] (Hard-Concrete z), or null. */
  gate: Tensor | null = null;
  /** Gate [1] on the whole sub-layer output (proj bias included): 1 − Π(1 − z_h), so closing every head removes it. */
  outGate: Tensor | null = null;
  /** Called with the queries and keys of each forward pass (attention maps for reports), or null. */
  probe: AttentionProbe | null = null;
  constructor(
    be: Backend,
    readonly dim: number,
    readonly heads: number,
    readonly headDim: number,
    readonly srRatio: number,
    eps: number,
    rng: Rng,
  ) {
    super();
    const inner = heads * headDim;
    this.q = new Linear(be, dim, inner, rng);
    this.k = new Linear(be, dim, inner, rng);
    this.v = new Linear(be, dim, inner, rng);
    this.proj = new Linear(be, inner, dim, rng);
    if (srRatio > 1) {
      this.sr = new Conv2d(be, dim, dim, srRatio, srRatio, 0, rng);
      this.srNorm = new LayerNorm(be, dim, eps);
    }
  }
  forward(x: Tensor): Tensor {
    const [b, h, w, c] = x.shape;
    const tokens = x.reshape([b, h * w, c]);
    const q = site('q', () => this.q.forward(tokens));
    let kvIn = tokens;
    if (this.sr && this.srNorm) {
      const conv = this.sr;
      const norm = this.srNorm;
      const r = site('sr', () => conv.forward(x));
      const rn = site('sr_norm', () => norm.forward(r));
      kvIn = rn.reshape([b, rn.shape[1] * rn.shape[2], c]);
    }
    const k = site('k', () => this.k.forward(kvIn));
    if (this.probe) {
      const kh = this.sr ? Math.floor(h / this.srRatio) : h;
      const kw = this.sr ? Math.floor(w / this.srRatio) : w;
      this.probe({ q, k, heads: this.heads, headDim: this.headDim, h, w, kh, kw });
    }
    const v = site('v', () => this.v.forward(kvIn));
    let o = site('core', () => ops.attention(q, k, v, this.heads, 1 / Math.sqrt(this.headDim)));
    if (this.gate) {
      const g = this.gate;
      o = o
        .reshape([b, h * w, this.heads, this.headDim])
        .mul(g.reshape([this.heads, 1]))
        .reshape([b, h * w, this.heads * this.headDim]);
    }
    let y = site('proj', () => this.proj.forward(o));
    if (this.outGate) y = y.mul(this.outGate);
    return y.reshape([b, h, w, c]);
  }
}

export class MixFFN extends Module {
  fc1: Linear;
  dw: DWConv2d;
  fc2: Linear;
  /** Per-group gates [hidden/16] on the hidden channels, or null. */
  groupGate: Tensor | null = null;
  /** Gate [1] on the whole FFN output, or null. */
  blockGate: Tensor | null = null;
  constructor(
    be: Backend,
    dim: number,
    readonly hidden: number,
    rng: Rng,
  ) {
    super();
    this.fc1 = new Linear(be, dim, hidden, rng);
    this.dw = new DWConv2d(be, hidden, 3, 1, rng);
    this.fc2 = new Linear(be, hidden, dim, rng);
  }
  forward(x: Tensor): Tensor {
    let hid = site('fc1', () => this.fc1.forward(x));
    hid = site('dwconv', () => this.dw.forward(hid));
    hid = site('gelu', () => hid.gelu());
    if (this.groupGate) hid = gateGroups(hid, this.groupGate);
    let y = site('fc2', () => this.fc2.forward(hid));
    if (this.blockGate) y = y.mul(this.blockGate);
    return y;
  }
}

export class Block extends Module {
  norm1: LayerNorm | null;
  attn: EfficientAttention | null;
  norm2: LayerNorm | null;
  ffn: MixFFN | null;
  dropPath: DropPath;
  constructor(be: Backend, dim: number, a: BlockArch, sr: number, eps: number, dropPath: number, rng: Rng) {
    super();
    // An excised sub-layer takes its pre-norm with it: nothing else reads it.
    this.norm1 = a.heads > 0 ? new LayerNorm(be, dim, eps) : null;
    this.attn = a.heads > 0 ? new EfficientAttention(be, dim, a.heads, a.headDim, sr, eps, rng) : null;
    this.norm2 = a.ffn > 0 ? new LayerNorm(be, dim, eps) : null;
    this.ffn = a.ffn > 0 ? new MixFFN(be, dim, a.ffn, rng) : null;
    this.dropPath = new DropPath(dropPath, rng);
  }
  forward(x: Tensor): Tensor {
    const { attn, ffn, norm1, norm2 } = this;
    if (attn && norm1) {
      const y = site('attn', () => attn.forward(site('norm1', () => norm1.forward(x))));
      x = x.add(this.dropPath.forward(y));
    }
    if (ffn && norm2) {
      const y = site('ffn', () => ffn.forward(site('norm2', () => norm2.forward(x))));
      x = x.add(this.dropPath.forward(y));
    }
    return x;
  }
}

export class Stage extends Module {
  embed: OverlapPatchEmbed;
  blocks: Block[];
  norm: LayerNorm;
  constructor(be: Backend, arch: SegFormerArch, s: number, dropPaths: number[], rng: Rng) {
    super();
    const c = arch.config;
    const inC = s === 0 ? 3 : c.dims[s - 1];
    this.embed = new OverlapPatchEmbed(be, inC, c.dims[s], c.patchSizes[s], c.strides[s], c.lnEps, rng);
    this.blocks = arch.blocks[s].map(
      (a, i) => new Block(be, c.dims[s], a, c.srRatios[s], c.lnEps, dropPaths[i], rng),
    );
    this.norm = new LayerNorm(be, c.dims[s], c.lnEps);
  }
  forward(x: Tensor): Tensor {
    let y = site('embed', () => this.embed.forward(x));
    this.blocks.forEach((b, i) => {
      y = site(`b${i}`, () => b.forward(y));
    });
    return site('norm', () => this.norm.forward(y));
  }
}

export class SegFormerHead extends Module {
  linearC: Linear[];
  fuse: Linear;
  /** null once folded into `fuse` (before quantization-aware training). */
  bn: BatchNorm | null;
  dropout: Dropout;
  cls: Linear;
  /** Per-group gates [fuseDim/16] on the fused features, or null. */
  groupGate: Tensor | null = null;
  /** Per-group gates [cDims[i]/16] on each stage's projection, or null. */
  cGates: (Tensor | null)[] = [null, null, null, null];
  constructor(be: Backend, arch: SegFormerArch, rng: Rng) {
    super();
    const { cDims, fuseDim } = arch.decoder;
    this.linearC = arch.config.dims.map((d, i) => new Linear(be, d, cDims[i], rng));
    const folded = arch.decoder.bnFolded ?? false;
    this.fuse = new Linear(
      be,
      cDims.reduce((a, b) => a + b, 0),
      fuseDim,
      rng,
      folded,
    );
    this.bn = folded ? null : new BatchNorm(be, fuseDim);
    this.dropout = new Dropout(0.1, rng);
    this.cls = new Linear(be, fuseDim, arch.config.classes, rng);
  }
  forward(feats: Tensor[]): Tensor {
    const [, h, w] = feats[0].shape;
    const ups = feats.map((f, i) =>
      site(`linear_c${i + 1}`, () => {
        const y = this.project(i, f);
        return i === 0 ? y : site('resize', () => ops.resize(y, h, w));
      }),
    );
    // Concatenated with stage 4 first, as the reference implementation does.
    const cat = site('concat', () => ops.concat(ups.reverse(), 3));
    return this.classify(site('fuse', () => this.fuse.forward(cat)));
  }

  /** Stage i's features projected to cDims[i] channels (linear_c, then its channel-group gates). */
  project(i: number, f: Tensor): Tensor {
    const y = this.linearC[i].forward(f);
    const g = this.cGates[i];
    return g ? gateGroups(y, g) : y;
  }

  /** The fused features → logits: BatchNorm (unless folded), ReLU, group gates, dropout, classifier. */
  classify(fused: Tensor): Tensor {
    let y = fused;
    const bn = this.bn;
    if (bn) y = site('bn', () => bn.forward(y));
    y = site('relu', () => y.relu());
    if (this.groupGate) y = gateGroups(y, this.groupGate);
    y = this.dropout.forward(y);
    return site('cls', () => this.cls.forward(y));
  }
}

export class SegFormer extends Module {
  stages: Stage[];
  head: SegFormerHead;
  constructor(
    be: Backend,
    readonly arch: SegFormerArch,
    rng: Rng,
  ) {
    super();
    const c = arch.config;
    const total = c.depths.reduce((a, b) => a + b, 0);
    // Stochastic depth grows linearly over all blocks (SegFormer: torch.linspace(0, drop_path_rate, sum(depths))).
    const dpr = Array.from({ length: total }, (_, i) => (total > 1 ? (c.dropPath * i) / (total - 1) : 0));
    let at = 0;
    this.stages = c.dims.map((_, s) => {
      const st = new Stage(be, arch, s, dpr.slice(at, at + arch.blocks[s].length), rng);
      at += arch.blocks[s].length;
      return st;
    });
    this.head = new SegFormerHead(be, arch, rng);
  }

  /** Encoder features of every stage, NHWC. */
  features(x: Tensor): Tensor[] {
    const feats: Tensor[] = [];
    let y = x;
    this.stages.forEach((s, i) => {
      y = site(`s${i + 1}`, () => s.forward(y));
      feats.push(y);
    });
    return feats;
  }

  /** Images [B, H, W, 3] (normalized) → logits [B, H/4, W/4, classes]. */
  forward(x: Tensor): Tensor {
    const feats = this.features(x);
    return site('dec', () => this.head.forward(feats));
  }
}
