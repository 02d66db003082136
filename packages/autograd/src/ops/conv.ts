// conv.ts — 2-D convolution (NHWC) as im2col + GEMM, and depthwise convolution.
// Weights: conv [Cout, kh, kw, Cin] (so each output channel is one row, as a Linear weight),
// depthwise [kh, kw, C] (channels innermost, for SIMD over C).
import type { ConvGeom } from '../backend/backend.js';
import { Function } from '../function.js';
import { fmtShape, Tensor } from '../tensor.js';

export function convGeom(
  op: string,
  x: Tensor,
  kH: number,
  kW: number,
  stride: number,
  pad: number,
  dilation = 1,
): ConvGeom {
  if (x.shape.length !== 4)
    throw new Error(`${op}: expected NHWC input [B,H,W,C], got ${fmtShape(x.shape)}.`);
  const [batch, inH, inW, inC] = x.shape;
  const outH = Math.floor((inH + 2 * pad - dilation * (kH - 1) - 1) / stride) + 1;
  const outW = Math.floor((inW + 2 * pad - dilation * (kW - 1) - 1) / stride) + 1;
  if (outH < 1 || outW < 1) {
    throw new Error(
      `${op}: kernel ${kH}×${kW} stride ${stride} pad ${pad} leaves no output for input ${fmtShape(x.shape)}.`,
    );
  }
  return { batch, inH, inW, inC, kH, kW, stride, pad, dilation, outH, outW };
}

const isPointwise = (g: ConvGeom) => g.kH === 1 && g.kW === 1 && g.stride === 1 && g.pad === 0;

export class Conv2d extends Function {
  private g!: ConvGeom;
  private cols!: Tensor;
  private w!: Tensor;
  forward(x: Tensor, w: Tensor, b: Tensor | undefined, stride: number, pad: number): Tensor {
    const [cout, kH, kW, cin] = w.shape;
    if (w.shape.length !== 4 || cin !== x.shape[3] || (b && b.size !== cout)) {
      throw new Error(
        `conv2d: weight ${fmtShape(w.shape)} (expected [Cout,kh,kw,Cin]) does not fit input ${fmtShape(x.shape)}${b ? ` and bias ${fmtShape(b.shape)}` : ''}.`,
      );
    }
    const g = convGeom('conv2d', x, kH, kW, stride, pad);
    this.g = g;
    const be = x.backend;
    const rows = g.batch * g.outH * g.outW;
    const kc = kH * kW * cin;
    let cols: Tensor;
    if (isPointwise(g)) cols = x.alias([rows, kc]);
    else {
      cols = new Tensor(be, [rows, kc]);
      be.im2col(x.storage, cols.storage, g);
    }
    const y = new Tensor(be, [g.batch, g.outH, g.outW, cout]);
    be.gemm({
      m: rows,
      n: cout,
      k: kc,
      a: cols.storage,
      aOffset: 0,
      lda: kc,
      transA: false,
      b: w.storage,
      bOffset: 0,
      ldb: kc,
      transB: true,
      c: y.storage,
      cOffset: 0,
      ldc: cout,
      accumulate: false,
      bias: b?.storage,
    });
    if (this.needsInputGrad[1]) this.cols = this.save(cols);
    if (this.needsInputGrad[0]) this.w = this.save(w);
    cols.dispose();
    return y;
  }
  backward(gy: Tensor): (Tensor | null)[] {
    const be = gy.backend;
    const g = this.g;
    const [cout, kH, kW, cin] = this.inputs[1].shape;
    const rows = g.batch * g.outH * g.outW;
    const kc = kH * kW * cin;
    let dx: Tensor | null = null;
    let dw: Tensor | null = null;
    let db: Tensor | null = null;
    if (this.needsInputGrad[0]) {
      // dcols = dy·W, then scatter back (col2im); a pointwise conv's dcols is dx itself.
      const pw = isPointwise(g);
      dx = pw ? new Tensor(be, this.inputs[0].shape) : Tensor.zeros(be, this.inputs[0].shape);
      const dcols = pw ? dx.alias([rows, kc]) : new Tensor(be, [rows, kc]);
      be.gemm({
        m: rows,
        n: kc,
        k: cout,
        a: gy.storage,
        aOffset: 0,
        lda: cout,
        transA: false,
        b: this.w.storage,
        bOffset: 0,
        ldb: kc,
        transB: false,
        c: dcols.storage,
        cOffset: 0,
        ldc: kc,
        accumulate: false,
      });
      if (!pw) be.col2im(dcols.storage, dx.storage, g);
      dcols.dispose();
    }
    if (this.needsInputGrad[1]) {
      dw = new Tensor(be, this.inputs[1].shape);
      be.gemm({
        m: cout,
        n: kc,
        k: rows,
        a: gy.storage,
        aOffset: 0,
        lda: cout,
        transA: true,
        b: this.cols.storage,
        bOffset: 0,
        ldb: kc,
        transB: false,
        c: dw.storage,
        cOffset: 0,
        ldc: kc,
        accumulate: false,
      });
    }
    if (this.needsInputGrad[2]) {
      db = new Tensor(be, [cout]);
      be.reduce('sum', gy.storage, 1, rows, cout, db.storage);
    }
    return [dx, dw, db];
  }
}

export class DWConv2d extends Function {
  private g!: ConvGeom;
  private x!: Tensor;
  private w!: Tensor;
  forward(x: Tensor, w: Tensor, b: Tensor | undefined, stride: number, pad: number, dilation = 1): Tensor {
    const [kH, kW, c] = w.shape;
    if (w.shape.length !== 3 || c !== x.shape[3] || (b && b.size !== c)) {
      throw new Error(
        `dwconv2d: weight ${fmtShape(w.shape)} (expected [kh,kw,C]) does not fit input ${fmtShape(x.shape)}.`,
      );
    }
    const g = convGeom('dwconv2d', x, kH, kW, stride, pad, dilation);
    this.g = g;
    const y = new Tensor(x.backend, [g.batch, g.outH, g.outW, c]);
    x.backend.dwconv(x.storage, w.storage, b?.storage ?? null, y.storage, g);
    if (this.needsInputGrad.some(Boolean)) {
      this.x = this.save(x);
      this.w = this.save(w);
    }
    return y;
  }
  backward(gy: Tensor): (Tensor | null)[] {
    const be = gy.backend;
    const [nx, , nb] = this.needsInputGrad;
    const dx = nx ? Tensor.zeros(be, this.inputs[0].shape) : null;
    const dw = Tensor.zeros(be, this.inputs[1].shape);
    const db = nb ? Tensor.zeros(be, this.inputs[2].shape) : null;
    be.dwconvGrad(
      this.x.storage,
      this.w.storage,
      gy.storage,
      dx?.storage ?? null,
      dw.storage,
      db?.storage ?? null,
      this.g,
    );
    if (this.needsInputGrad[1]) return [dx, dw, db];
    dw.dispose();
    return [dx, null, db];
  }
}
