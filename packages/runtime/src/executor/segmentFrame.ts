// segmentFrame.ts — one frame from RGB bytes to class ids, as one member of a team runs it (run.ts):
// normalize its rows of the image, resize them to the model input (bilinear, half-pixel centres),
// run the network, resize its rows of the logits to the input size the same way and take the argmax —
// exactly what the trainer's evaluation does, so masks agree. With one thread it is the whole frame.
import { KBuf, lutU8F32, lutU8I8, quantizeF32I8 } from '@edgeseg/kernels';
import { viewAt } from './linear.js';
import { resizeArgmaxRowsInto, resizeRowsInto } from './resizeRows.js';
import { type Run, share } from './run.js';
import type { SegFormerExecutor } from './segformerExecutor.js';

export interface InputSpec {
  height: number;
  width: number;
  mean: [number, number, number];
  std: [number, number, number];
}

export interface FrameResult {
  /** Class id per pixel of the model input, in the workspace ("out.classes"). */
  classes: KBuf<'u8'>;
  height: number;
  width: number;
  /** Milliseconds from the normalized input to the class ids (this member's view). */
  inferenceMs: number;
}

/** Argmax over the last axis of NHWC scores (c classes) into class ids. */
export function argmaxScores(v: Float32Array, pixels: number, c: number, out: Uint8Array): void {
  for (let i = 0, o = 0; i < pixels; i++, o += c) {
    let best = 0;
    let bv = v[o];
    for (let k = 1; k < c; k++) {
      const x = v[o + k];
      if (x > bv) {
        bv = x;
        best = k;
      }
    }
    out[i] = best;
  }
}

/** (x − mean[c]) / std[c] for every byte x and channel c, at [256·c + x] (f64, rounded to f32 once). */
function normalizeTable(mean: readonly number[], std: readonly number[], t: Float32Array): void {
  for (let c = 0; c < 3; c++) for (let x = 0; x < 256; x++) t[256 * c + x] = (x - mean[c]) / std[c];
}

/**
 * Segment one width×height RGB image: `rgb` given (one thread) or already in the workspace's
 * "in.rgb" (threads: the owner copied it there).
 */
export function segmentFrame(
  ex: SegFormerExecutor,
  r: Run,
  spec: InputSpec,
  width: number,
  height: number,
  rgb?: Uint8Array,
): FrameResult {
  const { ws, k, team } = r;
  const { height: H, width: W, mean, std } = spec;
  const classesN = ex.arch.config.classes;
  const n = width * height * 3;
  const [s0, s1] = share(height, team);
  const rowBytes = width * 3;
  // The frame's bytes in kernel memory (threads: the owner copied them there).
  const bytes = ws.get('in.rgb', 'u8', n);
  if (rgb && !team.dry) bytes.view().set(rgb.subarray(s0 * rowBytes, s1 * rowBytes), s0 * rowBytes);
  const mine = KBuf.at(k.arena, 'u8', bytes.ptr + s0 * rowBytes, (s1 - s0) * rowBytes);
  // A byte has 256 values per channel: a 768-entry table of (x − mean)/std makes normalizing one load
  // per value (lut_u8). An INT8 model whose frame needs no resize goes one step further: its first
  // conv quantizes the normalized image anyway, so the table is quantized once (by the same kernel,
  // so the same bytes) and the frame becomes int8 in one pass, with no f32 image written or read.
  const lut = r.local.f32('pre.lut', 768);
  if (!team.dry) normalizeTable(mean, std, lut.view());
  const q = width === W && height === H ? ex.inputQuant : null;
  r.prof?.op('pre.normalize');
  let img: KBuf<'f32'> | KBuf<'i8'>;
  if (q) {
    const lutQ = r.local.get('pre.lutq', 'i8', 768);
    const x8 = ws.get('pre.q', 'i8', n);
    if (!team.dry) {
      quantizeF32I8(k, lut, lutQ, { scale: q.scale, zeroPoint: q.zeroPoint });
      lutU8I8(k, mine, KBuf.at(k.arena, 'i8', x8.ptr + s0 * rowBytes, mine.length), lutQ, { channels: 3 });
    }
    img = x8;
  } else {
    const src = ws.f32('pre.src', n);
    if (!team.dry) lutU8F32(k, mine, viewAt(k, src, s0 * rowBytes), lut, { channels: 3 });
    img = src;
    if (width !== W || height !== H) {
      const out = ws.f32('pre.img', W * H * 3);
      img = out;
      team.barrier(); // the resize reads every member's rows of the normalized image
      const [lo, hi] = share(H, team);
      r.prof?.op('pre.resize');
      resizeRowsInto(
        r,
        'pre.resize',
        src,
        { inH: height, inW: width, outH: H, outW: W, c: 3 },
        (from, fromRow) => {
          if (team.dry || from.ptr === out.ptr) return;
          new Float32Array(k.memory.buffer).copyWithin(
            (out.ptr >>> 2) + lo * W * 3,
            (from.ptr >>> 2) + (lo - fromRow) * W * 3,
            (from.ptr >>> 2) + (hi - fromRow) * W * 3,
          );
        },
      );
    }
  }
  const t0 = performance.now();
  const { logits, height: lh, width: lw } = ex.forward(img, H, W, r);
  const classes = ws.get('out.classes', 'u8', H * W);
  team.barrier(); // the logits' resize reads every member's rows
  r.prof?.op('post.resize+argmax');
  resizeArgmaxRowsInto(
    r,
    'post.argmax',
    logits,
    { inH: lh, inW: lw, outH: H, outW: W, c: classesN },
    classes,
  );
  r.prof?.op(null);
  return { classes, height: H, width: W, inferenceMs: performance.now() - t0 };
}
