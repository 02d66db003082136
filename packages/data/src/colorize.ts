// colorize.ts — label maps to RGB with the Cityscapes palette (trainId order), for looking at predictions and
// ground truth. Ignored pixels (255) and any other out-of-range value get `ignoreColor` (black by default).
import { LABELS, PALETTE } from './labels.js';

export function colorize(
  trainIds: ArrayLike<number>,
  ignoreColor: readonly [number, number, number] = [0, 0, 0],
): Uint8Array {
  const out = new Uint8Array(trainIds.length * 3);
  const classes = PALETTE.length / 3;
  for (let i = 0; i < trainIds.length; i++) {
    const t = trainIds[i];
    if (t >= 0 && t < classes) {
      out[i * 3] = PALETTE[t * 3];
      out[i * 3 + 1] = PALETTE[t * 3 + 1];
      out[i * 3 + 2] = PALETTE[t * 3 + 2];
    } else {
      out[i * 3] = ignoreColor[0];
      out[i * 3 + 1] = ignoreColor[1];
      out[i * 3 + 2] = ignoreColor[2];
    }
  }
  return out;
}

/** labelIds (0..33) to RGB with each label's own colour from labels.py (as `_gtFine_color.png` shows them). */
export function colorizeLabelIds(labelIds: ArrayLike<number>): Uint8Array {
  const lut = new Uint8Array(256 * 3);
  for (const l of LABELS) if (l.id >= 0) lut.set(l.color, l.id * 3);
  const out = new Uint8Array(labelIds.length * 3);
  for (let i = 0; i < labelIds.length; i++) {
    const k = (labelIds[i] & 255) * 3;
    out[i * 3] = lut[k];
    out[i * 3 + 1] = lut[k + 1];
    out[i * 3 + 2] = lut[k + 2];
  }
  return out;
}
