// segformerExecutor.ts — runs an `.edgeseg` SegFormer on the kernels, frame after frame, in planned
// memory (DESIGN §3.2): every Linear and convolution as an INT8 GEMM (or FP32 for float models),
// patch embeds and the spatial-reduction conv through im2col, and in f32 SIMD the rest: LayerNorm,
// attention scores and softmax, the depthwise conv of the Mix-FFN (on dequantized int8 weights),
// GELU, residual adds, bilinear resizes, the decoder's concat and ReLU. The graph follows the
// architecture in the file — excised heads, FFNs and decoder widths included.
import {
  affineF32,
  binaryF32,
  dwconvF32,
  gemmF32,
  im2colF32,
  type KBuf,
  type Kernels,
  layerNormF32,
  resizeBilinearF32,
  softmaxF32,
  unaryF32,
} from '@edgeseg/kernels';
import type { SegFormerArch } from '../arch.js';
import { archLayers, type EdgesegModelFile } from '../format.js';
import { FloatLinear, type Layer, QuantLinear, viewAt } from './linear.js';
import { Workspace } from './workspace.js';

interface Norm {
  gamma: KBuf<'f32'>;
  beta: KBuf<'f32'>;
}

interface DwConv {
  weight: KBuf<'f32'>;
  bias: KBuf<'f32'>;
}

export class SegFormerExecutor {
  readonly arch: SegFormerArch;
  private readonly layers = new Map<string, Layer>();
  private readonly norms = new Map<string, Norm>();
  private readonly dw = new Map<string, DwConv>();
  readonly ws: Workspace;

  constructor(
    readonly k: Kernels,
    file: EdgesegModelFile,
  ) {
    this.arch = file.meta.arch;
    this.ws = new Workspace(k);
    const t = file.tensors;
    for (const l of archLayers(this.arch)) {
      if (l.kind === 'norm') {
        this.norms.set(l.name, {
          gamma: k.from('f32', t.get(`${l.name}.weight`)!.data as Float32Array),
          beta: k.from('f32', t.get(`${l.name}.bias`)!.data as Float32Array),
        });
      } else if (l.kind === 'dwconv') {
        // Depthwise weights are stored int8 per channel and run in f32: dequantize once, at load.
        const w = t.get(`${l.name}.weight`)!;
        let wf: Float32Array;
        if (w.dtype === 'I8') {
          const s = t.get(`${l.name}.wscale`)!.data as Float32Array;
          const c = s.length;
          wf = Float32Array.from(w.data as Int8Array, (v, i) => Math.fround(v * s[i % c]));
        } else wf = w.data as Float32Array;
        this.dw.set(l.name, {
          weight: k.from('f32', wf),
          bias: k.from('f32', t.get(`${l.name}.bias`)!.data as Float32Array),
        });
      } else {
        this.layers.set(
          l.name,
          file.meta.precision === 'int8'
            ? new QuantLinear(k, l.name, t, file.meta.quant[l.name])
            : new FloatLinear(k, l.name, t),
        );
      }
    }
  }

  private layer(name: string): Layer {
    const l = this.layers.get(name);
    if (!l) throw new Error(`runtime: no layer "${name}".`);
    return l;
  }

  private layerNorm(name: string, x: KBuf<'f32'>, rows: number, cols: number, y: KBuf<'f32'>): void {
    const n = this.norms.get(name)!;
    layerNormF32(this.k, x, n.gamma, n.beta, y, this.ws.f32('ln.mean', rows), this.ws.f32('ln.rstd', rows), {
      rows,
      cols,
      eps: this.arch.config.lnEps,
    });
  }

  /** A convolution through im2col then the layer's GEMM; returns [outH, outW]. */
  private conv(
    name: string,
    x: KBuf<'f32'>,
    h: number,
    w: number,
    inC: number,
    kSize: number,
    stride: number,
    pad: number,
    y: KBuf<'f32'>,
  ): [number, number] {
    const outH = Math.floor((h + 2 * pad - kSize) / stride) + 1;
    const outW = Math.floor((w + 2 * pad - kSize) / stride) + 1;
    const rows = outH * outW;
    const cols = this.ws.f32('conv.cols', rows * kSize * kSize * inC);
    im2colF32(this.k, x, cols, {
      batch: 1,
      inH: h,
      inW: w,
      inC,
      kH: kSize,
      kW: kSize,
      stride,
      pad,
      dilation: 1,
      outH,
      outW,
    });
    this.layer(name).run(this.ws, cols, rows, y);
    return [outH, outW];
  }

  /**
   * Logits [H/4 × W/4 × classes] of one normalized NHWC image [h × w × 3]; the returned buffer is the
   * workspace's and is overwritten by the next call.
   */
  forward(
    image: KBuf<'f32'>,
    height: number,
    width: number,
  ): { logits: KBuf<'f32'>; height: number; width: number } {
    const c = this.arch.config;
    const ws = this.ws;
    let x = image;
    let h = height;
    let w = width;
    let inC = 3;
    const feats: { buf: KBuf<'f32'>; h: number; w: number; c: number }[] = [];
    for (let s = 0; s < 4; s++) {
      const d = c.dims[s];
      const st = `stages.${s}`;
      const emb = ws.f32(`s${s}.emb`, Math.ceil(h / c.strides[s] + 1) * Math.ceil(w / c.strides[s] + 1) * d);
      [h, w] = this.conv(
        `${st}.embed.proj`,
        x,
        h,
        w,
        inC,
        c.patchSizes[s],
        c.strides[s],
        c.patchSizes[s] >> 1,
        emb,
      );
      const n = h * w;
      const xs = ws.f32(`s${s}.x`, n * d);
      this.layerNorm(`${st}.embed.norm`, emb, n, d, xs);
      this.arch.blocks[s].forEach((b, j) => {
        const bl = `${st}.blocks.${j}`;
        if (b.heads > 0) this.attention(bl, s, b.heads, b.headDim, xs, h, w, d);
        if (b.ffn > 0) this.ffn(bl, b.ffn, xs, h, w, d);
      });
      const out = ws.f32(`s${s}.out`, n * d);
      this.layerNorm(`${st}.norm`, xs, n, d, out);
      feats.push({ buf: out, h, w, c: d });
      x = out;
      inC = d;
    }
    return this.decoder(feats);
  }

  private attention(
    bl: string,
    s: number,
    heads: number,
    headDim: number,
    x: KBuf<'f32'>,
    h: number,
    w: number,
    d: number,
  ): void {
    const ws = this.ws;
    const n = h * w;
    const inner = heads * headDim;
    const t = ws.f32('attn.t', n * d);
    this.layerNorm(`${bl}.norm1`, x, n, d, t);
    const q = ws.f32('attn.q', n * inner);
    this.layer(`${bl}.attn.q`).run(ws, t, n, q);
    // Scale q by 1/√dh once instead of every score.
    affineF32(this.k, q, q, 1 / Math.sqrt(headDim), 0, { n: n * inner });
    let kvIn = t;
    let nk = n;
    const r = this.arch.config.srRatios[s];
    if (r > 1) {
      const red = ws.f32('attn.sr', Math.ceil(h / r) * Math.ceil(w / r) * d);
      const [rh, rw] = this.conv(`${bl}.attn.sr`, t, h, w, d, r, r, 0, red);
      nk = rh * rw;
      kvIn = ws.f32('attn.srn', nk * d);
      this.layerNorm(`${bl}.attn.srNorm`, red, nk, d, kvIn);
    }
    const kb = ws.f32('attn.k', nk * inner);
    const vb = ws.f32('attn.v', nk * inner);
    this.layer(`${bl}.attn.k`).run(ws, kvIn, nk, kb);
    this.layer(`${bl}.attn.v`).run(ws, kvIn, nk, vb);
    const scores = ws.f32('attn.p', n * nk);
    const o = ws.f32('attn.o', n * inner);
    for (let hd = 0; hd < heads; hd++) {
      const off = hd * headDim;
      gemmF32(this.k, {
        m: n,
        n: nk,
        k: headDim,
        a: q,
        aOffset: off,
        lda: inner,
        b: kb,
        bOffset: off,
        ldb: inner,
        transB: true,
        c: scores,
      });
      softmaxF32(this.k, scores, scores, { rows: n, cols: nk });
      gemmF32(this.k, {
        m: n,
        n: headDim,
        k: nk,
        a: scores,
        b: vb,
        bOffset: off,
        ldb: inner,
        c: o,
        cOffset: off,
        ldc: inner,
      });
    }
    const y = ws.f32('attn.y', n * d);
    this.layer(`${bl}.attn.proj`).run(ws, o, n, y);
    binaryF32(this.k, 'add', x, y, x, { n: n * d });
  }

  private ffn(bl: string, hidden: number, x: KBuf<'f32'>, h: number, w: number, d: number): void {
    const ws = this.ws;
    const n = h * w;
    const t = ws.f32('ffn.t', n * d);
    this.layerNorm(`${bl}.norm2`, x, n, d, t);
    const hid = ws.f32('ffn.h', n * hidden);
    this.layer(`${bl}.ffn.fc1`).run(ws, t, n, hid);
    const dw = this.dw.get(`${bl}.ffn.dw`)!;
    const hid2 = ws.f32('ffn.h2', n * hidden);
    dwconvF32(this.k, hid, dw.weight, dw.bias, hid2, {
      batch: 1,
      inH: h,
      inW: w,
      inC: hidden,
      kH: 3,
      kW: 3,
      stride: 1,
      pad: 1,
      dilation: 1,
      outH: h,
      outW: w,
    });
    unaryF32(this.k, 'gelu', hid2, hid2, { n: n * hidden });
    const y = ws.f32('ffn.y', n * d);
    this.layer(`${bl}.ffn.fc2`).run(ws, hid2, n, y);
    binaryF32(this.k, 'add', x, y, x, { n: n * d });
  }

  private decoder(feats: { buf: KBuf<'f32'>; h: number; w: number; c: number }[]): {
    logits: KBuf<'f32'>;
    height: number;
    width: number;
  } {
    const ws = this.ws;
    const { cDims, fuseDim } = this.arch.decoder;
    const { h: h1, w: w1 } = feats[0];
    const n1 = h1 * w1;
    const total = cDims.reduce((a, b) => a + b, 0);
    const cat = ws.f32('dec.cat', n1 * total);
    // Concatenated stage 4 first (the reference order): stage i lands at column offset off[i].
    const off: number[] = [];
    let acc = 0;
    for (let i = 3; i >= 0; i--) {
      off[i] = acc;
      acc += cDims[i];
    }
    feats.forEach((f, i) => {
      const lin = this.layer(`head.linearC.${i}`);
      if (i === 0) {
        lin.run(ws, f.buf, f.h * f.w, cat, off[i], total);
        return;
      }
      const small = ws.f32('dec.small', f.h * f.w * cDims[i]);
      lin.run(ws, f.buf, f.h * f.w, small);
      const up = ws.f32('dec.up', n1 * cDims[i]);
      resizeBilinearF32(this.k, small, up, { batch: 1, inH: f.h, inW: f.w, outH: h1, outW: w1, c: cDims[i] });
      // Scatter the upsampled rows into their column slice of the concat.
      const mem = new Float32Array(this.k.memory.buffer);
      const src = up.ptr >> 2;
      const dst = (cat.ptr >> 2) + off[i];
      const cd = cDims[i];
      for (let r = 0; r < n1; r++) mem.copyWithin(dst + r * total, src + r * cd, src + (r + 1) * cd);
    });
    const fused = ws.f32('dec.fused', n1 * fuseDim);
    this.layer('head.fuse').run(ws, cat, n1, fused);
    unaryF32(this.k, 'relu', fused, fused, { n: n1 * fuseDim });
    const classes = this.arch.config.classes;
    const logits = ws.f32('dec.logits', n1 * classes);
    this.layer('head.cls').run(ws, fused, n1, logits);
    return { logits, height: h1, width: w1 };
  }

  release(): void {
    for (const l of this.layers.values()) l.release();
    for (const n of this.norms.values()) {
      n.gamma.release();
      n.beta.release();
    }
    for (const d of this.dw.values()) {
      d.weight.release();
      d.bias.release();
    }
    this.ws.release();
  }
}

export { viewAt };
