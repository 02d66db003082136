// tensor.ts — the eager f32 Tensor: a shape, a refcounted storage on a backend, and the Function
// that made it. Sugar methods (add, matmul, mean, …) call ops and never define a backward of their
// own (tinygrad's hlops over mlops).
import type { Backend, Storage } from './backend/backend.js';
import { type Function, track, untrack } from './function.js';
import * as ops from './ops/index.js';

export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

export function fmtShape(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

// Tensors that were never disposed give their storage back when garbage collected: a safety net
// only; training loops release deterministically with tidy().
const finalizer = new FinalizationRegistry<{ backend: Backend; storage: Storage }>(({ backend, storage }) =>
  backend.release(storage),
);

export class Tensor {
  /** Tensors created and not yet disposed (a leak detector for tests). */
  static liveCount = 0;
  readonly isTensor = true;
  readonly backend: Backend;
  readonly shape: Shape;
  readonly size: number;
  readonly storage: Storage;
  requiresGrad = false;
  grad: Tensor | null = null;
  ctx: Function | null = null;
  /** Persistent tensors (parameters, their grads, optimizer state) survive tidy(). */
  persistent = false;
  name?: string;
  private disposed = false;

  /** Wrap a storage the caller gives up one reference of. */
  constructor(backend: Backend, shape: Shape, storage?: Storage) {
    for (const s of shape) {
      if (!Number.isInteger(s) || s < 0)
        throw new Error(`Tensor: bad shape ${fmtShape(shape)}. Expected whole numbers ≥ 0.`);
    }
    this.backend = backend;
    this.shape = Object.freeze([...shape]);
    this.size = sizeOf(shape);
    this.storage = storage ?? backend.alloc(this.size);
    if (this.storage.length < this.size) {
      throw new Error(
        `Tensor: storage of ${this.storage.length} elements is too small for shape ${fmtShape(shape)}.`,
      );
    }
    finalizer.register(this, { backend, storage: this.storage }, this);
    Tensor.liveCount++;
    track(this);
  }

  static zeros(backend: Backend, shape: Shape): Tensor {
    const t = new Tensor(backend, shape);
    backend.fill(t.storage, 0);
    return t;
  }

  static full(backend: Backend, shape: Shape, value: number): Tensor {
    const t = new Tensor(backend, shape);
    backend.fill(t.storage, value);
    return t;
  }

  static from(backend: Backend, shape: Shape, data: ArrayLike<number>): Tensor {
    const n = sizeOf(shape);
    if (data.length !== n) {
      throw new Error(
        `Tensor.from: ${data.length} values do not fill shape ${fmtShape(shape)}. Expected ${n}.`,
      );
    }
    const t = new Tensor(backend, shape);
    backend.view(t.storage).set(data);
    return t;
  }

  /** A trainable leaf that survives tidy(). */
  static param(backend: Backend, shape: Shape, data?: ArrayLike<number>, name?: string): Tensor {
    const t = data ? Tensor.from(backend, shape, data) : Tensor.zeros(backend, shape);
    t.requiresGrad = true;
    t.persistent = true;
    t.name = name;
    untrack(t);
    return t;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** A new tensor on the same storage (no copy); used for reshape and for saving in Functions. */
  alias(shape: Shape = this.shape): Tensor {
    this.assertLive('alias');
    this.storage.refs++;
    return new Tensor(this.backend, shape, this.storage);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    Tensor.liveCount--;
    finalizer.unregister(this);
    this.backend.release(this.storage);
    if (this.grad && !this.persistent) this.grad.dispose();
  }

  /** The values (a copy, as Float32Array or Float64Array). */
  toArray(): Float32Array | Float64Array {
    this.assertLive('toArray');
    return this.backend.view(this.storage).slice(0, this.size);
  }

  item(): number {
    if (this.size !== 1)
      throw new Error(`item: expected a tensor of one element, got shape ${fmtShape(this.shape)}.`);
    return this.backend.view(this.storage)[0];
  }

  /** A leaf copy without history. */
  detach(): Tensor {
    return this.alias();
  }

  /**
   * Backpropagate from this scalar: accumulate d(this)/d(leaf) into every leaf's `grad`.
   * Intermediate gradients and saved tensors are released as soon as they are used.
   */
  backward(): void {
    if (this.size !== 1) {
      throw new Error(
        `backward: only a scalar can start backward. Expected one element, got shape ${fmtShape(this.shape)}.`,
      );
    }
    if (!this.requiresGrad)
      throw new Error('backward: the tensor does not require grad (no graph was recorded).');
    // Topological order by an iterative DFS (transformer graphs are deep).
    const order: Tensor[] = [];
    const seen = new Set<Tensor>();
    const stack: [Tensor, boolean][] = [[this, false]];
    while (stack.length > 0) {
      const [t, done] = stack.pop()!;
      if (done) {
        order.push(t);
        continue;
      }
      if (seen.has(t)) continue;
      seen.add(t);
      stack.push([t, true]);
      if (t.ctx) for (const p of t.ctx.inputs) if (p.requiresGrad && !seen.has(p)) stack.push([p, false]);
    }
    const grads = new Map<Tensor, Tensor>([[this, Tensor.full(this.backend, this.shape, 1)]]);
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i];
      const g = grads.get(t);
      if (!g) continue;
      grads.delete(t);
      if (!t.ctx) {
        t.accumulateGrad(g);
        continue;
      }
      const fn = t.ctx;
      const inputGrads = fn.backward(g);
      g.dispose();
      fn.releaseSaved();
      t.ctx = null;
      fn.inputs.forEach((p, j) => {
        const ig = inputGrads[j];
        if (!ig) return;
        if (!fn.needsInputGrad[j]) {
          ig.dispose();
          return;
        }
        if (ig.size !== p.size) {
          throw new Error(
            `backward: ${fn.constructor.name} gave a gradient of shape ${fmtShape(ig.shape)} for an input of shape ${fmtShape(p.shape)}.`,
          );
        }
        const prev = grads.get(p);
        if (!prev) grads.set(p, ig);
        else {
          // Backward functions may hand out aliases of one gradient to several inputs: add in
          // place only into storage no other gradient shares.
          const acc = prev.storage.refs > 1 ? prev.copyAndDispose() : prev;
          acc.addInPlace(ig);
          ig.dispose();
          grads.set(p, acc);
        }
      });
    }
  }

  accumulateGrad(g: Tensor): void {
    if (this.grad) {
      this.grad.addInPlace(g);
      g.dispose();
      return;
    }
    // A leaf's grad is accumulated in place step after step, so it must not share storage.
    this.grad = g.storage.refs > 1 ? g.copyAndDispose() : g;
    if (this.persistent) {
      this.grad.persistent = true;
      untrack(this.grad);
    }
  }

  /** A copy with its own storage; this tensor is disposed. */
  copyAndDispose(): Tensor {
    const c = new Tensor(this.backend, this.shape);
    this.backend.copy(this.storage, 0, c.storage, 0, this.size);
    this.dispose();
    return c;
  }

  zeroGrad(): void {
    if (this.grad) {
      if (this.persistent) this.backend.fill(this.grad.storage, 0);
      else {
        this.grad.dispose();
        this.grad = null;
      }
    }
  }

  /** this += other (same shape), outside autograd. */
  addInPlace(other: Tensor): void {
    if (other.size !== this.size)
      throw new Error(`addInPlace: shapes ${fmtShape(this.shape)} and ${fmtShape(other.shape)} differ.`);
    const str = [1];
    this.backend.binary('add', this.storage, str, other.storage, str, this.storage, [this.size]);
  }

  private assertLive(op: string): void {
    if (this.disposed) throw new Error(`${op}: the tensor was disposed.`);
  }

  // --- sugar (hlops): every method below is made of ops; none defines a backward. ---
  add(o: Tensor | number): Tensor {
    return typeof o === 'number' ? ops.affine(this, 1, o) : ops.binary('add', this, o);
  }
  sub(o: Tensor | number): Tensor {
    return typeof o === 'number' ? ops.affine(this, 1, -o) : ops.binary('sub', this, o);
  }
  mul(o: Tensor | number): Tensor {
    return typeof o === 'number' ? ops.affine(this, o, 0) : ops.binary('mul', this, o);
  }
  div(o: Tensor | number): Tensor {
    return typeof o === 'number' ? ops.affine(this, 1 / o, 0) : ops.binary('div', this, o);
  }
  neg(): Tensor {
    return ops.affine(this, -1, 0);
  }
  exp(): Tensor {
    return ops.unary('exp', this);
  }
  log(): Tensor {
    return ops.unary('log', this);
  }
  sqrt(): Tensor {
    return ops.unary('sqrt', this);
  }
  square(): Tensor {
    return ops.unary('square', this);
  }
  abs(): Tensor {
    return ops.unary('abs', this);
  }
  relu(): Tensor {
    return ops.unary('relu', this);
  }
  gelu(): Tensor {
    return ops.unary('gelu', this);
  }
  sigmoid(): Tensor {
    return ops.unary('sigmoid', this);
  }
  tanh(): Tensor {
    return ops.unary('tanh', this);
  }
  hardswish(): Tensor {
    return ops.unary('hardswish', this);
  }
  hardsigmoid(): Tensor {
    return ops.unary('hardsigmoid', this);
  }
  matmul(o: Tensor, opts: { transA?: boolean; transB?: boolean } = {}): Tensor {
    return ops.matmul(this, o, opts.transA ?? false, opts.transB ?? false);
  }
  reshape(shape: Shape): Tensor {
    return ops.reshape(this, shape);
  }
  permute(perm: number[]): Tensor {
    return ops.permute(this, perm);
  }
  transpose(a = -2, b = -1): Tensor {
    const nd = this.shape.length;
    const perm = [...Array(nd).keys()];
    const i = (a + nd) % nd;
    const j = (b + nd) % nd;
    [perm[i], perm[j]] = [perm[j], perm[i]];
    return ops.permute(this, perm);
  }
  sum(axes?: number | number[], keepDims = false): Tensor {
    return ops.reduce('sum', this, axes, keepDims);
  }
  max(axes?: number | number[], keepDims = false): Tensor {
    return ops.reduce('max', this, axes, keepDims);
  }
  mean(axes?: number | number[], keepDims = false): Tensor {
    const s = ops.reduce('sum', this, axes, keepDims);
    return ops.affine(s, s.size / this.size, 0);
  }
  clamp(lo: number, hi: number): Tensor {
    return ops.clamp(this, lo, hi);
  }
  softmax(): Tensor {
    return ops.softmax(this, false);
  }
  logSoftmax(): Tensor {
    return ops.softmax(this, true);
  }
}
