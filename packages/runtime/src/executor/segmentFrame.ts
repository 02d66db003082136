// segmentFrame.ts — one frame from RGB bytes to class ids, as one member of a team runs it (run.ts):
// normalize its rows of the image, resize them to the model input (bilinear, half-pixel centres),
// run the network, resize its rows of the logits to the input size the same way and take the argmax —
// exactly what the trainer's evaluation does, so masks agree. With one thread it is the whole frame.
import type { KBuf, Kernels } from '@edgeseg/kernels';
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

/** (x − mean[c]) / std[c] for every byte x and channel c, at [256·c + x]. */
function normalizeTable(mean: readonly number[], std: readonly number[]): Float32Array {
  const t = new Float32Array(768);
  for (let c = 0; c < 3; c++) for (let x = 0; x < 256; x++) t[256 * c + x] = (x - mean[c]) / std[c];
  return t;
}

function normalizeRow(
  lut: Float32Array,
  input: Uint8Array,
  i0: number,
  v: Float32Array,
  o0: number,
  n: number,
): void {
  for (let i = i0, o = o0, end = i0 + n; i < end; i += 3, o += 3) {
    v[o] = lut[input[i]];
    v[o + 1] = lut[256 + input[i + 1]];
    v[o + 2] = lut[512 + input[i + 2]];
  }
}

function f32At(k: Kernels, buf: KBuf<'f32'>, from: number, n: number): Float32Array {
  return new Float32Array(k.memory.buffer, buf.ptr + 4 * from, n);
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
  const src = ws.f32('pre.src', width * height * 3);
  const input = rgb ?? ws.get('in.rgb', 'u8', width * height * 3).view();
  const [s0, s1] = share(height, team);
  r.prof?.op('pre.normalize');
  if (!team.dry) {
    // A byte has 256 values per channel: a 768-entry table of (x − mean)/std (computed in f64 and
    // rounded to f32 once, as the loop it replaces did) turns 3 subtractions and divisions per
    // pixel into loads, and keeps this pass at memory speed.
    // One call per row, not one loop over the band: a small function called hundreds of times a
    // frame reaches V8's optimizing tier within the first frame, where one long loop ran 10–15×
    // slower for the first few frames (measured: 50–60 ms against 4 ms at 512×1024).
    const lut = normalizeTable(mean, std);
    const v = f32At(k, src, s0 * width * 3, (s1 - s0) * width * 3);
    for (let y = s0; y < s1; y++) normalizeRow(lut, input, y * width * 3, v, (y - s0) * width * 3, width * 3);
  }
  let img = src;
  if (width !== W || height !== H) {
    img = ws.f32('pre.img', W * H * 3);
    team.barrier(); // the resize reads every member's rows of the normalized image
    const [lo, hi] = share(H, team);
    r.prof?.op('pre.resize');
    resizeRowsInto(
      r,
      'pre.resize',
      src,
      { inH: height, inW: width, outH: H, outW: W, c: 3 },
      (from, fromRow) => {
        if (team.dry || from.ptr === img.ptr) return;
        new Float32Array(k.memory.buffer).copyWithin(
          (img.ptr >>> 2) + lo * W * 3,
          (from.ptr >>> 2) + (lo - fromRow) * W * 3,
          (from.ptr >>> 2) + (hi - fromRow) * W * 3,
        );
      },
    );
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
