// attention.ts — the multi-head attention core, softmax(q·kᵀ·scale)·v, fused: heads are column
// slices of [B, N, C] tensors read with a row stride of C, so no head is ever copied or permuted.
// Keeps P (B·heads·N·Nk) for backward.
import type { Backend, Storage } from '../backend/backend.js';
import { Function } from '../function.js';
import { fmtShape, Tensor } from '../tensor.js';

function mm(
  be: Backend,
  m: number,
  n: number,
  k: number,
  a: Storage,
  ao: number,
  lda: number,
  ta: boolean,
  b: Storage,
  bo: number,
  ldb: number,
  tb: boolean,
  c: Storage,
  co: number,
  ldc: number,
) {
  be.gemm({
    m,
    n,
    k,
    a,
    aOffset: ao,
    lda,
    transA: ta,
    b,
    bOffset: bo,
    ldb,
    transB: tb,
    c,
    cOffset: co,
    ldc,
    accumulate: false,
  });
}

export class Attention extends Function {
  private q!: Tensor;
  private k!: Tensor;
  private v!: Tensor;
  private p!: Tensor;
  private heads = 1;
  private scale = 1;
  forward(q: Tensor, k: Tensor, v: Tensor, heads: number, scale: number): Tensor {
    const [B, N, C] = q.shape;
    const Nk = k.shape[1];
    if (
      q.shape.length !== 3 ||
      k.shape.length !== 3 ||
      fmtShape(k.shape) !== fmtShape(v.shape) ||
      k.shape[0] !== B ||
      k.shape[2] !== C ||
      C % heads !== 0
    ) {
      throw new Error(
        `attention: expected q [B,N,C], k and v [B,Nk,C] with C divisible by ${heads} heads; got q ${fmtShape(q.shape)}, k ${fmtShape(k.shape)}, v ${fmtShape(v.shape)}.`,
      );
    }
    this.heads = heads;
    this.scale = scale;
    const be = q.backend;
    const dh = C / heads;
    const p = new Tensor(be, [B, heads, N, Nk]);
    const out = new Tensor(be, [B, N, C]);
    for (let b = 0; b < B; b++) {
      for (let h = 0; h < heads; h++) {
        const po = (b * heads + h) * N * Nk;
        mm(
          be,
          N,
          Nk,
          dh,
          q.storage,
          b * N * C + h * dh,
          C,
          false,
          k.storage,
          b * Nk * C + h * dh,
          C,
          true,
          p.storage,
          po,
          Nk,
        );
      }
    }
    be.affine(p.storage, p.storage, p.size, scale, 0);
    be.softmax(p.storage, p.storage, B * heads * N, Nk, false);
    for (let b = 0; b < B; b++) {
      for (let h = 0; h < heads; h++) {
        const po = (b * heads + h) * N * Nk;
        mm(
          be,
          N,
          dh,
          Nk,
          p.storage,
          po,
          Nk,
          false,
          v.storage,
          b * Nk * C + h * dh,
          C,
          false,
          out.storage,
          b * N * C + h * dh,
          C,
        );
      }
    }
    if (this.needsInputGrad.some(Boolean)) {
      this.q = this.save(q);
      this.k = this.save(k);
      this.v = this.save(v);
      this.p = this.save(p);
    }
    p.dispose();
    return out;
  }
  backward(g: Tensor): (Tensor | null)[] {
    const be = g.backend;
    const [B, N, C] = this.q.shape;
    const Nk = this.k.shape[1];
    const H = this.heads;
    const dh = C / H;
    const dq = new Tensor(be, [B, N, C]);
    const dk = new Tensor(be, [B, Nk, C]);
    const dv = new Tensor(be, [B, Nk, C]);
    const dp = new Tensor(be, [B, H, N, Nk]);
    for (let b = 0; b < B; b++) {
      for (let h = 0; h < H; h++) {
        const po = (b * H + h) * N * Nk;
        const qo = b * N * C + h * dh;
        const ko = b * Nk * C + h * dh;
        // dP = dO·vᵀ ; dv = Pᵀ·dO
        mm(be, N, Nk, dh, g.storage, qo, C, false, this.v.storage, ko, C, true, dp.storage, po, Nk);
        mm(be, Nk, dh, N, this.p.storage, po, Nk, true, g.storage, qo, C, false, dv.storage, ko, C);
      }
    }
    be.softmaxGrad(this.p.storage, dp.storage, dp.storage, B * H * N, Nk, false);
    be.affine(dp.storage, dp.storage, dp.size, this.scale, 0);
    for (let b = 0; b < B; b++) {
      for (let h = 0; h < H; h++) {
        const po = (b * H + h) * N * Nk;
        const qo = b * N * C + h * dh;
        const ko = b * Nk * C + h * dh;
        // dq = dS·k ; dk = dSᵀ·q
        mm(be, N, dh, Nk, dp.storage, po, Nk, false, this.k.storage, ko, C, false, dq.storage, qo, C);
        mm(be, Nk, dh, N, dp.storage, po, Nk, true, this.q.storage, qo, C, false, dk.storage, ko, C);
      }
    }
    dp.dispose();
    return [dq, dk, dv];
  }
}
