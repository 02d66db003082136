// loss.ts — cross-entropy over the last axis with an ignore index and optional class weights, fused
// with its log-softmax (the logits of a segmentation batch are the largest tensor of a step).
import { Function } from '../function.js';
import { fmtShape, Tensor } from '../tensor.js';

export interface CrossEntropyOptions {
  ignoreIndex?: number;
  /** Per-class weights (PyTorch semantics: the mean divides by Σ w[y] over counted pixels). */
  weights?: ArrayLike<number>;
}

export class CrossEntropy extends Function {
  private logp!: Tensor;
  private labels!: ArrayLike<number>;
  private w: ArrayLike<number> | undefined;
  private ignore = 255;
  private denom = 1;
  forward(logits: Tensor, labels: ArrayLike<number>, o: CrossEntropyOptions = {}): Tensor {
    const be = logits.backend;
    const c = logits.shape[logits.shape.length - 1];
    const rows = logits.size / c;
    if (labels.length !== rows) {
      throw new Error(
        `crossEntropy: ${labels.length} labels for logits ${fmtShape(logits.shape)}. Expected one label per row (${rows}).`,
      );
    }
    if (o.weights && o.weights.length !== c)
      throw new Error(`crossEntropy: ${o.weights.length} class weights, expected ${c}.`);
    this.ignore = o.ignoreIndex ?? 255;
    this.w = o.weights;
    const logp = new Tensor(be, logits.shape);
    be.softmax(logits.storage, logp.storage, rows, c, true);
    const L = be.view(logp.storage);
    let sum = 0;
    let denom = 0;
    for (let r = 0; r < rows; r++) {
      const y = labels[r];
      if (y === this.ignore) continue;
      if (!Number.isInteger(y) || y < 0 || y >= c) {
        throw new Error(
          `crossEntropy: label ${y} at row ${r} is outside [0, ${c}) and is not the ignore index ${this.ignore}.`,
        );
      }
      const wy = o.weights ? o.weights[y] : 1;
      sum -= wy * L[r * c + y];
      denom += wy;
    }
    this.denom = denom;
    this.labels = labels;
    if (this.needsInputGrad[0]) this.logp = this.save(logp);
    logp.dispose();
    // A batch where every pixel is ignored has loss 0 (and zero gradient), not NaN.
    return Tensor.from(be, [], [denom > 0 ? sum / denom : 0]);
  }
  backward(g: Tensor): (Tensor | null)[] {
    const be = g.backend;
    const shape = this.logp.shape;
    const c = shape[shape.length - 1];
    const rows = this.logp.size / c;
    const scale = this.denom > 0 ? be.view(g.storage)[0] / this.denom : 0;
    // dx = softmax·s_r − s_r at the label, s_r = scale·w[y_r] (0 on ignored rows): e^logp and the
    // per-row scale are two whole-tensor llops (kernels on wasm); only the label entries (and ignored
    // rows, exactly 0 even for non-finite logits) are a loop.
    const rs = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      const y = this.labels[r];
      if (y !== this.ignore) rs[r] = scale * (this.w ? this.w[y] : 1);
    }
    const s = Tensor.from(be, [rows, 1], rs);
    const dx = new Tensor(be, shape);
    be.unary('exp', this.logp.storage, dx.storage, dx.size);
    be.binary('mul', dx.storage, [c, 1], s.storage, [1, 0], dx.storage, [rows, c]);
    s.dispose();
    const D = be.view(dx.storage);
    for (let r = 0; r < rows; r++) {
      const y = this.labels[r];
      if (y === this.ignore) D.fill(0, r * c, r * c + c);
      else D[r * c + y] -= rs[r];
    }
    return [dx];
  }
}
