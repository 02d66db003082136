// png.ts — PNG read/write in pure JS (fast-png + fflate). Files are untrusted: the IHDR is parsed and
// checked (signature, size bound, bit depth, colour type, the caller's expected size) *before* the decoder
// allocates anything, and every error names the file: `<file>: <what is wrong>. Expected <x>, got <y>.`
import { decode, encode } from 'fast-png';
import { unzlibSync } from 'fflate';

/** Largest side and pixel count we agree to decode (Cityscapes is 2048×1024 = 2 Mpx). */
export const MAX_PNG_SIDE = 16_384;
export const MAX_PNG_PIXELS = 64 * 1024 * 1024;

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const COLOR_TYPE_NAMES: Record<number, string> = {
  0: 'grayscale',
  2: 'RGB',
  3: 'palette',
  4: 'grayscale+alpha',
  6: 'RGBA',
};

export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  /** PNG colour type: 0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA. */
  colorType: number;
  interlaced: boolean;
}

/** An 8-bit image, row-major, channels interleaved. */
export interface RasterImage {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array;
}

export function isPng(bytes: Uint8Array): boolean {
  if (bytes.length < 8) return false;
  for (let i = 0; i < 8; i++) if (bytes[i] !== SIGNATURE[i]) return false;
  return true;
}

/** Reads and checks the IHDR chunk (the first 33 bytes) without decoding anything. */
export function readPngHeader(bytes: Uint8Array, file: string): PngHeader {
  if (!isPng(bytes)) {
    throw new Error(
      `${file}: not a PNG file. Expected the PNG signature 89 50 4E 47, got ${hex(bytes, 0, 4)}.`,
    );
  }
  if (bytes.length < 33)
    throw new Error(`${file}: truncated PNG. Expected at least 33 bytes, got ${bytes.length}.`);
  const type = String.fromCharCode(bytes[12], bytes[13], bytes[14], bytes[15]);
  if (type !== 'IHDR') throw new Error(`${file}: PNG does not start with IHDR. Expected IHDR, got ${type}.`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = dv.getUint32(16);
  const height = dv.getUint32(20);
  const header: PngHeader = {
    width,
    height,
    bitDepth: bytes[24],
    colorType: bytes[25],
    interlaced: bytes[28] !== 0,
  };
  if (
    width === 0 ||
    height === 0 ||
    width > MAX_PNG_SIDE ||
    height > MAX_PNG_SIDE ||
    width * height > MAX_PNG_PIXELS
  ) {
    throw new Error(
      `${file}: PNG size out of bounds. Expected 1..${MAX_PNG_SIDE} per side and ≤ ${MAX_PNG_PIXELS} pixels, got ${width}×${height}.`,
    );
  }
  return header;
}

export interface PngExpectation {
  /** 'rgb' accepts 8-bit RGB, RGBA (alpha dropped), gray or palette (expanded); 'label' accepts 8-bit gray or palette indices. */
  kind: 'rgb' | 'label';
  width?: number;
  height?: number;
}

/**
 * Decodes a PNG after checking its header against `expect`. 'rgb' returns 3 channels; 'label' returns 1
 * channel holding the stored values (for a palette PNG, the palette indices, which is how tools that save
 * label images as mode "P" store ids).
 */
export function decodePng(bytes: Uint8Array, file: string, expect: PngExpectation): RasterImage {
  const h = readPngHeader(bytes, file);
  if (h.bitDepth !== 8) {
    throw new Error(`${file}: unsupported PNG bit depth. Expected 8 bits per sample, got ${h.bitDepth}.`);
  }
  const allowed = expect.kind === 'rgb' ? [0, 2, 3, 6] : [0, 3];
  if (!allowed.includes(h.colorType)) {
    const want = expect.kind === 'rgb' ? 'RGB, RGBA, grayscale or palette' : '8-bit grayscale (label ids)';
    throw new Error(
      `${file}: unsupported PNG colour type. Expected ${want}, got ${COLOR_TYPE_NAMES[h.colorType] ?? h.colorType}.`,
    );
  }
  if (
    (expect.width !== undefined && expect.width !== h.width) ||
    (expect.height !== undefined && expect.height !== h.height)
  ) {
    throw new Error(
      `${file}: wrong image size. Expected ${expect.width ?? '*'}×${expect.height ?? '*'} (W×H), got ${h.width}×${h.height}.`,
    );
  }
  const n = h.width * h.height;
  const fast = decodeFast(bytes, file, h);
  if (fast) {
    if (expect.kind === 'label') return { width: h.width, height: h.height, channels: 1, data: fast.data };
    return { width: h.width, height: h.height, channels: 3, data: toRgb(fast.data, n, fast.channels) };
  }
  // Palette images (and anything else unusual) go through fast-png.
  let png: ReturnType<typeof decode>;
  try {
    png = decode(bytes, { checkCrc: true });
  } catch (e) {
    throw new Error(`${file}: corrupt PNG. Expected a decodable PNG stream, got: ${(e as Error).message}.`);
  }
  const src = png.data as Uint8Array;
  if (png.width !== h.width || png.height !== h.height || src.length < n * png.channels) {
    throw new Error(`${file}: corrupt PNG. Expected ${n * png.channels} samples, got ${src.length}.`);
  }
  if (expect.kind === 'label') {
    const data = png.channels === 1 ? src.subarray(0, n) : src.slice(0, n);
    return { width: h.width, height: h.height, channels: 1, data };
  }
  return { width: h.width, height: h.height, channels: 3, data: toRgb(src, n, png.channels, png.palette) };
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

/**
 * The common case — 8-bit, non-interlaced gray / RGB / RGBA — decoded directly: IDAT chunks are inflated into
 * a buffer of exactly the size the header implies (fflate writes into it and never grows it, so a stream that
 * inflates to more cannot exhaust memory), then rows are unfiltered in place. Returns null for other formats.
 * Chunk CRCs are not verified (speed); a truncated or malformed stream is an error.
 */
function decodeFast(
  bytes: Uint8Array,
  file: string,
  h: PngHeader,
): { data: Uint8Array; channels: number } | null {
  const bpp = CHANNELS[h.colorType];
  if (h.bitDepth !== 8 || h.interlaced || bpp === undefined) return null;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: Uint8Array[] = [];
  let total = 0;
  let pos = 8;
  for (;;) {
    if (pos + 8 > bytes.length)
      throw new Error(`${file}: truncated PNG. Expected a chunk header at byte ${pos}, got end of file.`);
    const len = dv.getUint32(pos);
    const type = dv.getUint32(pos + 4);
    if (pos + 12 + len > bytes.length) {
      throw new Error(
        `${file}: truncated PNG. Expected ${len} bytes of chunk data at byte ${pos + 8}, got ${bytes.length - pos - 8}.`,
      );
    }
    if (type === 0x49444154) {
      parts.push(bytes.subarray(pos + 8, pos + 8 + len)); // IDAT
      total += len;
    } else if (type === 0x49454e44) break; // IEND
    pos += 12 + len;
  }
  const idat = parts.length === 1 ? parts[0] : new Uint8Array(total);
  if (parts.length > 1) {
    let o = 0;
    for (const p of parts) {
      idat.set(p, o);
      o += p.length;
    }
  }
  const stride = h.width * bpp;
  const expected = h.height * (stride + 1);
  let raw: Uint8Array;
  try {
    // One spare byte: a stream longer than the image shows up as length expected + 1.
    raw = unzlibSync(idat, { out: new Uint8Array(expected + 1) });
  } catch (e) {
    throw new Error(
      `${file}: corrupt PNG. Expected a valid zlib stream in IDAT, got: ${(e as Error).message}.`,
    );
  }
  if (raw.length !== expected) {
    throw new Error(
      `${file}: corrupt PNG. Expected ${expected} bytes of filtered pixel data, got ${raw.length >= expected ? 'more' : raw.length}.`,
    );
  }
  const out = new Uint8Array(h.height * stride);
  for (let y = 0; y < h.height; y++) {
    const f = raw[y * (stride + 1)];
    const s = y * (stride + 1) + 1;
    const o = y * stride;
    const p = o - stride; // previous output row (only read when y > 0)
    switch (f) {
      case 0:
        out.set(raw.subarray(s, s + stride), o);
        break;
      case 1:
        for (let i = 0; i < stride; i++) out[o + i] = raw[s + i] + (i >= bpp ? out[o + i - bpp] : 0);
        break;
      case 2:
        for (let i = 0; i < stride; i++) out[o + i] = raw[s + i] + (y > 0 ? out[p + i] : 0);
        break;
      case 3:
        for (let i = 0; i < stride; i++) {
          const left = i >= bpp ? out[o + i - bpp] : 0;
          const up = y > 0 ? out[p + i] : 0;
          out[o + i] = raw[s + i] + ((left + up) >> 1);
        }
        break;
      case 4:
        for (let i = 0; i < stride; i++) {
          const a = i >= bpp ? out[o + i - bpp] : 0;
          const b = y > 0 ? out[p + i] : 0;
          const c = i >= bpp && y > 0 ? out[p + i - bpp] : 0;
          const pa = Math.abs(b - c);
          const pb = Math.abs(a - c);
          const pc = Math.abs(a + b - 2 * c);
          out[o + i] = raw[s + i] + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
        }
        break;
      default:
        throw new Error(`${file}: corrupt PNG. Expected a row filter 0..4 on row ${y}, got ${f}.`);
    }
  }
  return { data: out, channels: bpp };
}

function toRgb(src: Uint8Array, n: number, channels: number, palette?: number[][]): Uint8Array {
  if (channels === 3) return src.length === n * 3 ? src : src.subarray(0, n * 3);
  const out = new Uint8Array(n * 3);
  if (palette) {
    for (let i = 0; i < n; i++) {
      const c = palette[src[i]] ?? [0, 0, 0];
      out[i * 3] = c[0];
      out[i * 3 + 1] = c[1];
      out[i * 3 + 2] = c[2];
    }
  } else if (channels === 1) {
    for (let i = 0; i < n; i++) out[i * 3] = out[i * 3 + 1] = out[i * 3 + 2] = src[i];
  } else {
    // RGBA (or gray+alpha never reaches here): drop alpha.
    for (let i = 0; i < n; i++) {
      out[i * 3] = src[i * channels];
      out[i * 3 + 1] = src[i * channels + 1];
      out[i * 3 + 2] = src[i * channels + 2];
    }
  }
  return out;
}

/**
 * Encodes an 8-bit gray (1 channel) or RGB (3 channels) image. fast-png writes filter type 0 on every row; on
 * noisy photos zlib level 1 saves ~23% over level 0 (stored) for 4–6× the encode time, and higher levels add
 * little: SynthCity writes frames at level 0 by default and label images (which compress ~20×) at level 1.
 */
export function encodePng(image: RasterImage, level: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 = 1): Uint8Array {
  if (image.channels !== 1 && image.channels !== 3) {
    throw new Error(`encodePng: unsupported channel count. Expected 1 or 3, got ${image.channels}.`);
  }
  if (image.data.length !== image.width * image.height * image.channels) {
    throw new Error(
      `encodePng: data length does not match the size. Expected ${image.width * image.height * image.channels}, got ${image.data.length}.`,
    );
  }
  return encode(
    { width: image.width, height: image.height, channels: image.channels, depth: 8, data: image.data },
    { zlib: { level } },
  );
}

function hex(b: Uint8Array, from: number, to: number): string {
  return (
    Array.from(b.subarray(from, to), (x) => x.toString(16).padStart(2, '0').toUpperCase()).join(' ') ||
    '(empty)'
  );
}
