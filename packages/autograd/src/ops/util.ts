// util.ts — shape helpers shared by the ops: broadcasting, strides, summing a gradient back down to
// an input's shape.
import { fmtShape, type Shape, Tensor } from '../tensor.js';

export function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    s[d] = acc;
    acc *= shape[d];
  }
  return s;
}

export function broadcastShape(op: string, a: Shape, b: Shape): number[] {
  const nd = Math.max(a.length, b.length);
  const out = new Array<number>(nd);
  for (let i = 0; i < nd; i++) {
    const x = a[a.length - nd + i] ?? 1;
    const y = b[b.length - nd + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) {
      throw new Error(
        `${op}: shapes ${fmtShape(a)} and ${fmtShape(b)} do not broadcast. Expected equal sizes or 1 in each axis.`,
      );
    }
    out[i] = x === 1 ? y : x;
  }
  return out;
}

/** Strides of `shape` read as `out` (0 in broadcast axes). */
export function broadcastStrides(shape: Shape, out: Shape): number[] {
  const st = stridesOf(shape);
  const pad = out.length - shape.length;
  return out.map((_, i) => (i < pad || shape[i - pad] === 1 ? 0 : st[i - pad]));
}

/** Sum g over the axes where `shape` was broadcast up to g's shape. */
export function sumTo(g: Tensor, shape: Shape): Tensor {
  if (g.shape.length === shape.length && g.shape.every((s, i) => s === shape[i])) return g.alias();
  const be = g.backend;
  const pad = g.shape.length - shape.length;
  let cur = g;
  let curShape = [...g.shape];
  for (let d = 0; d < g.shape.length; d++) {
    const want = d < pad ? 1 : shape[d - pad];
    if (curShape[d] === want) continue;
    const outer = curShape.slice(0, d).reduce((p, s) => p * s, 1);
    const inner = curShape.slice(d + 1).reduce((p, s) => p * s, 1);
    const next = new Tensor(be, [...curShape.slice(0, d), 1, ...curShape.slice(d + 1)]);
    be.reduce('sum', cur.storage, outer, curShape[d], inner, next.storage);
    if (cur !== g) cur.dispose();
    cur = next;
    curShape = [...next.shape];
  }
  const out = cur.alias(shape);
  if (cur !== g) cur.dispose();
  return out;
}

export function normAxis(op: string, axis: number, nd: number): number {
  const a = axis < 0 ? axis + nd : axis;
  if (!Number.isInteger(a) || a < 0 || a >= nd)
    throw new Error(`${op}: axis ${axis} is out of range for ${nd} dimensions.`);
  return a;
}
