// norm.ts — LayerNorm over the last axis and BatchNorm over all but the last (channels-last).
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
 * writes the batch mean and biased variance into `stats` for the running averages. Built from
 * LayerNorm's identity: BN over rows is LN over columns of xᵀ — here written directly.
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
    const X = be.view(x.storage);
    const mean = new Float64Array(c);
    const v = new Float64Array(c);
    for (let r = 0; r < rows; r++) for (let j = 0; j < c; j++) mean[j] += X[r * c + j];
    for (let j = 0; j < c; j++) mean[j] /= rows;
    for (let r = 0; r < rows; r++) for (let j = 0; j < c; j++) v[j] += (X[r * c + j] - mean[j]) ** 2;
    for (let j = 0; j < c; j++) v[j] /= rows;
    stats.mean.set(mean);
    stats.var.set(v);
    this.rstd = v.map((s) => 1 / Math.sqrt(s + eps));
    const xhat = new Tensor(be, x.shape);
    const y = new Tensor(be, x.shape);
    const Xv = be.view(x.storage);
    const H = be.view(xhat.storage);
    const Y = be.view(y.storage);
    const G = be.view(gamma.storage);
    const B = be.view(beta.storage);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < c; j++) {
        const h = (Xv[r * c + j] - mean[j]) * this.rstd[j];
        H[r * c + j] = h;
        Y[r * c + j] = h * G[j] + B[j];
      }
    }
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
    const dx = new Tensor(be, g.shape);
    const dg = Tensor.zeros(be, [c]);
    const db = Tensor.zeros(be, [c]);
    const H = be.view(this.xhat.storage);
    const Gr = be.view(g.storage);
    const Gm = be.view(this.gamma.storage);
    const DG = be.view(dg.storage);
    const DB = be.view(db.storage);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < c; j++) {
        DG[j] += Gr[r * c + j] * H[r * c + j];
        DB[j] += Gr[r * c + j];
      }
    }
    // dx = γ·rstd/N · (N·dy − Σdy − x̂·Σ(dy·x̂))
    const DX = be.view(dx.storage);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < c; j++) {
        DX[r * c + j] =
          ((Gm[j] * this.rstd[j]) / rows) * (rows * Gr[r * c + j] - DB[j] - H[r * c + j] * DG[j]);
      }
    }
    return [dx, dg, db];
  }
}
