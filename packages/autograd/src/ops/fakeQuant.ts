// fakeQuant.ts — quantize-dequantize for quantization-aware training, with the straight-through
// estimator for the input and LSQ's gradient for the step size (Esser et al., ICLR 2020; REFERENCE §3.3):
//   q = clamp(round(x/s) + z, qmin, qmax),   y = (q − z)·s
//   ∂y/∂x = 1 where qmin ≤ round(x/s) + z ≤ qmax, else 0            (STE)
//   ∂y/∂s = (q − z) − x/s inside, (qmin − z) below, (qmax − z) above   (LSQ), times the gradient scale g
// Rounding is ties-to-even (as the kernels and ONNX QuantizeLinear), or floor (the paper's formula).
// Per tensor (s of shape [1]) or per channel along axis 0 (s of shape [C], e.g. a weight's output
// channels). The zero point is fixed during training (observers set it).
import { fakeQuantGradRows, fakeQuantRows } from '../backend/arrayBackend.js';
import type { FakeQuantArgs } from '../backend/backend.js';
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
    eachChannel(x, s, p, (off, n, q) => {
      if (be.fakeQuant) be.fakeQuant(x.storage, y.storage, off, n, q);
      else fakeQuantRows(be.view(x.storage), be.view(y.storage), off, n, q);
    });
    if (this.needsInputGrad.some(Boolean)) {
      this.x = this.save(x);
      this.s = this.save(s);
    }
    return y;
  }
  backward(g: Tensor): (Tensor | null)[] {
    const be = g.backend;
    const dx = new Tensor(be, g.shape);
    const ds = new Float64Array(this.s.size);
    eachChannel(this.x, this.s, this.p, (off, n, q, c) => {
      ds[c] = be.fakeQuantGrad
        ? be.fakeQuantGrad(this.x.storage, g.storage, dx.storage, off, n, q)
        : fakeQuantGradRows(be.view(this.x.storage), be.view(g.storage), be.view(dx.storage), off, n, q);
    });
    const gs = this.p.gradScale;
    return [
      dx,
      Tensor.from(
        be,
        this.s.shape,
        ds.map((v) => v * gs),
      ),
    ];
  }
}

/** Calls f once per channel (all of x when s has one element, else row c of x [C, …]). */
function eachChannel(
  x: Tensor,
  s: Tensor,
  p: FakeQuantParams,
  f: (offset: number, n: number, q: FakeQuantArgs, c: number) => void,
): void {
  const channels = s.size;
  const n = x.size / channels;
  const S = x.backend.view(s.storage);
  const scales = Array.from({ length: channels }, (_, c) => Math.max(S[c], 1e-12));
  scales.forEach((scale, c) => {
    f(c * n, n, { scale, zeroPoint: p.zeroPoint, qmin: p.qmin, qmax: p.qmax, rounding: p.rounding }, c);
  });
}

export const fakeQuant = (x: Tensor, s: Tensor, p: FakeQuantParams) => FakeQuant.apply(x, s, p);
