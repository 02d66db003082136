// segformerExecutor.ts — runs an `.edgeseg` SegFormer on the kernels, frame after frame, in planned
// memory (DESIGN §3.2): every Linear and convolution as an INT8 GEMM (or FP32 for float models),
// patch embeds and the spatial-reduction conv through im2col, and in f32 SIMD the rest: LayerNorm,
// attention scores and softmax, the depthwise conv of the Mix-FFN (on dequantized int8 weights),
// GELU, residual adds, bilinear resizes, the decoder's sum and ReLU. The graph follows the
// architecture in the file — excised heads, FFNs and decoder widths included.
//
// Threads (run.ts): each member of a team runs this same code over its band of image rows (token
// rows = image rows × width, so convolution bands line up) and waits at a barrier before any op
// that reads rows another member wrote: each stage's patch embed, the spatial-reduction conv, the
// attention over all keys and values, the Mix-FFN's depthwise conv and the decoder's upsampling.
// Every row is computed by the same kernel calls on the same data as with one thread (GEMM rows
// are independent; bands.ts makes convolution and resize bands exact), so results are bit-identical
// for any number of threads. K, V and the FFN hidden state alternate between two buffers so that a
// fast member writing the next block's never overtakes a slow one still reading this block's.
// When the spatial-reduction grid splits evenly, a stage's bands are whole reduction cells (R rows),
// so each member reduces its own rows of t and the barrier before that conv is not needed.
import {
  affineF32,
  binaryF32,
  dwconvF32,
  GEMM_F32_SCRATCH_BYTES,
  gemmF32,
  gemmF32PackedLength,
  im2colF32,
  im2colI8,
  KBuf,
  type Kernels,
  layerNormF32,
  packGemmF32B,
  resizeBilinearAddF32,
  resizeF32ScratchBytes,
  softmaxF32,
  unaryF32,
} from '@edgeseg/kernels';
import type { StTensor } from '@edgeseg/safetensors';
import type { SegFormerArch } from '../arch.js';
import { archLayers, type EdgesegModelFile } from '../format.js';
import { convBand } from './bands.js';
import { attachLayer, FloatLinear, type Layer, type LayerLayout, QuantLinear, viewAt } from './linear.js';
import { type Run, share, shareOf, soloRun } from './run.js';
import { Workspace } from './workspace.js';

interface Norm {
  gamma: KBuf<'f32'>;
  beta: KBuf<'f32'>;
}

interface DwConv {
  weight: KBuf<'f32'>;
  bias: KBuf<'f32'>;
}

/** Pointers of every weight, so that a worker can run the executor on the owner's memory. */
export interface ExecutorLayout {
  arch: SegFormerArch;
  layers: LayerLayout[];
  norms: { name: string; gamma: number; beta: number; length: number }[];
  dw: { name: string; weight: number; bias: number; channels: number }[];
}

/** A stage output as the decoder needs it (with the band of rows this member computed). */
interface Feat {
  buf: KBuf<'f32'>;
  h: number;
  w: number;
  c: number;
  band: StageBand;
}

/** This member's rows [y0, y1) of a stage's grid; `cells`: its rows of the reduction grid, if aligned. */
interface StageBand {
  y0: number;
  y1: number;
  cells: [number, number] | null;
}

/** Rows of the reduction conv (kernel = stride = r, no padding) over h rows. */
function reducedRows(h: number, r: number): number {
  return Math.floor((h - r) / r) + 1;
}

function stageBand(h: number, r: number, team: Run['team']): StageBand {
  const rh = reducedRows(h, r);
  if (r > 1 && rh > 0 && rh % team.size === 0) {
    // Whole reduction cells per member (equal shares); the last member also takes the rows past them.
    const [a, b] = shareOf(rh, team.tid, team.size);
    return { y0: a * r, y1: team.tid === team.size - 1 ? h : b * r, cells: [a, b] };
  }
  const [y0, y1] = share(h, team);
  return { y0, y1, cells: null };
}

/**
 * The decoder's fuse weight [fuseDim, Σ cDims] cut into one layer per stage: stage i's columns
 * (the concat puts stage 4 first), the same per-channel weight scales, and the bias on stage 1's
 * slice only (zeros elsewhere), so that Σ_i slice_i(c_i) is the whole layer. The names are
 * `head.fuse.${i}` with the tensors `.weight`, `.bias` (and `.wscale` in int8).
 */
export function splitFuse(arch: SegFormerArch, t: Map<string, StTensor>): Map<string, StTensor>[] {
  const { cDims } = arch.decoder;
  const w = t.get('head.fuse.weight');
  const b = t.get('head.fuse.bias');
  if (!w || !b) throw new Error('runtime: tensor "head.fuse.weight" or "head.fuse.bias" is missing.');
  const out = w.shape[0];
  const total = w.data.length / out;
  const src = w.data as ArrayLike<number>;
  return cDims.map((cd, i) => {
    // Stage i's columns come after those of stages i+2 … 4 (the concat puts stage 4 first).
    const col0 = cDims.slice(i + 1).reduce((a, c) => a + c, 0);
    const data = w.dtype === 'I8' ? new Int8Array(out * cd) : new Float32Array(out * cd);
    for (let o = 0; o < out; o++) for (let c = 0; c < cd; c++) data[o * cd + c] = src[o * total + col0 + c];
    const bias = i === 0 ? b.data : b.dtype === 'I32' ? new Int32Array(out) : new Float32Array(out);
    const name = `head.fuse.${i}`;
    const m = new Map<string, StTensor>([
      [`${name}.weight`, { dtype: w.dtype, shape: [out, cd], data }],
      [`${name}.bias`, { dtype: b.dtype, shape: [out], data: bias }],
    ]);
    const s = t.get('head.fuse.wscale');
    if (s) m.set(`${name}.wscale`, s);
    return m;
  });
}

export class SegFormerExecutor {
  readonly arch: SegFormerArch;
  private readonly layers = new Map<string, Layer>();
  private readonly norms = new Map<string, Norm>();
  private readonly dw = new Map<string, DwConv>();
  /** The single-thread workspace (forward without a Run). */
  readonly ws: Workspace;
  private readonly owned: boolean;

  constructor(
    readonly k: Kernels,
    file: EdgesegModelFile | ExecutorLayout,
  ) {
    this.ws = new Workspace(k);
    if ('layers' in file) {
      this.arch = file.arch;
      this.owned = false;
      this.attach(file);
      return;
    }
    this.owned = true;
    this.arch = file.meta.arch;
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
      } else if (l.name === 'head.fuse') {
        splitFuse(this.arch, t).forEach((slice, i) => {
          const name = `head.fuse.${i}`;
          this.layers.set(
            name,
            file.meta.precision === 'int8'
              ? QuantLinear.load(k, name, slice, file.meta.quant[l.name])
              : FloatLinear.load(k, name, slice),
          );
        });
      } else {
        this.layers.set(
          l.name,
          file.meta.precision === 'int8'
            ? QuantLinear.load(k, l.name, t, file.meta.quant[l.name])
            : FloatLinear.load(k, l.name, t),
        );
      }
    }
  }

  private attach(o: ExecutorLayout): void {
    const at = (ptr: number, n: number) => KBuf.at(this.k.arena, 'f32', ptr, n);
    for (const l of o.layers) this.layers.set(l.name, attachLayer(this.k, l));
    for (const n of o.norms)
      this.norms.set(n.name, { gamma: at(n.gamma, n.length), beta: at(n.beta, n.length) });
    for (const d of o.dw)
      this.dw.set(d.name, { weight: at(d.weight, 9 * d.channels), bias: at(d.bias, d.channels) });
  }

  /** Where every weight lives (for workers sharing this memory). */
  layout(): ExecutorLayout {
    return {
      arch: this.arch,
      layers: [...this.layers.values()].map((l) => l.describe()),
      norms: [...this.norms].map(([name, n]) => ({
        name,
        gamma: n.gamma.ptr,
        beta: n.beta.ptr,
        length: n.gamma.length,
      })),
      dw: [...this.dw].map(([name, d]) => ({
        name,
        weight: d.weight.ptr,
        bias: d.bias.ptr,
        channels: d.bias.length,
      })),
    };
  }

  /**
   * The first conv's input quantization (scale, zero point) for an INT8 model, else null: forward()
   * then also takes the normalized image already quantized with it (int8, the same bytes).
   */
  get inputQuant(): { scale: number; zeroPoint: number } | null {
    const l = this.layer('stages.0.embed.proj');
    return l instanceof QuantLinear ? l.inputQuant : null;
  }

  private layer(name: string): Layer {
    const l = this.layers.get(name);
    if (!l) throw new Error(`runtime: no layer "${name}".`);
    return l;
  }

  /** LayerNorm of rows [r0, r1) of x [· × cols] into the same rows of y. */
  private layerNorm(
    r: Run,
    name: string,
    x: KBuf<'f32'>,
    r0: number,
    r1: number,
    cols: number,
    y: KBuf<'f32'>,
  ): void {
    const rows = r1 - r0;
    if (rows === 0) return;
    const n = this.norms.get(name)!;
    layerNormF32(
      r.k,
      viewAt(r.k, x, r0 * cols),
      n.gamma,
      n.beta,
      viewAt(r.k, y, r0 * cols),
      r.local.f32('ln.mean', rows),
      r.local.f32('ln.rstd', rows),
      { rows, cols, eps: this.arch.config.lnEps },
    );
  }

  /**
   * This member's band of a convolution through im2col then the layer's GEMM, into its rows of y
   * ([outH·outW × outC]); returns [outH, outW] and the band of output rows.
   */
  private conv(
    r: Run,
    name: string,
    x: KBuf<'f32'> | KBuf<'i8'>,
    h: number,
    w: number,
    inC: number,
    kSize: number,
    stride: number,
    pad: number,
    y: KBuf<'f32'>,
    rows?: [number, number],
  ): { outH: number; outW: number; lo: number; hi: number } {
    const outH = Math.floor((h + 2 * pad - kSize) / stride) + 1;
    const outW = Math.floor((w + 2 * pad - kSize) / stride) + 1;
    const [lo, hi] = rows ?? share(outH, r.team);
    if (lo === hi) return { outH, outW, lo, hi };
    const b = convBand(lo, hi, h, outH, kSize, stride, pad);
    const kk = kSize * kSize * inC;
    const geom = {
      batch: 1,
      inH: b.inH,
      inW: w,
      inC,
      kH: kSize,
      kW: kSize,
      stride,
      pad,
      dilation: 1,
      outH: b.outH,
      outW,
    };
    const l = this.layer(name);
    if (l instanceof QuantLinear) {
      // INT8: quantize the band's input once, then gather int8 patches padded with the zero point
      // (what 0.0 quantizes to) — the same bytes as gathering f32 patches and quantizing each of
      // their kSize²/stride² copies of a value (×3 for the 7×7/4 patch embed), a quarter the bytes.
      const nIn = b.inH * w * inC;
      let xq: KBuf<'i8'>;
      if (x.dtype === 'i8') xq = KBuf.at(r.k.arena, 'i8', x.ptr + b.inRow * w * inC, nIn);
      else {
        xq = r.local.get('conv.xq', 'i8', nIn);
        l.quantize(r.k, x as KBuf<'f32'>, b.inRow * w * inC, nIn, xq);
      }
      const colsQ = r.local.get('conv.colsq', 'i8', b.outH * outW * kk);
      im2colI8(r.k, xq, colsQ, geom, { padValue: l.zeroPoint });
      const rows = (hi - lo) * outW;
      const mine = KBuf.at(r.k.arena, 'i8', colsQ.ptr + b.lead * outW * kk, rows * kk);
      l.runQuantized(r.k, r.local, mine, rows, y, lo * outW * l.outF, l.outF);
      return { outH, outW, lo, hi };
    }
    if (x.dtype !== 'f32')
      throw new Error(`runtime: ${name} is an FP32 layer; its input must be f32, got int8.`);
    const cols = r.local.f32('conv.cols', b.outH * outW * kk);
    im2colF32(r.k, viewAt(r.k, x as KBuf<'f32'>, b.inRow * w * inC), cols, geom);
    l.run(r.k, r.local, cols, (hi - lo) * outW, y, lo * outW * l.outF, l.outF, b.lead * outW * kk);
    return { outH, outW, lo, hi };
  }

  /**
   * Logits [H/4 × W/4 × classes] of one normalized NHWC image [h × w × 3] (f32, or for an INT8 model
   * int8 already quantized with `inputQuant`); the returned buffer is the
   * workspace's and is overwritten by the next call. With a Run, this member's part of the frame
   * (the logits are complete only after the team's next barrier).
   */
  forward(
    image: KBuf<'f32'> | KBuf<'i8'>,
    height: number,
    width: number,
    run: Run = soloRun(this.k, this.ws),
  ): { logits: KBuf<'f32'>; height: number; width: number } {
    const c = this.arch.config;
    const { ws, team } = run;
    let x: KBuf<'f32'> | KBuf<'i8'> = image;
    let h = height;
    let w = width;
    let inC = 3;
    const feats: Feat[] = [];
    const parity = { attn: 0, ffn: 0 };
    for (let s = 0; s < 4; s++) {
      const d = c.dims[s];
      const st = `stages.${s}`;
      const p = c.patchSizes[s];
      const oh = Math.floor((h + 2 * (p >> 1) - p) / c.strides[s]) + 1;
      const ow = Math.floor((w + 2 * (p >> 1) - p) / c.strides[s]) + 1;
      const emb = ws.f32(`s${s}.emb`, oh * ow * d);
      const band = stageBand(oh, c.srRatios[s], team);
      team.barrier(); // the patch embed reads neighbouring rows of the previous stage (or image)
      run.prof?.op(`s${s}.embed`);
      const e = this.conv(run, `${st}.embed.proj`, x, h, w, inC, p, c.strides[s], p >> 1, emb, [
        band.y0,
        band.y1,
      ]);
      [h, w] = [e.outH, e.outW];
      const n = h * w;
      const xs = ws.f32(`s${s}.x`, n * d);
      run.prof?.op(`s${s}.embed.norm`);
      this.layerNorm(run, `${st}.embed.norm`, emb, band.y0 * w, band.y1 * w, d, xs);
      this.arch.blocks[s].forEach((b, j) => {
        const bl = `${st}.blocks.${j}`;
        if (b.heads > 0) this.attention(run, bl, s, b.heads, b.headDim, xs, h, w, d, band, parity.attn++ & 1);
        if (b.ffn > 0) this.ffn(run, bl, s, b.ffn, xs, h, w, d, band, parity.ffn++ & 1);
      });
      const out = ws.f32(`s${s}.out`, n * d);
      run.prof?.op(`s${s}.norm`);
      this.layerNorm(run, `${st}.norm`, xs, band.y0 * w, band.y1 * w, d, out);
      feats.push({ buf: out, h, w, c: d, band });
      x = out;
      inC = d;
    }
    return this.decoder(run, feats);
  }

  private attention(
    r: Run,
    bl: string,
    s: number,
    heads: number,
    headDim: number,
    x: KBuf<'f32'>,
    h: number,
    w: number,
    d: number,
    band: StageBand,
    par: number,
  ): void {
    const { ws, local, k, team } = r;
    const n = h * w;
    const inner = heads * headDim;
    const { y0, y1 } = band;
    const [t0, t1] = [y0 * w, y1 * w];
    const rows = t1 - t0;
    const prof = r.prof;
    const op = (name: string) => prof?.op(`s${s}.${name}`);
    // This member's token rows: LayerNorm, q (scaled by 1/√dh once instead of every score).
    const t = ws.f32('attn.t', n * d);
    op('attn.norm1');
    this.layerNorm(r, `${bl}.norm1`, x, t0, t1, d, t);
    const q = local.f32('attn.q', rows * inner);
    op('attn.q');
    this.layer(`${bl}.attn.q`).run(k, local, t, rows, q, 0, inner, t0 * d);
    if (rows > 0) affineF32(k, q, q, 1 / Math.sqrt(headDim), 0, { n: rows * inner });
    // Keys and values of the (spatially reduced) sequence, by rows of the reduced grid.
    const ratio = this.arch.config.srRatios[s];
    let nk = n;
    const kb = ws.f32(`attn.k${par}`, n * inner);
    const vb = ws.f32(`attn.v${par}`, n * inner);
    if (ratio > 1) {
      const red = ws.f32('attn.sr', Math.ceil(h / ratio) * Math.ceil(w / ratio) * d);
      // The reduction conv reads rows of t: its own when bands are whole cells, else anyone's.
      if (!band.cells) team.barrier();
      op('attn.sr');
      const e = this.conv(r, `${bl}.attn.sr`, t, h, w, d, ratio, ratio, 0, red, band.cells ?? undefined);
      nk = e.outH * e.outW;
      const kvIn = ws.f32('attn.srn', nk * d);
      op('attn.srnorm');
      this.layerNorm(r, `${bl}.attn.srNorm`, red, e.lo * e.outW, e.hi * e.outW, d, kvIn);
      const [k0, k1] = [e.lo * e.outW, e.hi * e.outW];
      op('attn.kv');
      this.layer(`${bl}.attn.k`).run(k, local, kvIn, k1 - k0, kb, k0 * inner, inner, k0 * d);
      this.layer(`${bl}.attn.v`).run(k, local, kvIn, k1 - k0, vb, k0 * inner, inner, k0 * d);
    } else {
      op('attn.kv');
      this.layer(`${bl}.attn.k`).run(k, local, t, rows, kb, t0 * inner, inner, t0 * d);
      this.layer(`${bl}.attn.v`).run(k, local, t, rows, vb, t0 * inner, inner, t0 * d);
    }
    team.barrier(); // every query attends to every key and value
    const o = local.f32('attn.o', rows * inner);
    if (rows > 0) {
      const scores = local.f32('attn.p', rows * nk);
      const kt = local.f32('attn.kt', gemmF32PackedLength(headDim, nk));
      const scratch = local.get('gemm.scratch', 'u8', GEMM_F32_SCRATCH_BYTES);
      for (let hd = 0; hd < heads; hd++) {
        const off = hd * headDim;
        // Kᵀ of this head, packed by each member for itself (nk·dh floats: cheaper than a barrier).
        op('attn.scores');
        const packed = packGemmF32B(k, kb, {
          k: headDim,
          n: nk,
          transB: true,
          ldb: inner,
          bOffset: off,
          into: kt,
        });
        gemmF32(k, {
          m: rows,
          n: nk,
          k: headDim,
          a: q,
          aOffset: off,
          lda: inner,
          packed,
          c: scores,
          scratch,
        });
        op('attn.softmax');
        softmaxF32(k, scores, scores, { rows, cols: nk });
        op('attn.av');
        gemmF32(k, {
          m: rows,
          n: headDim,
          k: nk,
          a: scores,
          b: vb,
          bOffset: off,
          ldb: inner,
          c: o,
          cOffset: off,
          ldc: inner,
          scratch,
        });
      }
    }
    const y = local.f32('attn.y', rows * d);
    op('attn.proj');
    this.layer(`${bl}.attn.proj`).run(k, local, o, rows, y);
    op('attn.add');
    this.addRows(r, x, t0 * d, y, rows * d);
  }

  /** x[from … from+n) += y[0 … n). */
  private addRows(r: Run, x: KBuf<'f32'>, from: number, y: KBuf<'f32'>, n: number): void {
    if (n === 0) return;
    const xr = viewAt(r.k, x, from);
    binaryF32(r.k, 'add', xr, y, xr, { n });
  }

  private ffn(
    r: Run,
    bl: string,
    s: number,
    hidden: number,
    x: KBuf<'f32'>,
    h: number,
    w: number,
    d: number,
    band: StageBand,
    par: number,
  ): void {
    const { ws, local, k, team } = r;
    const n = h * w;
    const { y0, y1 } = band;
    const [t0, t1] = [y0 * w, y1 * w];
    const rows = t1 - t0;
    const prof = r.prof;
    const op = (name: string) => prof?.op(`s${s}.${name}`);
    const t = local.f32('ffn.t', rows * d);
    op('ffn.norm2');
    this.layerNorm(r, `${bl}.norm2`, viewAt(k, x, t0 * d), 0, rows, d, t);
    const hid = ws.f32(`ffn.h${par}`, n * hidden);
    op('ffn.fc1');
    this.layer(`${bl}.ffn.fc1`).run(k, local, t, rows, hid, t0 * hidden);
    team.barrier(); // the depthwise conv reads the neighbouring rows of hid
    const hid2 = local.f32('ffn.h2', rows * hidden);
    if (rows > 0) {
      const dw = this.dw.get(`${bl}.ffn.dw`)!;
      const b = convBand(y0, y1, h, h, 3, 1, 1);
      const out = local.f32('ffn.dw', b.outH * w * hidden);
      op('ffn.dw');
      dwconvF32(k, viewAt(k, hid, b.inRow * w * hidden), dw.weight, dw.bias, out, {
        batch: 1,
        inH: b.inH,
        inW: w,
        inC: hidden,
        kH: 3,
        kW: 3,
        stride: 1,
        pad: 1,
        dilation: 1,
        outH: b.outH,
        outW: w,
      });
      op('ffn.gelu');
      unaryF32(k, 'gelu', viewAt(k, out, b.lead * w * hidden), hid2, { n: rows * hidden });
    }
    const y = local.f32('ffn.y', rows * d);
    op('ffn.fc2');
    this.layer(`${bl}.ffn.fc2`).run(k, local, hid2, rows, y);
    op('ffn.add');
    this.addRows(r, x, t0 * d, y, rows * d);
  }

  private decoder(r: Run, feats: Feat[]): { logits: KBuf<'f32'>; height: number; width: number } {
    const { ws, local, k, team } = r;
    const { cDims, fuseDim } = this.arch.decoder;
    const { h: h1, w: w1 } = feats[0];
    const n1 = h1 * w1;
    // The fuse runs before the upsampling (splitFuse): fuse(concat(up(c_i))) = Σ_i up(W_i·c_i) + b,
    // since a bilinear resize (over pixels) and a 1×1 conv (over channels) commute. Each stage's
    // slice W_i runs at that stage's resolution — 1/4, 1/16, 1/64 of the pixels for stages 2–4 —
    // and the 256-channel partial sums are upsampled and added to stage 1's (which carries b).
    // INT8: each c_i is quantized with the fuse's per-tensor input scale at its own resolution,
    // before its upsampling (stage 1's int8 values are the concat's), as the QAT model trains it
    // (compress/src/qat/qatModel.ts) and the ONNX export writes it (onnx/segformerGraph.ts); the
    // partial sums leave the int8 GEMM dequantized and are upsampled and added in f32.
    const fused = ws.f32('dec.fused', n1 * fuseDim);
    r.prof?.op('dec.linear');
    const cs = feats.map((f, i) => {
      const { y0, y1 } = f.band;
      const c = local.f32(`dec.c${i}`, (y1 - y0) * f.w * cDims[i]);
      this.layer(`head.linearC.${i}`).run(k, local, f.buf, (y1 - y0) * f.w, c, 0, cDims[i], y0 * f.w * f.c);
      return c;
    });
    // Each stage's slice on this member's rows of that stage (the rows it computed c_i for).
    r.prof?.op('dec.fuse');
    const parts = feats.map((f, i) => {
      const { y0, y1 } = f.band;
      const part = i === 0 ? fused : ws.f32(`dec.part${i}`, f.h * f.w * fuseDim);
      this.layer(`head.fuse.${i}`).run(k, local, cs[i], (y1 - y0) * f.w, part, y0 * f.w * fuseDim);
      return part;
    });
    team.barrier(); // upsampling reads every member's rows of the partial sums (and of stage 1's)
    const [y0, y1] = share(h1, team);
    const rows = (y1 - y0) * w1;
    r.prof?.op('dec.upsample');
    // Each member adds the upsampled partial sums into its own rows of stage 1's, straight from the
    // low-resolution parts: resize_bilinear_add_f32 computes only those rows of the whole-image resize
    // and never stores them (the same f32 values and additions as resizing, then adding).
    if (rows > 0) {
      const scratch = local.get('dec.up.scratch', 'u8', resizeF32ScratchBytes({ outW: w1 }));
      for (let i = 1; i < feats.length; i++) {
        const f = feats[i];
        resizeBilinearAddF32(
          k,
          parts[i],
          fused,
          { batch: 1, inH: f.h, inW: f.w, outH: h1, outW: w1, c: fuseDim },
          { rows: [y0, y1], scratch },
        );
      }
    }
    const classes = this.arch.config.classes;
    const logits = ws.f32('dec.logits', n1 * classes);
    r.prof?.op('dec.cls');
    // INT8 folds the ReLU into the classifier's input quantization (Layer.runRelu). Taking the tail
    // a few rows at a time, to keep the 25 MB of f32 rows in cache from the fuse to the classifier,
    // measured slower (17.5 → 26 CPU ms at 4 rows, same at 16) and is not done.
    this.layer('head.cls').runRelu(k, local, fused, rows, logits, y0 * w1 * classes, y0 * w1 * fuseDim);
    r.prof?.op(null);
    return { logits, height: h1, width: w1 };
  }

  release(): void {
    if (this.owned) {
      for (const l of this.layers.values()) l.release();
      for (const n of this.norms.values()) {
        n.gamma.release();
        n.beta.release();
      }
      for (const d of this.dw.values()) {
        d.weight.release();
        d.bias.release();
      }
    }
    this.ws.release();
  }
}

export { viewAt };
