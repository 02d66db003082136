// shape.ts — reshape (a view), permute, concatenation and slicing along one axis.
import { Function } from '../function.js';
import { fmtShape, type Shape, sizeOf, Tensor } from '../tensor.js';
import { normAxis } from './util.js';

export class Reshape extends Function {
  forward(x: Tensor, shape: Shape): Tensor {
    const s = [...shape];
    const infer = s.indexOf(-1);
    if (infer >= 0) s[infer] = x.size / -sizeOf(s);
    if (sizeOf(s) !== x.size || s.some((d) => !Number.isInteger(d) || d < 0)) {
      throw new Error(
        `reshape: cannot view ${fmtShape(x.shape)} (${x.size} elements) as ${fmtShape(shape)}.`,
      );
    }
    return x.alias(s);
  }
  backward(g: Tensor): (Tensor | null)[] {
    return [g.alias(this.inputs[0].shape)];
  }
}

export class Permute extends Function {
  private perm!: number[];
  forward(x: Tensor, perm: number[]): Tensor {
    const nd = x.shape.length;
    if (perm.length !== nd || [...perm].sort((a, b) => a - b).some((p, i) => p !== i)) {
      throw new Error(`permute: [${perm}] is not a permutation of ${nd} axes (tensor ${fmtShape(x.shape)}).`);
    }
    this.perm = perm;
    const out = new Tensor(
      x.backend,
      perm.map((p) => x.shape[p]),
    );
    x.backend.permute(x.storage, [...x.shape], perm, out.storage);
    return out;
  }
  backward(g: Tensor): (Tensor | null)[] {
    const inv = new Array<number>(this.perm.length);
    this.perm.forEach((p, i) => {
      inv[p] = i;
    });
    const dx = new Tensor(g.backend, this.inputs[0].shape);
    g.backend.permute(g.storage, [...g.shape], inv, dx.storage);
    return [dx];
  }
}

/** Copies blocks of `len` elements `count` times between two tensors laid out as [outer, …]. */
function copyBlocks(
  src: Tensor,
  srcStride: number,
  srcOff: number,
  dst: Tensor,
  dstStride: number,
  dstOff: number,
  len: number,
  count: number,
) {
  for (let o = 0; o < count; o++)
    src.backend.copy(src.storage, srcOff + o * srcStride, dst.storage, dstOff + o * dstStride, len);
}

export class Concat extends Function {
  private axis = 0;
  forward(axis: number, ...xs: Tensor[]): Tensor {
    const nd = xs[0].shape.length;
    const ax = normAxis('concat', axis, nd);
    this.axis = ax;
    for (const x of xs) {
      if (x.shape.length !== nd || x.shape.some((s, d) => d !== ax && s !== xs[0].shape[d])) {
        throw new Error(
          `concat: ${fmtShape(x.shape)} does not match ${fmtShape(xs[0].shape)} outside axis ${ax}.`,
        );
      }
    }
    const total = xs.reduce((p, x) => p + x.shape[ax], 0);
    const shape = [...xs[0].shape];
    shape[ax] = total;
    const out = new Tensor(xs[0].backend, shape);
    const outer = sizeOf(shape.slice(0, ax));
    const inner = sizeOf(shape.slice(ax + 1));
    let off = 0;
    for (const x of xs) {
      const len = x.shape[ax] * inner;
      copyBlocks(x, len, 0, out, total * inner, off, len, outer);
      off += len;
    }
    return out;
  }
  backward(g: Tensor): (Tensor | null)[] {
    const ax = this.axis;
    const outer = sizeOf(g.shape.slice(0, ax));
    const inner = sizeOf(g.shape.slice(ax + 1));
    let off = 0;
    return this.inputs.map((x, i) => {
      const len = x.shape[ax] * inner;
      const start = off;
      off += len;
      if (!this.needsInputGrad[i]) return null;
      const dx = new Tensor(g.backend, x.shape);
      copyBlocks(g, g.shape[ax] * inner, start, dx, len, 0, len, outer);
      return dx;
    });
  }
}

/** x.narrow(axis, start, length). */
export class Slice extends Function {
  private axis = 0;
  private start = 0;
  forward(x: Tensor, axis: number, start: number, length: number): Tensor {
    const ax = normAxis('slice', axis, x.shape.length);
    if (
      !Number.isInteger(start) ||
      !Number.isInteger(length) ||
      start < 0 ||
      length < 0 ||
      start + length > x.shape[ax]
    ) {
      throw new Error(`slice: [${start}, ${start + length}) is outside axis ${ax} of ${fmtShape(x.shape)}.`);
    }
    this.axis = ax;
    this.start = start;
    const shape = [...x.shape];
    shape[ax] = length;
    const out = new Tensor(x.backend, shape);
    const outer = sizeOf(shape.slice(0, ax));
    const inner = sizeOf(shape.slice(ax + 1));
    copyBlocks(x, x.shape[ax] * inner, start * inner, out, length * inner, 0, length * inner, outer);
    return out;
  }
  backward(g: Tensor): (Tensor | null)[] {
    const x = this.inputs[0];
    const ax = this.axis;
    const dx = Tensor.zeros(g.backend, x.shape);
    const outer = sizeOf(x.shape.slice(0, ax));
    const inner = sizeOf(x.shape.slice(ax + 1));
    copyBlocks(
      g,
      g.shape[ax] * inner,
      0,
      dx,
      x.shape[ax] * inner,
      this.start * inner,
      g.shape[ax] * inner,
      outer,
    );
    return [dx];
  }
}
