// checks.ts — argument checks shared by the spatial and normalization wrappers (dwconv, im2col,
// resize, layernorm, transpose): conv geometry, buffers of one kernel memory, no aliasing between an
// output and anything else. Errors read `<op>: <what>. Expected <x>, got <y>.`
import { expectBuf, expectInt, type KBuf } from './kbuf.js';

/** NHWC conv geometry: the fields of autograd's ConvGeom, as plain numbers. */
export interface ConvGeomF32 {
  batch: number;
  inH: number;
  inW: number;
  /** Channels (depthwise: of input and output alike). */
  inC: number;
  kH: number;
  kW: number;
  stride: number;
  pad: number;
  /** Spacing of kernel taps (atrous convolution); 1 = dense. */
  dilation: number;
  outH: number;
  outW: number;
}

const I32_MAX = 2 ** 31 - 1;
/** The kernels compute tap offsets and byte strides in i32: keep them below 2^30 / 2^31. */
const OFFSET_MAX = 2 ** 30 - 1;

/** Output size of a conv along one axis: ⌊(in + 2p − d(k−1) − 1)/s⌋ + 1, or 0. */
export function convOutSize(inSize: number, k: number, stride: number, pad: number, dilation = 1): number {
  return Math.max(0, Math.floor((inSize + 2 * pad - dilation * (k - 1) - 1) / stride) + 1);
}

export function geomString(g: ConvGeomF32): string {
  return (
    `[${g.batch},${g.inH},${g.inW},${g.inC}] → [${g.batch},${g.outH},${g.outW}], k=${g.kH}×${g.kW}, ` +
    `stride=${g.stride}, pad=${g.pad}, dilation=${g.dilation}`
  );
}

/** Checks every field of a conv geometry and the i32 ranges the kernels compute in. */
export function checkConvGeom(op: string, g: ConvGeomF32): void {
  if (g === null || typeof g !== 'object') {
    throw new Error(`${op}: geometry is missing. Expected a ConvGeom object, got ${String(g)}.`);
  }
  for (const f of ['batch', 'inH', 'inW', 'inC', 'outH', 'outW', 'pad'] as const) expectInt(op, f, g[f], 0);
  for (const f of ['kH', 'kW', 'stride', 'dilation'] as const) expectInt(op, f, g[f], 1);
  const reach = Math.max(g.kH - 1, g.kW - 1) * g.dilation + g.pad;
  if (reach > OFFSET_MAX || Math.max(g.outH, g.outW) * g.stride > OFFSET_MAX) {
    throw new Error(
      `${op}: geometry too large (${geomString(g)}). Expected (k−1)·dilation + pad and out·stride < 2^30.`,
    );
  }
  const rowBytes = Math.max(g.inW, g.outW) * g.inC * 4 * Math.max(g.stride, g.dilation, g.kW);
  if (rowBytes > I32_MAX) {
    throw new Error(
      `${op}: image rows too wide (${geomString(g)}). Expected row bytes < 2^31, got ${rowBytes}.`,
    );
  }
}

/** A buffer argument: its name, the buffer (or null if optional and absent) and the elements used. */
export interface BufArg {
  name: string;
  buf: KBuf | null;
  length: number;
  why: string;
}

/**
 * Checks dtype and size of every buffer, that they live in one kernel memory, and that no output
 * overlaps an input or another output (inputs may share memory).
 */
export function checkBufs(op: string, inputs: BufArg[], outputs: BufArg[]): void {
  const all = [...inputs, ...outputs].filter((a) => a.buf !== null);
  for (const a of all) expectBuf(op, a.name, a.buf!, 'f32', a.length, a.why);
  const arena = all[0]?.buf?.arena;
  for (const a of all) {
    if (a.buf!.arena !== arena) {
      throw new Error(
        `${op}: ${a.name} lives in a different kernel memory than ${all[0].name}. Expected all buffers from the same Kernels.`,
      );
    }
  }
  const range = (a: BufArg): [number, number] => [a.buf!.ptr, a.buf!.ptr + a.length * 4];
  const outs = outputs.filter((a) => a.buf !== null && a.length > 0);
  for (const o of outs) {
    const [o0, o1] = range(o);
    for (const other of all) {
      if (other === o || other.length === 0) continue;
      const [i0, i1] = range(other);
      if (o0 < i1 && i0 < o1) {
        throw new Error(
          `${op}: ${o.name} overlaps ${other.name}. Expected separate memory, got ${other.name} at bytes ` +
            `[${i0}, ${i1}) and ${o.name} at [${o0}, ${o1}).`,
        );
      }
    }
  }
}

/** Elements of an NHWC image. */
export function nhwc(batch: number, h: number, w: number, c: number): number {
  return batch * h * w * c;
}
