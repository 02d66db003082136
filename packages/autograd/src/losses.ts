// losses.ts — distillation and regression losses, composed from ops (their gradients come from the
// ops'), plus the fused cross-entropy re-exported.
import { noGrad } from './function.js';
import * as ops from './ops/index.js';
import type { Tensor } from './tensor.js';

export { type CrossEntropyOptions, crossEntropy } from './ops/index.js';

/** Σ p_t·(log p_t − log p_s) over the last axis of [rows, C] logits, summed over rows. */
function klRows(student: Tensor, teacher: Tensor, t: number): Tensor {
  const [pt, logpt] = noGrad(() => {
    const z = teacher.mul(1 / t);
    const r = [z.softmax(), z.logSoftmax()];
    z.dispose();
    return r;
  });
  const ls = student.mul(1 / t).logSoftmax();
  return pt.mul(logpt.sub(ls)).sum();
}

/**
 * Hinton distillation per pixel: T²·(1/|Ω|)·Σ_p KL(softmax(z_t/T) ‖ softmax(z_s/T)) over logits
 * [..., C] (the ×T² keeps gradient magnitudes independent of T).
 */
export function klDistill(student: Tensor, teacher: Tensor, temperature: number): Tensor {
  const c = student.shape[student.shape.length - 1];
  return klRows(student, teacher, temperature).mul((temperature * temperature * c) / student.size);
}

/**
 * Channel-wise distillation (Shu et al., ICCV 2021) on NHWC logits [B, H, W, C]: per channel, a
 * softmax over the H·W positions; L = T²/(C·B)·Σ_c KL(φ(y_t,c) ‖ φ(y_s,c)), as mmrazor's ChannelWiseDivergence.
 */
export function channelWiseDistill(student: Tensor, teacher: Tensor, temperature: number): Tensor {
  const [b, h, w, c] = student.shape;
  const toRows = (x: Tensor) => ops.permute(x.reshape([b, h * w, c]), [0, 2, 1]);
  const s = toRows(student);
  const t = noGrad(() => toRows(teacher));
  return klRows(s, t, temperature).mul((temperature * temperature) / (c * b));
}

export function mse(a: Tensor, b: Tensor): Tensor {
  return a.sub(b).square().mean();
}
