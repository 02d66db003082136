// segformerGraph.ts — the SegFormer network as ONNX nodes, op for op as executor/segformerExecutor.ts
// runs it. Tokens are 2-D [n, C] tensors (batch 1, row = pixel in row-major order: the executor's
// NHWC buffers), so every Linear is a MatMul and LayerNorm works on the last axis; the convolutions
// that need a spatial layout (patch embeds, the Mix-FFN's depthwise conv) see NCHW through a
// Transpose + Reshape on each side. The spatial-reduction conv (kernel = stride = R, no padding) is
// the executor's im2col GEMM written as a space-to-depth Reshape/Transpose and a MatMul, so it is
// quantized like every other Linear and integer in ONNX Runtime.
import type { SegFormerArch } from '../arch.js';
import type { GraphBuilder } from './graphBuilder.js';
import { gelu, type LayerEmitter } from './layers.js';

interface Feature {
  tok: string;
  h: number;
  w: number;
}

/** Output size of the executor's convolutions: floor((h + 2p − k)/s) + 1. */
export const convOut = (h: number, k: number, s: number, p: number) => Math.floor((h + 2 * p - k) / s) + 1;

export class SegformerGraph {
  constructor(
    private readonly g: GraphBuilder,
    private readonly em: LayerEmitter,
    private readonly arch: SegFormerArch,
  ) {}

  /** `input` [1, 3, H, W] (normalized, NCHW) → logits [1, classes, h1, w1] (1/4 resolution, NCHW). */
  build(
    input: string,
    height: number,
    width: number,
    output: string,
  ): { name: string; h: number; w: number } {
    const { g, em } = this;
    const c = this.arch.config;
    let x = input;
    let h = height;
    let w = width;
    const feats: Feature[] = [];
    for (let s = 0; s < 4; s++) {
      const d = c.dims[s];
      const st = `stages.${s}`;
      const k = c.patchSizes[s];
      const pad = k >> 1;
      if (s > 0) {
        const prev = feats[s - 1];
        x = g.reshape(g.transpose(prev.tok, [1, 0]), [1, c.dims[s - 1], h, w], `${st}.embed.in`);
      }
      const emb = em.conv(`${st}.embed.proj`, x, k, c.strides[s], pad);
      h = convOut(h, k, c.strides[s], pad);
      w = convOut(w, k, c.strides[s], pad);
      const n = h * w;
      let tok = g.transpose(g.reshape(emb, [d, n]), [1, 0], `${st}.embed.tokens`);
      tok = em.layerNorm(`${st}.embed.norm`, tok, c.lnEps);
      this.arch.blocks[s].forEach((b, j) => {
        const bl = `${st}.blocks.${j}`;
        if (b.heads > 0) tok = this.attention(bl, s, b.heads, b.headDim, tok, h, w, d);
        if (b.ffn > 0) tok = this.ffn(bl, b.ffn, tok, h, w);
      });
      feats.push({ tok: em.layerNorm(`${st}.norm`, tok, c.lnEps), h, w });
    }
    return this.decoder(feats, output);
  }

  private attention(
    bl: string,
    s: number,
    heads: number,
    headDim: number,
    x: string,
    h: number,
    w: number,
    d: number,
  ): string {
    const { g, em } = this;
    const eps = this.arch.config.lnEps;
    const n = h * w;
    const inner = heads * headDim;
    const t = em.layerNorm(`${bl}.norm1`, x, eps);
    // q·(1/√dh) once, right after the projection, as the executor does (same f32 constant).
    const q = g.node('Mul', [em.linear(`${bl}.attn.q`, t), g.scalarF32(1 / Math.sqrt(headDim))]);
    let kvIn = t;
    let nk = n;
    const r = this.arch.config.srRatios[s];
    if (r > 1) {
      const rh = convOut(h, r, r, 0);
      const rw = convOut(w, r, r, 0);
      let img = g.reshape(t, [h, w, d]);
      // A conv with stride R drops the rows and columns that do not fill a whole R×R window.
      if (rh * r !== h || rw * r !== w) {
        img = g.node('Slice', [img, g.int64s([0, 0]), g.int64s([rh * r, rw * r]), g.int64s([0, 1])]);
      }
      // [rh, R, rw, R, d] → [rh, rw, R, R, d]: each row is one window in (ky, kx, c) order, the
      // executor's im2col column order and the `.edgeseg` weight layout [out, ky, kx, in].
      const win = g.transpose(g.reshape(img, [rh, r, rw, r, d]), [0, 2, 1, 3, 4]);
      const patches = g.reshape(win, [rh * rw, r * r * d], `${bl}.attn.sr.patches`);
      kvIn = em.layerNorm(`${bl}.attn.srNorm`, em.linear(`${bl}.attn.sr`, patches), eps);
      nk = rh * rw;
    }
    const k = em.linear(`${bl}.attn.k`, kvIn);
    const v = em.linear(`${bl}.attn.v`, kvIn);
    // Heads as a batch: Q [heads, n, dh], Kᵀ [heads, dh, nk], V [heads, nk, dh].
    const q3 = g.transpose(g.reshape(q, [n, heads, headDim]), [1, 0, 2]);
    const kt = g.transpose(g.reshape(k, [nk, heads, headDim]), [1, 2, 0]);
    const v3 = g.transpose(g.reshape(v, [nk, heads, headDim]), [1, 0, 2]);
    const p = g.node('Softmax', [g.node('MatMul', [q3, kt], undefined, `${bl}.attn.scores`)], { axis: -1 });
    const o3 = g.node('MatMul', [p, v3], undefined, `${bl}.attn.context`);
    const o = g.reshape(g.transpose(o3, [1, 0, 2]), [n, inner]);
    return g.node('Add', [x, em.linear(`${bl}.attn.proj`, o)], undefined, `${bl}.attn.residual`);
  }

  private ffn(bl: string, hidden: number, x: string, h: number, w: number): string {
    const { g, em } = this;
    const n = h * w;
    const t = em.layerNorm(`${bl}.norm2`, x, this.arch.config.lnEps);
    const hid = em.linear(`${bl}.ffn.fc1`, t);
    const img = g.reshape(g.transpose(hid, [1, 0]), [1, hidden, h, w]);
    const dw = em.dwconv(`${bl}.ffn.dw`, img);
    const back = g.transpose(g.reshape(dw, [hidden, n]), [1, 0]);
    const y = em.linear(`${bl}.ffn.fc2`, gelu(g, back, `${bl}.ffn.gelu`));
    return g.node('Add', [x, y], undefined, `${bl}.ffn.residual`);
  }

  private decoder(feats: Feature[], output: string): { name: string; h: number; w: number } {
    const { g, em } = this;
    const { fuseDim } = this.arch.decoder;
    const { h: h1, w: w1 } = feats[0];
    const n1 = h1 * w1;
    // The fuse before the upsampling, as the executor runs it: Σ_i up(W_i·c_i) + b, each stage's
    // slice of the fuse (head.fuse.${i}, exportOnnx's withFuseSlices; int8: its own QDQ of c_i with
    // the fuse's input scale) at the stage's resolution, stage 1's carrying the bias.
    const parts = feats.map((f, i) => {
      const y = em.linear(`head.fuse.${i}`, em.linear(`head.linearC.${i}`, f.tok));
      if (i === 0) return y;
      // Half-pixel bilinear (align_corners = false) on the NHWC view: resizing H and W of
      // [1, h, w, C] needs no layout change, where NCHW would cost two full-size transposes.
      const up = g.node(
        'Resize',
        [g.reshape(y, [1, f.h, f.w, fuseDim]), '', '', g.int64s([1, h1, w1, fuseDim])],
        { mode: 'linear', coordinate_transformation_mode: 'half_pixel' },
        `head.up.${i}`,
      );
      return g.reshape(up, [n1, fuseDim]);
    });
    // Added in stage order, as the executor adds them.
    let sum = parts[0];
    for (let i = 1; i < parts.length; i++)
      sum = g.node('Add', [sum, parts[i]], undefined, `head.fuse.sum.${i}`);
    // ReLU written as Max(x, 0) (the same function): ONNX Runtime's QDQ selector reads a Relu right
    // after a MatMul/Gemm as a clip to fold into an output Q and, finding none (the executor keeps
    // this output f32), leaves the layer in float; Max keeps it out of that pattern.
    const fused = g.node('Max', [sum, g.scalarF32(0)], undefined, 'head.fuse.relu');
    const logits = em.linear('head.cls', fused);
    const classes = this.arch.config.classes;
    const name = g.reshape(g.transpose(logits, [1, 0]), [1, classes, h1, w1], output);
    return { name, h: h1, w: w1 };
  }
}
