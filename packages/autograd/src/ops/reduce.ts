// reduce.ts — sum and max over a set of axes (max passes the gradient to the first maximum).
import { Function } from '../function.js';
import { Tensor } from '../tensor.js';
import { normAxis, stridesOf } from './util.js';

export class Reduce extends Function {
  private op!: 'sum' | 'max';
  private x!: Tensor;
  private y!: Tensor;
  private axes!: number[];
  forward(op: 'sum' | 'max', x: Tensor, axes: number | number[] | undefined, keepDims: boolean): Tensor {
    const nd = x.shape.length;
    const list =
      axes === undefined
        ? [...Array(nd).keys()]
        : (Array.isArray(axes) ? axes : [axes]).map((a) => normAxis(op, a, nd));
    this.op = op;
    this.axes = [...new Set(list)].sort((a, b) => a - b);
    // Reduce axis by axis, from the last, on [outer, mid, inner] views.
    let cur = x;
    let shape = [...x.shape];
    for (let i = this.axes.length - 1; i >= 0; i--) {
      const d = this.axes[i];
      const outer = shape.slice(0, d).reduce((p, s) => p * s, 1);
      const inner = shape.slice(d + 1).reduce((p, s) => p * s, 1);
      const nextShape = [...shape];
      nextShape[d] = 1;
      const next = new Tensor(x.backend, nextShape);
      x.backend.reduce(op, cur.storage, outer, shape[d], inner, next.storage);
      if (cur !== x) cur.dispose();
      cur = next;
      shape = nextShape;
    }
    const outShape = keepDims ? shape : shape.filter((_, d) => !this.axes.includes(d));
    const out = cur === x ? x.alias(outShape) : cur.alias(outShape);
    if (cur !== x) cur.dispose();
    if (op === 'max' && this.needsInputGrad[0]) {
      this.x = this.save(x);
      this.y = this.save(out.alias(shape));
    }
    return out;
  }
  backward(g: Tensor): (Tensor | null)[] {
    const x = this.inputs[0];
    const be = g.backend;
    const keptShape = x.shape.map((s, d) => (this.axes.includes(d) ? 1 : s));
    const st = keptShape
      .map((_, d) => keptShape.slice(d + 1).reduce((p, s) => p * s, 1))
      .map((s, d) => (keptShape[d] === 1 ? 0 : s));
    // dx = 0 + g broadcast to x's shape, as dx (filled with 0, contiguous) + g in place: one full
    // operand keeps the broadcast on a kernel layout (row / column / scalar per outer index).
    const dx = Tensor.zeros(be, x.shape);
    be.binary('add', dx.storage, stridesOf(x.shape), g.storage, st, dx.storage, [...x.shape]);
    if (this.op === 'max') {
      // Mask of the first arg-max in each reduced group: where x == max, once.
      const X = be.view(this.x.storage);
      const Y = be.view(this.y.storage);
      const D = be.view(dx.storage);
      const taken = new Uint8Array(this.y.size);
      const idx = new Array<number>(x.shape.length).fill(0);
      for (let i = 0; i < x.size; i++) {
        let yo = 0;
        for (let d = 0; d < idx.length; d++) yo += idx[d] * (st[d] === 0 ? 0 : st[d]);
        if (X[i] === Y[yo] && !taken[yo]) taken[yo] = 1;
        else D[i] = 0;
        for (let d = idx.length - 1; d >= 0; d--) {
          if (++idx[d] < x.shape[d]) break;
          idx[d] = 0;
        }
      }
    }
    return [dx];
  }
}
