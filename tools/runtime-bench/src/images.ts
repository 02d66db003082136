// images.ts — deterministic synthetic frames: smooth colour fields with edges (a street-like mix of
// flat regions and boundaries), so the network sees structure rather than white noise.

/** Interleaved 8-bit RGB of width × height. */
export function syntheticRgb(width: number, height: number, seed = 1): Uint8Array {
  const rgb = new Uint8Array(width * height * 3);
  const phase = seed * 1.618;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = x / width;
      const v = y / height;
      const band = Math.floor(4 * v + 0.3 * Math.sin(6 * u + phase)); // horizontal regions
      const blob = Math.hypot(u - 0.6, v - 0.4) < 0.15 ? 1 : 0; // one round object
      const i = (y * width + x) * 3;
      rgb[i] = (40 + 50 * band + 120 * blob + 20 * Math.sin(40 * u + phase)) & 255;
      rgb[i + 1] = (200 - 40 * band + 30 * Math.cos(25 * v + phase)) & 255;
      rgb[i + 2] = (90 + 30 * band * Math.sin(3 * u + v + phase) + 100 * blob) & 255;
    }
  }
  return rgb;
}

/** (rgb − mean)/std per channel, NHWC f32: the executor's input, as loadModel prepares it. */
export function normalizeRgb(rgb: Uint8Array, mean: readonly number[], std: readonly number[]): Float32Array {
  const out = new Float32Array(rgb.length);
  for (let i = 0; i < rgb.length; i++) out[i] = (rgb[i] - mean[i % 3]) / std[i % 3];
  return out;
}
