// countingBackend.ts — a Backend that computes nothing and counts everything: it runs a model's real
// forward code (the same code that trains), so the MACs and memory traffic it reports cannot drift
// from the model. Activations get no memory at all; only tensors whose values are read or set
// (parameters at construction) get an array, lazily.
import type { Backend, BinaryOp, ConvGeom, GemmArgs, Storage, UnaryOp } from '@edgeseg/autograd';
import { currentSite } from '../site.js';

class CountStorage implements Storage {
  refs = 1;
  data?: Float32Array;
  constructor(readonly length: number) {}
}

export interface OpRecord {
  site: string;
  op: string;
  /** Multiply-accumulates. */
  macs: number;
  /** Other arithmetic (elementwise ops, normalization, softmax), counted per element. */
  flops: number;
  /** Elements read from parameter tensors. */
  weightReads: number;
  /** Elements of activations read and written. */
  actReads: number;
  actWrites: number;
  /** Elements of attention score matrices (N×Nk per head) written and read. */
  attnElems: number;
  /** Size in elements of every activation tensor this op read, then of the one it wrote. */
  actSizes: number[];
}

export class CountingBackend implements Backend {
  readonly name = 'count';
  readonly f64 = false;
  readonly meta = true;
  records: OpRecord[] = [];
  private params = new Set<Storage>();

  /** Storages holding parameters: reads of these count as weight traffic. */
  markParams(storages: Iterable<Storage>): void {
    for (const s of storages) this.params.add(s);
  }

  private rec(
    op: string,
    macs: number,
    flops: number,
    reads: [Storage, number][],
    writes: number,
    attnElems = 0,
  ): void {
    let w = 0;
    let a = 0;
    const actSizes: number[] = [];
    for (const [s, n] of reads) {
      if (this.params.has(s)) w += n;
      else {
        a += n;
        actSizes.push(n);
      }
    }
    actSizes.push(writes);
    this.records.push({
      site: currentSite(),
      op,
      macs,
      flops,
      weightReads: w,
      actReads: a,
      actWrites: writes,
      attnElems,
      actSizes,
    });
  }

  alloc(n: number): Storage {
    return new CountStorage(n);
  }
  release(s: Storage): void {
    s.refs--;
  }
  view(s: Storage): Float32Array {
    const c = s as CountStorage;
    c.data ??= new Float32Array(c.length);
    return c.data;
  }
  fill(s: Storage, value: number, offset = 0, n = s.length - offset): void {
    const c = s as CountStorage;
    if (value === 0 && !c.data) return;
    this.view(s).fill(value, offset, offset + n);
  }
  copy(src: Storage, _so: number, _dst: Storage, _do: number, n: number): void {
    this.rec('copy', 0, 0, [[src, n]], n);
  }
  gemm(g: GemmArgs): void {
    const reads: [Storage, number][] = [
      [g.a, g.m * g.k],
      [g.b, g.k * g.n],
    ];
    if (g.bias) reads.push([g.bias, g.n]);
    // Attention score GEMMs (q·kᵀ writes P, P·v reads it) are tagged by their site ("core").
    const isCore = currentSite().endsWith('.core');
    this.rec(
      'gemm',
      g.m * g.n * g.k,
      g.accumulate ? g.m * g.n : 0,
      reads,
      g.m * g.n,
      isCore ? (g.transB ? g.m * g.n : g.m * g.k) : 0,
    );
  }
  unary(op: UnaryOp, x: Storage, _y: Storage, n: number): void {
    this.rec(op, 0, n, [[x, n]], n);
  }
  unaryGrad(op: UnaryOp, x: Storage, _y: Storage, dy: Storage, _dx: Storage, n: number): void {
    this.rec(
      `${op}_grad`,
      0,
      2 * n,
      [
        [x, n],
        [dy, n],
      ],
      n,
    );
  }
  binary(
    op: BinaryOp,
    a: Storage,
    aStr: number[],
    b: Storage,
    bStr: number[],
    _out: Storage,
    shape: number[],
  ): void {
    const n = shape.reduce((p, s) => p * s, 1);
    const span = (str: number[]) => shape.reduce((p, s, i) => p * (str[i] === 0 ? 1 : s), 1);
    this.rec(
      op,
      0,
      n,
      [
        [a, span(aStr)],
        [b, span(bStr)],
      ],
      n,
    );
  }
  affine(x: Storage, _y: Storage, n: number): void {
    this.rec('affine', 0, 2 * n, [[x, n]], n);
  }
  reduce(op: 'sum' | 'max', x: Storage, outer: number, mid: number, inner: number): void {
    this.rec(`reduce_${op}`, 0, outer * mid * inner, [[x, outer * mid * inner]], outer * inner);
  }
  softmax(x: Storage, _y: Storage, rows: number, cols: number): void {
    const n = rows * cols;
    this.rec('softmax', 0, 4 * n, [[x, n]], n, currentSite().endsWith('.core') ? 2 * n : 0);
  }
  softmaxGrad(y: Storage, dy: Storage, _dx: Storage, rows: number, cols: number): void {
    this.rec(
      'softmax_grad',
      0,
      3 * rows * cols,
      [
        [y, rows * cols],
        [dy, rows * cols],
      ],
      rows * cols,
    );
  }
  layerNorm(
    x: Storage,
    g: Storage,
    b: Storage,
    _y: Storage,
    _m: Storage,
    _r: Storage,
    rows: number,
    cols: number,
  ): void {
    this.rec(
      'layernorm',
      0,
      5 * rows * cols,
      [
        [x, rows * cols],
        [g, cols],
        [b, cols],
      ],
      rows * cols,
    );
  }
  layerNormGrad(
    x: Storage,
    g: Storage,
    _m: Storage,
    _r: Storage,
    dy: Storage,
    _dx: Storage,
    _dg: Storage,
    _db: Storage,
    rows: number,
    cols: number,
  ): void {
    this.rec(
      'layernorm_grad',
      0,
      8 * rows * cols,
      [
        [x, rows * cols],
        [g, cols],
        [dy, rows * cols],
      ],
      rows * cols,
    );
  }
  im2col(x: Storage, _cols: Storage, g: ConvGeom): void {
    const n = g.batch * g.outH * g.outW * g.kH * g.kW * g.inC;
    this.rec('im2col', 0, 0, [[x, n]], n);
  }
  col2im(dcols: Storage, _dx: Storage, g: ConvGeom): void {
    const n = g.batch * g.outH * g.outW * g.kH * g.kW * g.inC;
    this.rec('col2im', 0, n, [[dcols, n]], g.batch * g.inH * g.inW * g.inC);
  }
  dwconv(x: Storage, w: Storage, bias: Storage | null, _y: Storage, g: ConvGeom): void {
    const out = g.batch * g.outH * g.outW * g.inC;
    const reads: [Storage, number][] = [
      [x, g.batch * g.inH * g.inW * g.inC],
      [w, g.kH * g.kW * g.inC],
    ];
    if (bias) reads.push([bias, g.inC]);
    this.rec('dwconv', out * g.kH * g.kW, 0, reads, out);
  }
  dwconvGrad(
    x: Storage,
    _w: Storage,
    dy: Storage,
    _dx: Storage | null,
    _dw: Storage,
    _db: Storage | null,
    g: ConvGeom,
  ): void {
    const out = g.batch * g.outH * g.outW * g.inC;
    this.rec(
      'dwconv_grad',
      2 * out * g.kH * g.kW,
      0,
      [
        [x, g.batch * g.inH * g.inW * g.inC],
        [dy, out],
      ],
      g.batch * g.inH * g.inW * g.inC,
    );
  }
  resize(
    x: Storage,
    _y: Storage,
    batch: number,
    inH: number,
    inW: number,
    outH: number,
    outW: number,
    c: number,
  ): void {
    const n = batch * outH * outW * c;
    this.rec('resize', 0, 7 * n, [[x, batch * inH * inW * c]], n);
  }
  resizeGrad(
    dy: Storage,
    _dx: Storage,
    batch: number,
    inH: number,
    inW: number,
    outH: number,
    outW: number,
    c: number,
  ): void {
    const n = batch * outH * outW * c;
    this.rec('resize_grad', 0, 8 * n, [[dy, n]], batch * inH * inW * c);
  }
  permute(x: Storage, shape: number[]): void {
    const n = shape.reduce((p, s) => p * s, 1);
    this.rec('permute', 0, 0, [[x, n]], n);
  }
}
