// optimizer.ts — AdamW and SGD with momentum over parameter groups (SegFormer trains its decode
// head at 10× the encoder's learning rate), global-norm gradient clipping, and the state
// (moments, step) a checkpoint must carry to resume exactly.
import { adamwStep } from '../backend/arrayBackend.js';
import { Tensor } from '../tensor.js';

export interface ParamGroup {
  params: Tensor[];
  /** Multiplies the scheduled learning rate (e.g. 10 for a decoder head). */
  lrMult?: number;
  weightDecay?: number;
}

export abstract class Optimizer {
  readonly groups: Required<ParamGroup>[];
  lr: number;
  step = 0;

  constructor(groups: ParamGroup[] | Tensor[], lr: number, weightDecay: number) {
    const list: ParamGroup[] =
      groups.length > 0 && groups[0] instanceof Tensor
        ? [{ params: groups as Tensor[] }]
        : (groups as ParamGroup[]);
    this.groups = list.map((g) => ({
      params: g.params,
      lrMult: g.lrMult ?? 1,
      weightDecay: g.weightDecay ?? weightDecay,
    }));
    this.lr = lr;
  }

  zeroGrad(): void {
    for (const g of this.groups) for (const p of g.params) p.zeroGrad();
  }

  /** Scale all gradients so their global L2 norm is at most maxNorm; returns the norm before. */
  clipGradNorm(maxNorm: number): number {
    let sq = 0;
    for (const g of this.groups) {
      for (const p of g.params) {
        if (!p.grad) continue;
        const v = p.backend.view(p.grad.storage);
        for (let i = 0; i < p.size; i++) sq += v[i] * v[i];
      }
    }
    const norm = Math.sqrt(sq);
    if (norm > maxNorm && norm > 0) {
      const s = maxNorm / norm;
      for (const g of this.groups)
        for (const p of g.params) if (p.grad) p.backend.affine(p.grad.storage, p.grad.storage, p.size, s, 0);
    }
    return norm;
  }

  abstract update(): void;

  /** Named state tensors for checkpoints (their storage is live: load by copying into it). */
  abstract stateTensors(): [string, Tensor][];

  /** Put `next` where `old` was, with state `keep(oldState)` (used when pruned units are cut out). */
  abstract replaceParam(old: Tensor, next: Tensor, keep: (state: Tensor) => Tensor): void;

  /** Drop a parameter and its state (a unit that was cut out). */
  removeParam(p: Tensor): void {
    for (const g of this.groups) {
      const i = g.params.indexOf(p);
      if (i >= 0) g.params.splice(i, 1);
    }
    for (const s of this.stateMaps()) {
      s.get(p)?.dispose();
      s.delete(p);
    }
  }

  protected abstract stateMaps(): Map<Tensor, Tensor>[];
}

function persistentLike(p: Tensor): Tensor {
  const t = Tensor.param(p.backend, p.shape);
  t.requiresGrad = false;
  return t;
}

/** AdamW (Loshchilov & Hutter): decoupled weight decay, PyTorch's defaults β = (0.9, 0.999), ε = 1e-8. */
export class AdamW extends Optimizer {
  private m = new Map<Tensor, Tensor>();
  private v = new Map<Tensor, Tensor>();
  constructor(
    groups: ParamGroup[] | Tensor[],
    lr: number,
    weightDecay = 0.01,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly eps = 1e-8,
  ) {
    super(groups, lr, weightDecay);
  }

  private moments(p: Tensor): [Tensor, Tensor] {
    let m = this.m.get(p);
    let v = this.v.get(p);
    if (!m || !v) {
      m = persistentLike(p);
      v = persistentLike(p);
      this.m.set(p, m);
      this.v.set(p, v);
    }
    return [m, v];
  }

  update(): void {
    this.step++;
    for (const g of this.groups) {
      const h = {
        lr: this.lr * g.lrMult,
        beta1: this.beta1,
        beta2: this.beta2,
        eps: this.eps,
        weightDecay: g.weightDecay,
        step: this.step,
      };
      for (const p of g.params) {
        if (!p.grad) continue;
        const [m, v] = this.moments(p);
        const be = p.backend;
        // The backend's fused step (a kernel on wasm, moments already in its memory), else the loop.
        if (be.adamw) be.adamw(p.storage, p.grad.storage, m.storage, v.storage, p.size, h);
        else
          adamwStep(
            be.view(p.storage),
            be.view(p.grad.storage),
            be.view(m.storage),
            be.view(v.storage),
            p.size,
            h,
          );
      }
    }
  }

  protected stateMaps(): Map<Tensor, Tensor>[] {
    return [this.m, this.v];
  }

  stateTensors(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    this.groups.forEach((g, gi) => {
      g.params.forEach((p, pi) => {
        const [m, v] = this.moments(p);
        out.push([`${gi}.${pi}.m`, m], [`${gi}.${pi}.v`, v]);
      });
    });
    return out;
  }

  replaceParam(old: Tensor, next: Tensor, keep: (state: Tensor) => Tensor): void {
    for (const g of this.groups) {
      const i = g.params.indexOf(old);
      if (i >= 0) g.params[i] = next;
    }
    for (const map of [this.m, this.v]) {
      const s = map.get(old);
      if (!s) continue;
      map.delete(old);
      const k = keep(s);
      k.persistent = true;
      map.set(next, k);
      s.dispose();
    }
  }
}

/** SGD with (heavy-ball) momentum and L2 weight decay added to the gradient, as torch.optim.SGD. */
export class SGD extends Optimizer {
  private buf = new Map<Tensor, Tensor>();
  constructor(
    groups: ParamGroup[] | Tensor[],
    lr: number,
    readonly momentum = 0.9,
    weightDecay = 0,
  ) {
    super(groups, lr, weightDecay);
  }
  update(): void {
    this.step++;
    for (const g of this.groups) {
      const lr = this.lr * g.lrMult;
      for (const p of g.params) {
        if (!p.grad) continue;
        let b = this.buf.get(p);
        const first = !b;
        if (!b) {
          b = persistentLike(p);
          this.buf.set(p, b);
        }
        const be = p.backend;
        const P = be.view(p.storage);
        const G = be.view(p.grad.storage);
        const B = be.view(b.storage);
        for (let i = 0; i < p.size; i++) {
          const gi = G[i] + g.weightDecay * P[i];
          B[i] = first ? gi : this.momentum * B[i] + gi;
          P[i] -= lr * B[i];
        }
      }
    }
  }
  protected stateMaps(): Map<Tensor, Tensor>[] {
    return [this.buf];
  }

  stateTensors(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    this.groups.forEach((g, gi) => {
      g.params.forEach((p, pi) => {
        const b = this.buf.get(p);
        if (b) out.push([`${gi}.${pi}.momentum`, b]);
      });
    });
    return out;
  }
  replaceParam(old: Tensor, next: Tensor, keep: (state: Tensor) => Tensor): void {
    for (const g of this.groups) {
      const i = g.params.indexOf(old);
      if (i >= 0) g.params[i] = next;
    }
    const s = this.buf.get(old);
    if (s) {
      this.buf.delete(old);
      const k = keep(s);
      k.persistent = true;
      this.buf.set(next, k);
      s.dispose();
    }
  }
}
