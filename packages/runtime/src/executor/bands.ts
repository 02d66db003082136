// bands.ts — how a thread computes its band of output rows of a whole-image op (convolution,
// bilinear resize) with kernels that only know whole images, and gets every row bit for bit as the
// whole-image call would.
//
// Convolution (im2col, depthwise): the kernel pads the top of whatever sub-image it is given, so a
// band that does not start at row 0 is computed from ⌈pad/stride⌉ rows earlier ("lead" rows, whose
// top taps wrongly see zero padding) into a thread-private buffer and those rows are dropped. The
// sub-image ends where the band's last tap does (or at the true bottom, whose padding is real).
//
// Bilinear resize: a sub-call rescales with in'/out'; its rows are the whole call's exactly when
// in'/out' = in/out, the band starts on an output row that maps to a whole input row, and every
// tap (i0, i1, weight, computed in f64 as assembly/resize_f32/taps.ts does) agrees. `resizeBand`
// checks exactly that for every row of the band and returns null when no such sub-call exists; the
// caller then resizes the whole image on one thread.

export interface Band {
  /** First input row of the sub-image and its height. */
  inRow: number;
  inH: number;
  /** First output row the sub-call computes and how many it computes. */
  outRow: number;
  outH: number;
  /** Leading rows of the sub-call's output to drop (outRow + lead = the band's first row). */
  lead: number;
}

/** The sub-call giving output rows [lo, hi) (hi > lo) of a conv with kernel k, stride s, pad p over inH rows. */
export function convBand(
  lo: number,
  hi: number,
  inH: number,
  outH: number,
  k: number,
  s: number,
  p: number,
): Band {
  const lead = lo > 0 ? Math.min(lo, Math.ceil(p / s)) : 0;
  const outRow = lo - lead;
  const inRow = outRow * s;
  const end = hi === outH ? inH : Math.min(inH, (hi - 1) * s - p + k);
  return { inRow, inH: end - inRow, outRow, outH: hi - outRow, lead };
}

/** Source row taps of output row o, exactly as the resize kernels compute them (f64). */
function taps(o: number, inSize: number, outSize: number): [number, number, number] {
  const t = (o + 0.5) * (inSize / outSize) - 0.5;
  const src = Math.max(t, 0);
  const i0 = Math.min(Math.floor(src), inSize - 1);
  return [i0, Math.min(i0 + 1, inSize - 1), src - i0];
}

function agrees(lo: number, hi: number, inH: number, outH: number, b: Band): boolean {
  for (let o = lo; o < hi; o++) {
    const [a0, a1, aw] = taps(o, inH, outH);
    const [b0, b1, bw] = taps(o - b.outRow, b.inH, b.outH);
    if (a0 !== b0 + b.inRow || a1 !== b1 + b.inRow || aw !== bw) return false;
  }
  return true;
}

/** The sub-call giving output rows [lo, hi) of a bilinear resize inH → outH bit for bit, or null. */
export function resizeBand(lo: number, hi: number, inH: number, outH: number): Band | null {
  if (lo === 0 && hi === outH) return { inRow: 0, inH, outRow: 0, outH, lead: 0 };
  // The sub-call's end: the first output row past the band that maps to a whole input row beyond
  // the band's last tap (the rows in between are computed and dropped), else the bottom.
  const need = taps(hi - 1, inH, outH)[1] + 1;
  let outEnd = outH;
  for (let e = hi; e < Math.min(outH, hi + 64); e++) {
    if ((e * inH) % outH === 0 && (e * inH) / outH >= need) {
      outEnd = e;
      break;
    }
  }
  const inEnd = (outEnd * inH) / outH;
  // Its start: the last output row ≤ lo on a whole input row, a few rows back at most.
  for (let outRow = lo; outRow >= Math.max(0, lo - 64); outRow--) {
    if ((outRow * inH) % outH !== 0) continue;
    const inRow = (outRow * inH) / outH;
    // Start one input row earlier when there is one: the band's first rows may interpolate from it.
    for (const back of inRow > 0 ? [1, 0] : [0]) {
      const r = inRow - back;
      const o = (r * outH) / inH;
      if (!Number.isInteger(o)) continue;
      const b: Band = { inRow: r, inH: inEnd - r, outRow: o, outH: outEnd - o, lead: lo - o };
      if (b.inH > 0 && agrees(lo, hi, inH, outH, b)) return b;
    }
  }
  return null;
}
