// resizeRows.ts — this member's band of output rows of a bilinear resize (NHWC), handed to a consumer
// (a scatter into the decoder's concat, an argmax) without a second copy. Each member resizes its
// band with an exact sub-call (bands.ts) into its own buffer; when any member's band has no exact
// sub-call, member 0 resizes the whole image into a shared buffer and the others wait for it (the
// choice depends on the geometry only, so every member makes it and meets the same barriers).
import {
  type KBuf,
  resizeBilinearArgmaxF32,
  resizeBilinearF32,
  resizeF32ScratchBytes,
} from '@edgeseg/kernels';
import { type Band, resizeBand } from './bands.js';
import { viewAt } from './linear.js';
import { type Run, share, shareOf } from './run.js';

export interface ResizeRowsGeom {
  inH: number;
  inW: number;
  outH: number;
  outW: number;
  c: number;
}

function bandsOf(r: Run, g: ResizeRowsGeom): (Band | null)[] {
  const bands: (Band | null)[] = [];
  for (let t = 0; t < r.team.size; t++) {
    const [lo, hi] = shareOf(g.outH, t, r.team.size);
    bands.push(
      lo === hi ? { inRow: 0, inH: 0, outRow: lo, outH: 0, lead: 0 } : resizeBand(lo, hi, g.inH, g.outH),
    );
  }
  return bands;
}

/**
 * Resize x [inH × inW × c] to [outH × outW × c] and call `consume(src, srcRow)` with a buffer holding
 * this member's share of output rows, output row y at row (y − srcRow) of src.
 */
export function resizeRowsInto(
  r: Run,
  name: string,
  x: KBuf<'f32'>,
  g: ResizeRowsGeom,
  consume: (src: KBuf<'f32'>, srcRow: number) => void,
): void {
  const { k, team } = r;
  const bands = bandsOf(r, g);
  const rowF = g.outW * g.c;
  const scratch = r.local.get('resize.scratch', 'u8', resizeF32ScratchBytes(g));
  const [lo, hi] = share(g.outH, team);
  if (bands.every((b) => b !== null)) {
    const b = bands[team.tid]!;
    if (lo === hi) return;
    const out = r.local.f32(`${name}.band`, b.outH * rowF);
    resizeBilinearF32(
      k,
      viewAt(k, x, b.inRow * g.inW * g.c),
      out,
      { batch: 1, inH: b.inH, inW: g.inW, outH: b.outH, outW: g.outW, c: g.c },
      { scratch },
    );
    consume(out, b.outRow);
    return;
  }
  const full = r.ws.f32(`${name}.full`, g.outH * rowF);
  if (team.tid === 0) resizeBilinearF32(k, x, full, { batch: 1, ...g }, { scratch });
  team.barrier(); // the whole image is member 0's work
  if (lo < hi) consume(full, 0);
}

/**
 * This member's rows of the class ids (u8 [outH × outW]) of x [inH × inW × c] resized to outH × outW:
 * per pixel the first channel with the largest resized value, the resized values never stored
 * (resize_bilinear_argmax_f32; the same values and argmax as resizing then `argmaxScores`). Bands as in
 * resizeRowsInto; without an exact band member 0 computes every row and the others wait.
 */
export function resizeArgmaxRowsInto(
  r: Run,
  name: string,
  x: KBuf<'f32'>,
  g: ResizeRowsGeom,
  classes: KBuf<'u8'>,
): void {
  const { k, team } = r;
  const bands = bandsOf(r, g);
  const scratch = r.local.get('resize.scratch', 'u8', resizeF32ScratchBytes(g));
  const [lo, hi] = share(g.outH, team);
  if (bands.every((b) => b !== null)) {
    const b = bands[team.tid]!;
    if (lo === hi) return;
    // The sub-call computes rows around the band too: into this member's buffer, then its rows out.
    const out = r.local.get(`${name}.band`, 'u8', b.outH * g.outW);
    resizeBilinearArgmaxF32(
      k,
      viewAt(k, x, b.inRow * g.inW * g.c),
      out,
      { batch: 1, inH: b.inH, inW: g.inW, outH: b.outH, outW: g.outW, c: g.c },
      { scratch },
    );
    if (!team.dry) {
      const mem = new Uint8Array(k.memory.buffer);
      const from = out.ptr + (lo - b.outRow) * g.outW;
      mem.copyWithin(classes.ptr + lo * g.outW, from, from + (hi - lo) * g.outW);
    }
    return;
  }
  if (team.tid === 0) resizeBilinearArgmaxF32(k, x, classes, { batch: 1, ...g }, { scratch });
  team.barrier(); // every row is member 0's work
}
