// matmul.ts — batched matrix products and the fused Linear layer, each a GEMM forward and two GEMMs
// backward; transposes are GEMM flags, never copies.
import type { Backend, Storage } from '../backend/backend.js';
import { Function } from '../function.js';
import { fmtShape, Tensor } from '../tensor.js';

interface Mat {
  s: Storage;
  off: number;
  ld: number;
  t: boolean;
}

/** C (+)= op(A)·op(B) with op(A) m×k and op(B) k×n. */
function gemm(
  be: Backend,
  m: number,
  n: number,
  k: number,
  A: Mat,
  B: Mat,
  C: Mat,
  accumulate: boolean,
  bias?: Storage,
) {
  be.gemm({
    m,
    n,
    k,
    a: A.s,
    aOffset: A.off,
    lda: A.ld,
    transA: A.t,
    b: B.s,
    bOffset: B.off,
    ldb: B.ld,
    transB: B.t,
    c: C.s,
    cOffset: C.off,
    ldc: C.ld,
    accumulate,
    bias,
  });
}

/** A stored rows×cols (row-major) used as itself (t=false) or transposed. */
const mat = (s: Storage, off: number, cols: number, t: boolean): Mat => ({ s, off, ld: cols, t });

export class MatMul extends Function {
  private a!: Tensor;
  private b!: Tensor;
  private ta = false;
  private tb = false;
  private dims!: { batch: number; m: number; n: number; k: number; bBatched: boolean; aBatched: boolean };

  forward(a: Tensor, b: Tensor, transA: boolean, transB: boolean): Tensor {
    const op = 'matmul';
    if (a.shape.length < 2 || b.shape.length < 2) {
      throw new Error(
        `${op}: both operands need ≥ 2 dimensions. Got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}.`,
      );
    }
    const [ar, ac] = a.shape.slice(-2);
    const [br, bc] = b.shape.slice(-2);
    const m = transA ? ac : ar;
    const k = transA ? ar : ac;
    const kb = transB ? bc : br;
    const n = transB ? br : bc;
    if (k !== kb) {
      throw new Error(
        `${op}: inner dimensions differ. Expected op(A) [..,m,k] and op(B) [..,k,n], got ${fmtShape(a.shape)}${transA ? 'ᵀ' : ''} and ${fmtShape(b.shape)}${transB ? 'ᵀ' : ''}.`,
      );
    }
    const aBatch = a.shape.slice(0, -2);
    const bBatch = b.shape.slice(0, -2);
    const aBatched = aBatch.length > 0;
    const bBatched = bBatch.length > 0;
    if (aBatched && bBatched && fmtShape(aBatch) !== fmtShape(bBatch)) {
      throw new Error(`${op}: batch dimensions differ: ${fmtShape(a.shape)} and ${fmtShape(b.shape)}.`);
    }
    const batchShape = aBatched ? aBatch : bBatch;
    const batch = batchShape.reduce((p, s) => p * s, 1);
    this.dims = { batch, m, n, k, aBatched, bBatched };
    this.ta = transA;
    this.tb = transB;
    const be = a.backend;
    const out = new Tensor(be, [...batchShape, m, n]);
    for (let i = 0; i < batch; i++) {
      gemm(
        be,
        m,
        n,
        k,
        mat(a.storage, aBatched ? i * m * k : 0, ac, transA),
        mat(b.storage, bBatched ? i * k * n : 0, bc, transB),
        mat(out.storage, i * m * n, n, false),
        false,
      );
    }
    if (this.needsInputGrad[1]) this.a = this.save(a);
    if (this.needsInputGrad[0]) this.b = this.save(b);
    return out;
  }

  backward(g: Tensor): (Tensor | null)[] {
    const { batch, m, n, k, aBatched, bBatched } = this.dims;
    const be = g.backend;
    let da: Tensor | null = null;
    let db: Tensor | null = null;
    if (this.needsInputGrad[0]) {
      const shape = this.inputs[0].shape;
      da = new Tensor(be, shape);
      if (!aBatched) be.fill(da.storage, 0);
      const bc = this.b.shape[this.b.shape.length - 1];
      for (let i = 0; i < batch; i++) {
        const G = mat(g.storage, i * m * n, n, false);
        const B = mat(this.b.storage, bBatched ? i * k * n : 0, bc, this.tb);
        const off = aBatched ? i * m * k : 0;
        // dA = g·op(B)ᵀ, or for a transposed A, dA = op(B)·gᵀ
        if (!this.ta) gemm(be, m, k, n, G, { ...B, t: !B.t }, mat(da.storage, off, k, false), !aBatched);
        else gemm(be, k, m, n, B, { ...G, t: true }, mat(da.storage, off, m, false), !aBatched);
      }
    }
    if (this.needsInputGrad[1]) {
      const shape = this.inputs[1].shape;
      db = new Tensor(be, shape);
      if (!bBatched) be.fill(db.storage, 0);
      const ac = this.a.shape[this.a.shape.length - 1];
      for (let i = 0; i < batch; i++) {
        const G = mat(g.storage, i * m * n, n, false);
        const A = mat(this.a.storage, aBatched ? i * m * k : 0, ac, this.ta);
        const off = bBatched ? i * k * n : 0;
        // dB = op(A)ᵀ·g, or for a transposed B, dB = gᵀ·op(A)
        if (!this.tb) gemm(be, k, n, m, { ...A, t: !A.t }, G, mat(db.storage, off, n, false), !bBatched);
        else gemm(be, n, k, m, { ...G, t: true }, A, mat(db.storage, off, k, false), !bBatched);
      }
    }
    return [da, db];
  }
}

/** y = x·Wᵀ + b with x [..., in], W [out, in] (PyTorch's layout), b [out] or none. */
export class Linear extends Function {
  private x!: Tensor;
  private w!: Tensor;
  private rows = 0;
  forward(x: Tensor, w: Tensor, b?: Tensor): Tensor {
    const [out, inF] = w.shape;
    const xin = x.shape[x.shape.length - 1];
    if (w.shape.length !== 2 || xin !== inF || (b && (b.shape.length !== 1 || b.shape[0] !== out))) {
      throw new Error(
        `linear: shapes do not fit. Expected x [..,${inF}], W [out,${inF}], b [out]; got x ${fmtShape(x.shape)}, W ${fmtShape(w.shape)}${b ? `, b ${fmtShape(b.shape)}` : ''}.`,
      );
    }
    const rows = x.size / inF;
    this.rows = rows;
    const be = x.backend;
    const y = new Tensor(be, [...x.shape.slice(0, -1), out]);
    gemm(
      be,
      rows,
      out,
      inF,
      mat(x.storage, 0, inF, false),
      mat(w.storage, 0, inF, true),
      mat(y.storage, 0, out, false),
      false,
      b?.storage,
    );
    if (this.needsInputGrad[1]) this.x = this.save(x);
    if (this.needsInputGrad[0]) this.w = this.save(w);
    return y;
  }
  backward(g: Tensor): (Tensor | null)[] {
    const be = g.backend;
    const [out, inF] = this.inputs[1].shape;
    const G = mat(g.storage, 0, out, false);
    let dx: Tensor | null = null;
    let dw: Tensor | null = null;
    let db: Tensor | null = null;
    if (this.needsInputGrad[0]) {
      dx = new Tensor(be, this.inputs[0].shape);
      gemm(
        be,
        this.rows,
        inF,
        out,
        G,
        mat(this.w.storage, 0, inF, false),
        mat(dx.storage, 0, inF, false),
        false,
      );
    }
    if (this.needsInputGrad[1]) {
      dw = new Tensor(be, [out, inF]);
      gemm(
        be,
        out,
        inF,
        this.rows,
        { ...G, t: true },
        mat(this.x.storage, 0, inF, false),
        mat(dw.storage, 0, inF, false),
        false,
      );
    }
    if (this.needsInputGrad[2]) {
      db = new Tensor(be, [out]);
      be.reduce('sum', g.storage, 1, this.rows, out, db.storage);
    }
    return [dx, dw, db];
  }
}
