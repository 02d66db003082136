// resize.ts — bilinear resize of NHWC maps, align_corners = false (half-pixel centres, as PyTorch's
// F.interpolate and mmseg's resize). Its gradient honours the same centres (tfjs-wasm's does not).
import { Function } from '../function.js';
import { fmtShape, Tensor } from '../tensor.js';

export class Resize extends Function {
  forward(x: Tensor, outH: number, outW: number): Tensor {
    if (x.shape.length !== 4) throw new Error(`resize: expected NHWC [B,H,W,C], got ${fmtShape(x.shape)}.`);
    const [b, h, w, c] = x.shape;
    const y = new Tensor(x.backend, [b, outH, outW, c]);
    x.backend.resize(x.storage, y.storage, b, h, w, outH, outW, c);
    return y;
  }
  backward(g: Tensor): (Tensor | null)[] {
    const [b, h, w, c] = this.inputs[0].shape;
    const dx = Tensor.zeros(g.backend, this.inputs[0].shape);
    g.backend.resizeGrad(g.storage, dx.storage, b, h, w, g.shape[1], g.shape[2], c);
    return [dx];
  }
}
