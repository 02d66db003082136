// elementwise.ts — unary functions, broadcasting binary arithmetic, and y = a·x + b.
import type { BinaryOp, UnaryOp } from '../backend/backend.js';
import { Function } from '../function.js';
import { Tensor } from '../tensor.js';
import { broadcastShape, broadcastStrides, sumTo } from './util.js';

export class Unary extends Function {
  private op!: UnaryOp;
  private x!: Tensor;
  private y!: Tensor;
  forward(op: UnaryOp, x: Tensor): Tensor {
    this.op = op;
    const y = new Tensor(x.backend, x.shape);
    x.backend.unary(op, x.storage, y.storage, x.size);
    if (this.needsInputGrad[0]) {
      this.x = this.save(x);
      this.y = this.save(y);
    }
    return y;
  }
  backward(g: Tensor): (Tensor | null)[] {
    const dx = new Tensor(g.backend, g.shape);
    g.backend.unaryGrad(this.op, this.x.storage, this.y.storage, g.storage, dx.storage, g.size);
    return [dx];
  }
}

export class Affine extends Function {
  private scale = 1;
  forward(x: Tensor, scale: number, shift: number): Tensor {
    this.scale = scale;
    const y = new Tensor(x.backend, x.shape);
    x.backend.affine(x.storage, y.storage, x.size, scale, shift);
    return y;
  }
  backward(g: Tensor): (Tensor | null)[] {
    if (this.scale === 1) return [g.alias()];
    const dx = new Tensor(g.backend, g.shape);
    g.backend.affine(g.storage, dx.storage, g.size, this.scale, 0);
    return [dx];
  }
}

function binaryRaw(op: BinaryOp, a: Tensor, b: Tensor, shape: number[]): Tensor {
  const out = new Tensor(a.backend, shape);
  a.backend.binary(
    op,
    a.storage,
    broadcastStrides(a.shape, shape),
    b.storage,
    broadcastStrides(b.shape, shape),
    out.storage,
    shape,
  );
  return out;
}

export class Binary extends Function {
  private op!: BinaryOp;
  private a!: Tensor;
  private b!: Tensor;
  private aShape!: readonly number[];
  private bShape!: readonly number[];
  forward(op: BinaryOp, a: Tensor, b: Tensor): Tensor {
    if (a.backend !== b.backend)
      throw new Error(`${op}: tensors live on different backends (${a.backend.name}, ${b.backend.name}).`);
    if (op === 'max' || op === 'min') throw new Error(`${op}: elementwise ${op} is not differentiable here.`);
    this.op = op;
    this.aShape = a.shape;
    this.bShape = b.shape;
    const shape = broadcastShape(op, a.shape, b.shape);
    if (op === 'mul' || op === 'div') {
      this.a = this.save(a);
      this.b = this.save(b);
    }
    return binaryRaw(op, a, b, shape);
  }
  backward(g: Tensor): (Tensor | null)[] {
    const [na, nb] = this.needsInputGrad;
    switch (this.op) {
      case 'add':
        return [na ? sumTo(g, this.aShape) : null, nb ? sumTo(g, this.bShape) : null];
      case 'sub': {
        let db: Tensor | null = null;
        if (nb) {
          const neg = new Tensor(g.backend, g.shape);
          g.backend.affine(g.storage, neg.storage, g.size, -1, 0);
          db = sumTo(neg, this.bShape);
          neg.dispose();
        }
        return [na ? sumTo(g, this.aShape) : null, db];
      }
      case 'mul':
        return [
          na ? reduced('mul', g, this.b, this.aShape) : null,
          nb ? reduced('mul', g, this.a, this.bShape) : null,
        ];
      default: {
        // d(a/b)/da = 1/b; d(a/b)/db = −a/b²
        const da = na ? reduced('div', g, this.b, this.aShape) : null;
        let db: Tensor | null = null;
        if (nb) {
          const q = binaryRaw('div', g, this.b, [...g.shape]);
          const q2 = binaryRaw('div', q, this.b, [...g.shape]);
          const t = binaryRaw('mul', q2, this.a, [...g.shape]);
          g.backend.affine(t.storage, t.storage, t.size, -1, 0);
          db = sumTo(t, this.bShape);
          for (const x of [q, q2, t]) x.dispose();
        }
        return [da, db];
      }
    }
  }
}

/** sumTo(g ∘ other, shape) */
function reduced(op: BinaryOp, g: Tensor, other: Tensor, shape: readonly number[]): Tensor {
  const t = binaryRaw(op, g, other, [...g.shape]);
  const r = sumTo(t, shape);
  t.dispose();
  return r;
}

/** y = min(hi, max(lo, x)); the gradient passes where lo < x < hi (where the clamp is inactive). */
export class Clamp extends Function {
  private x!: Tensor;
  private lo = 0;
  private hi = 0;
  forward(x: Tensor, lo: number, hi: number): Tensor {
    this.lo = lo;
    this.hi = hi;
    const y = new Tensor(x.backend, x.shape);
    const X = x.backend.view(x.storage);
    const Y = x.backend.view(y.storage);
    for (let i = 0; i < x.size; i++) Y[i] = Math.min(hi, Math.max(lo, X[i]));
    if (this.needsInputGrad[0]) this.x = this.save(x);
    return y;
  }
  backward(g: Tensor): (Tensor | null)[] {
    const dx = new Tensor(g.backend, g.shape);
    const X = g.backend.view(this.x.storage);
    const G = g.backend.view(g.storage);
    const D = g.backend.view(dx.storage);
    for (let i = 0; i < g.size; i++) D[i] = X[i] > this.lo && X[i] < this.hi ? G[i] : 0;
    return [dx];
  }
}
