// fakeQuant.ts — quantize-dequantize for quantization-aware training, with the straight-through
// estimator for the input and LSQ's gradient for the step size (Esser et al., ICLR 2020; REFERENCE §3.3):
//   q = clamp(round(x/s) + z, qmin, qmax),   y = (q − z)·s
//   ∂y/∂x = 1 where qmin ≤ round(x/s) + z ≤ qmax, else 0            (STE)
//   ∂y/∂s = (q − z) − x/s inside, (qmin − z) below, (qmax − z) above   (LSQ), times the gradient scale g
// Rounding is ties-to-even (as the kernels and ONNX QuantizeLinear), or floor (the paper's formula).
// Per tensor (s of shape [1]) or per channel along axis 0 (s of shape [C], e.g. a weight's output
// channels). The zero point is fixed during training (observers set it).
import { Function } from '../function.js';
import { fmtShape, Tensor } from '../tensor.js';

export interface FakeQuantParams {
  zeroPoint: number;
  qmin: number;
  qmax: number;
  /** LSQ gradient scale (1/√(N·Q_P)); 1 = the raw gradient. */
  gradScale: number;
  rounding?: 'nearest' | 'floor';
}

function roundTe(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  return d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
}

export class FakeQuant extends Function {
  private x!: Tensor;
  private s!: Tensor;
  private p!: FakeQuantParams;
  forward(x: Tensor, s: Tensor, p: FakeQuantParams): Tensor {
    const channels = s.size;
    if (channels !== 1 && channels !== x.shape[0]) {
      throw new Error(
        `fakeQuant: scale ${fmtShape(s.shape)} must have 1 element or one per row of ${fmtShape(x.shape)}.`,
      );
    }
    this.p = p;
    const be = x.backend;
    const y = new Tensor(be, x.shape);
    const X = be.view(x.storage);
    const S = be.view(s.storage);
    const Y = be.view(y.storage);
    const inner = x.size / (channels === 1 ? 1 : channels);
    const round = p.rounding === 'floor' ? Math.floor : roundTe;
    for (let c = 0; c < (channels === 1 ? 1 : channels); c++) {
      const sc = Math.max(S[c], 1e-12);
      const lo = p.qmin - p.zeroPoint;
      const hi = p.qmax - p.zeroPoint;
      const base = channels === 1 ? 0 : c * inner;
      const n = channels === 1 ? x.size : inner;
      for (let i = base; i < base + n; i++) {
        const r = round(Math.fround(X[i] / sc));
        Y[i] = (r < lo ? lo : r > hi ? hi : r) * sc;
      }
    }
    if (this.needsInputGrad.some(Boolean)) {
      this.x = this.save(x);
      this.s = this.save(s);
    }
    return y;
  }
  backward(g: Tensor): (Tensor | null)[] {
    const be = g.backend;
    const channels = this.s.size;
    const dx = new Tensor(be, g.shape);
    const ds = Tensor.zeros(be, this.s.shape);
    const X = be.view(this.x.storage);
    const S = be.view(this.s.storage);
    const G = be.view(g.storage);
    const DX = be.view(dx.storage);
    const DS = be.view(ds.storage);
    const p = this.p;
    const lo = p.qmin - p.zeroPoint;
    const hi = p.qmax - p.zeroPoint;
    const round = p.rounding === 'floor' ? Math.floor : roundTe;
    const inner = g.size / (channels === 1 ? 1 : channels);
    for (let i = 0; i < g.size; i++) {
      const c = channels === 1 ? 0 : Math.floor(i / inner);
      const sc = Math.max(S[c], 1e-12);
      const v = X[i] / sc;
      const r = round(v);
      let d: number;
      if (r < lo) {
        DX[i] = 0;
        d = lo;
      } else if (r > hi) {
        DX[i] = 0;
        d = hi;
      } else {
        DX[i] = G[i];
        d = r - v;
      }
      DS[c] += G[i] * d * p.gradScale;
    }
    return [dx, ds];
  }
}

export const fakeQuant = (x: Tensor, s: Tensor, p: FakeQuantParams) => FakeQuant.apply(x, s, p);
