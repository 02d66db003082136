// render.ts — what the runner writes: a class map coloured with the model's palette, or that colour
// blended over the input photo. Masks come at the model's input resolution and are scaled to the photo's
// size by nearest neighbour (pixel centres), so a mask lines up with the image it was made from.

/** Nearest-neighbour resize of a class map (w0×h0 → w×h), sampling at pixel centres. */
export function resizeNearest(src: Uint8Array, w0: number, h0: number, w: number, h: number): Uint8Array {
  if (w0 === w && h0 === h) return src;
  const out = new Uint8Array(w * h);
  const xs = new Int32Array(w);
  for (let x = 0; x < w; x++) xs[x] = Math.min(w0 - 1, Math.floor(((x + 0.5) * w0) / w));
  for (let y = 0; y < h; y++) {
    const row = Math.min(h0 - 1, Math.floor(((y + 0.5) * h0) / h)) * w0;
    for (let x = 0; x < w; x++) out[y * w + x] = src[row + xs[x]];
  }
  return out;
}

/** RGB per pixel from `palette[class]`; a class beyond the palette (e.g. 255 = ignore) gets `other`. */
export function colorizeClasses(
  classes: Uint8Array,
  palette: readonly (readonly [number, number, number])[],
  other: readonly [number, number, number] = [0, 0, 0],
): Uint8Array {
  const lut = new Uint8Array(256 * 3);
  for (let c = 0; c < 256; c++) lut.set(palette[c] ?? other, c * 3);
  const out = new Uint8Array(classes.length * 3);
  for (let i = 0; i < classes.length; i++) {
    const k = classes[i] * 3;
    out[i * 3] = lut[k];
    out[i * 3 + 1] = lut[k + 1];
    out[i * 3 + 2] = lut[k + 2];
  }
  return out;
}

/** (1 − α)·photo + α·colour(class), rounded; photo and classes at the same size. */
export function overlay(
  rgb: Uint8Array,
  classes: Uint8Array,
  palette: readonly (readonly [number, number, number])[],
  alpha: number,
): Uint8Array {
  if (rgb.length !== classes.length * 3) {
    throw new Error(
      `overlay: the photo and the class map differ in size. Expected ${classes.length * 3} RGB bytes, got ${rgb.length}.`,
    );
  }
  const colour = colorizeClasses(classes, palette);
  const out = new Uint8Array(rgb.length);
  for (let i = 0; i < rgb.length; i++) out[i] = Math.round((1 - alpha) * rgb[i] + alpha * colour[i]);
  return out;
}
