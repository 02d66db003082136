// norm.ts — LayerNorm over the last axis and BatchNorm over all but the last (channels-last).
import type { Backend } from '../backend/backend.js';
import { Function } from '../function.js';
import { fmtShape, Tensor } from '../tensor.js';

export class LayerNorm extends Function {
  private x!: Tensor;
  private gamma!: Tensor;
  private mean!: Tensor;
  private rstd!: Tensor;
  forward(x: Tensor, gamma: Tensor, beta: Tensor, eps: number): Tensor {
    const c = x.shape[x.shape.length - 1];
    if (gamma.size !== c || beta.size !== c) {
      throw new Error(
        `layerNorm: gamma ${fmtShape(gamma.shape)} and beta ${fmtShape(beta.shape)} must have ${c} elements for x ${fmtShape(x.shape)}.`,
      );
    }
    const rows = x.size / c;
    const be = x.backend;
    const y = new Tensor(be, x.shape);
    const mean = new Tensor(be, [rows]);
    const rstd = new Tensor(be, [rows]);
    be.layerNorm(x.storage, gamma.storage, beta.storage, y.storage, mean.storage, rstd.storage, rows, c, eps);
    if (this.needsInputGrad.some(Boolean)) {
      this.x = this.save(x);
      this.gamma = this.save(gamma);
      this.mean = this.save(mean);
      this.rstd = this.save(rstd);
    }
    mean.dispose();
    rstd.dispose();
    return y;
  }
  backward(g: Tensor): (Tensor | null)[] {
    const be = g.backend;
    const c = this.gamma.size;
    const dx = new Tensor(be, g.shape);
    const dg = Tensor.zeros(be, this.inputs[1].shape);
    const db = Tensor.zeros(be, this.inputs[2].shape);
    be.layerNormGrad(
      this.x.storage,
      this.gamma.storage,
      this.mean.storage,
      this.rstd.storage,
      g.storage,
      dx.storage,
      dg.storage,
      db.storage,
      g.size / c,
      c,
    );
    return [dx, dg, db];
  }
}

/**
 * Batch normalization in training mode for x [..., C]: statistics over every row. Returns y and
 * writes the batch mean and biased variance into `stats` for the running averages. Written as
 * column reductions and row-broadcast elementwise llops (kernels on wasm); only the C statistics are
 * computed in JS.
 */
export class BatchNorm extends Function {
  private xhat!: Tensor;
  private gamma!: Tensor;
  private rstd!: Float64Array;
  forward(
    x: Tensor,
    gamma: Tensor,
    beta: Tensor,
    eps: number,
    stats: { mean: Float64Array; var: Float64Array },
  ): Tensor {
    const be = x.backend;
    const c = x.shape[x.shape.length - 1];
    const rows = x.size / c;
    const row = rowOp(be, rows, c);
    const colSum = (t: Tensor) => {
      const s = new Tensor(be, [c]);
      be.reduce('sum', t.storage, 1, rows, c, s.storage);
      const v = Float64Array.from(be.view(s.storage).subarray(0, c), (u) => u / rows);
      s.dispose();
      return v;
    };
    const mean = colSum(x);
    const xhat = new Tensor(be, x.shape);
    const y = new Tensor(be, x.shape);
    row('sub', x, mean, xhat);
    be.unary('square', xhat.storage, y.storage, y.size);
    const v = colSum(y);
    stats.mean.set(mean);
    stats.var.set(v);
    this.rstd = v.map((s) => 1 / Math.sqrt(s + eps));
    row('mul', xhat, this.rstd, xhat);
    row('mul', xhat, gamma, y);
    row('add', y, beta, y);
    if (this.needsInputGrad.some(Boolean)) {
      this.xhat = this.save(xhat);
      this.gamma = this.save(gamma);
    }
    xhat.dispose();
    return y;
  }
  backward(g: Tensor): (Tensor | null)[] {
    const be = g.backend;
    const c = this.gamma.size;
    const rows = g.size / c;
    const row = rowOp(be, rows, c);
    const dg = new Tensor(be, [c]);
    const db = new Tensor(be, [c]);
    const t = new Tensor(be, g.shape);
    be.reduce('sum', g.storage, 1, rows, c, db.storage);
    be.binary('mul', g.storage, [1], this.xhat.storage, [1], t.storage, [g.size]);
    be.reduce('sum', t.storage, 1, rows, c, dg.storage);
    // dx = γ·rstd/N · (N·dy − Σdy − x̂·Σ(dy·x̂))
    const G = be.view(this.gamma.storage);
    const coef = this.rstd.map((r, j) => (G[j] * r) / rows);
    const dx = new Tensor(be, g.shape);
    row('mul', this.xhat, dg, t);
    be.affine(g.storage, dx.storage, g.size, rows, 0);
    be.binary('sub', dx.storage, [1], t.storage, [1], dx.storage, [g.size]);
    row('sub', dx, db, dx);
    row('mul', dx, coef, dx);
    t.dispose();
    return [dx, dg, db];
  }
}

/** out[r][j] = a[r][j] ∘ v[j] over [rows, c]; v a tensor or C numbers (copied in). */
function rowOp(be: Backend, rows: number, c: number) {
  return (op: 'add' | 'sub' | 'mul', a: Tensor, v: Tensor | Float64Array, out: Tensor) => {
    const vt = v instanceof Tensor ? v : Tensor.from(be, [c], v);
    be.binary(op, a.storage, [c, 1], vt.storage, [0, 1], out.storage, [rows, c]);
    if (vt !== v) vt.dispose();
  };
}
