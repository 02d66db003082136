import { decode, encode } from 'fast-png';
import { zlibSync } from 'fflate';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { decodeImage } from './image.js';
import { decodePng, encodePng, readPngHeader } from './png.js';

const rgb = Uint8Array.from({ length: 4 * 3 * 3 }, (_, i) => (i * 37) % 256);

describe('png', () => {
  it('round-trips 8-bit RGB and gray at every compression level used', () => {
    for (const level of [0, 1, 6] as const) {
      const back = decodePng(encodePng({ width: 4, height: 3, channels: 3, data: rgb }, level), 'a.png', {
        kind: 'rgb',
      });
      expect(back).toMatchObject({ width: 4, height: 3, channels: 3 });
      expect(Array.from(back.data)).toEqual(Array.from(rgb));
    }
    const gray = Uint8Array.from([0, 7, 26, 33, 1, 2]);
    const g = decodePng(encodePng({ width: 3, height: 2, channels: 1, data: gray }), 'l.png', {
      kind: 'label',
    });
    expect(Array.from(g.data)).toEqual(Array.from(gray));
  });

  it('drops alpha from RGBA and expands gray to RGB for images', () => {
    const rgba = encode({
      width: 1,
      height: 1,
      channels: 4,
      depth: 8,
      data: Uint8Array.from([10, 20, 30, 40]),
    });
    expect(Array.from(decodePng(rgba, 'x.png', { kind: 'rgb' }).data)).toEqual([10, 20, 30]);
    const gray = encode({ width: 1, height: 1, channels: 1, depth: 8, data: Uint8Array.from([99]) });
    expect(Array.from(decodePng(gray, 'x.png', { kind: 'rgb' }).data)).toEqual([99, 99, 99]);
  });

  it('reads the header without decoding and bounds the size before allocating', () => {
    const bytes = encodePng({ width: 4, height: 3, channels: 3, data: rgb });
    expect(readPngHeader(bytes, 'a.png')).toEqual({
      width: 4,
      height: 3,
      bitDepth: 8,
      colorType: 2,
      interlaced: false,
    });
    const huge = bytes.slice();
    new DataView(huge.buffer).setUint32(16, 100_000);
    expect(() => readPngHeader(huge, 'big.png')).toThrow(
      /^big\.png: PNG size out of bounds\. Expected 1\.\.16384 per side .* got 100000×3\.$/,
    );
  });

  it('names the file for wrong signature, bit depth, colour type and size', () => {
    expect(() => decodePng(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]), 'n.png', { kind: 'rgb' })).toThrow(
      'n.png: not a PNG file. Expected the PNG signature 89 50 4E 47, got 01 02 03 04.',
    );
    const deep = encode({ width: 2, height: 2, channels: 1, depth: 16, data: new Uint16Array(4) });
    expect(() => decodePng(deep, 'd.png', { kind: 'label' })).toThrow(
      'd.png: unsupported PNG bit depth. Expected 8 bits per sample, got 16.',
    );
    const colour = encodePng({ width: 4, height: 3, channels: 3, data: rgb });
    expect(() => decodePng(colour, 'c.png', { kind: 'label' })).toThrow(
      'c.png: unsupported PNG colour type. Expected 8-bit grayscale (label ids), got RGB.',
    );
    expect(() => decodePng(colour, 's.png', { kind: 'rgb', width: 8, height: 3 })).toThrow(
      's.png: wrong image size. Expected 8×3 (W×H), got 4×3.',
    );
  });

  it('reports a truncated file and a corrupt stream, with the file name', () => {
    const bytes = encodePng({ width: 4, height: 3, channels: 3, data: rgb });
    expect(() => decodePng(bytes.subarray(0, bytes.length - 20), 't.png', { kind: 'rgb' })).toThrow(
      /^t\.png: truncated PNG\./,
    );
    const garbage = handmadePng(4, 3, 2, 0, rgb);
    garbage.fill(0xff, 45, 55); // inside the zlib stream
    expect(() => decodePng(garbage, 'bad.png', { kind: 'rgb' })).toThrow(/^bad\.png: corrupt PNG\./);
  });

  it('unfilters every PNG row filter (0–4) and multi-IDAT files exactly like fast-png', () => {
    const w = 7;
    const h = 5;
    for (const [channels, colorType] of [
      [1, 0],
      [3, 2],
      [4, 6],
    ]) {
      const px = Uint8Array.from({ length: w * h * channels }, (_, i) => (i * 53 + ((i * i) % 17)) % 256);
      for (let filter = 0; filter <= 4; filter++) {
        const png = handmadePng(w, h, colorType, filter, px, 3);
        const ref = decode(png).data as Uint8Array;
        const ours = decodePng(png, 'f.png', { kind: channels === 1 ? 'label' : 'rgb' });
        const want = channels === 4 ? ref.filter((_, i) => i % 4 !== 3) : ref;
        expect(Array.from(ours.data), `channels ${channels} filter ${filter}`).toEqual(Array.from(want));
      }
    }
  });

  it('does not inflate past the size the header declares', () => {
    // IHDR says 2×2 gray, but the stream holds 100 rows: rejected without growing a buffer.
    const png = handmadePng(2, 2, 0, 0, new Uint8Array(200), 1, 100);
    expect(() => decodePng(png, 'bomb.png', { kind: 'label' })).toThrow(
      'bomb.png: corrupt PNG. Expected 6 bytes of filtered pixel data, got more.',
    );
  });
});

/**
 * A PNG built by hand: every row uses `filter`, the zlib stream is split over `idats` IDAT chunks, CRCs are
 * zero (our decoder does not check them; fast-png only when asked). `rows` may exceed `height` (bomb test).
 */
function handmadePng(
  width: number,
  height: number,
  colorType: number,
  filter: number,
  px: Uint8Array,
  idats = 1,
  rows = height,
): Uint8Array {
  const bpp = colorType === 0 ? 1 : colorType === 2 ? 3 : 4;
  const stride = width * bpp;
  const raw = new Uint8Array(rows * (stride + 1));
  for (let y = 0; y < rows; y++) {
    raw[y * (stride + 1)] = filter;
    for (let i = 0; i < stride; i++) {
      const x = px[(y * stride + i) % px.length];
      const a = i >= bpp ? px[(y * stride + i - bpp) % px.length] : 0;
      const b = y > 0 ? px[((y - 1) * stride + i) % px.length] : 0;
      const c = i >= bpp && y > 0 ? px[((y - 1) * stride + i - bpp) % px.length] : 0;
      const p = a + b - c;
      const pa = Math.abs(p - a);
      const pb = Math.abs(p - b);
      const pc = Math.abs(p - c);
      const pred = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][filter];
      raw[y * (stride + 1) + 1 + i] = (x - pred) & 255;
    }
  }
  const z = zlibSync(raw);
  const chunks: Uint8Array[] = [Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])];
  const chunk = (type: string, data: Uint8Array) => {
    const c = new Uint8Array(12 + data.length);
    const dv = new DataView(c.buffer);
    dv.setUint32(0, data.length);
    for (let k = 0; k < 4; k++) c[4 + k] = type.charCodeAt(k);
    c.set(data, 8);
    chunks.push(c);
  };
  const ihdr = new Uint8Array(13);
  new DataView(ihdr.buffer).setUint32(0, width);
  new DataView(ihdr.buffer).setUint32(4, height);
  ihdr.set([8, colorType, 0, 0, 0], 8);
  chunk('IHDR', ihdr);
  const step = Math.ceil(z.length / idats);
  for (let o = 0; o < z.length; o += step) chunk('IDAT', z.subarray(o, o + step));
  chunk('IEND', new Uint8Array(0));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

describe('decodeImage', () => {
  it('decodes PNG and JPEG by their magic bytes into RGB', () => {
    const png = encodePng({ width: 4, height: 3, channels: 3, data: rgb });
    expect(decodeImage(png, 'a.png').data).toEqual(rgb);
    const flat = new Uint8Array(8 * 8 * 4).fill(200);
    const jpg = jpeg.encode({ width: 8, height: 8, data: flat }, 95).data;
    const img = decodeImage(new Uint8Array(jpg), 'a.jpg');
    expect(img).toMatchObject({ width: 8, height: 8, channels: 3 });
    expect(Math.abs(img.data[0] - 200)).toBeLessThan(4);
  });

  it('rejects other formats naming the file', () => {
    expect(() => decodeImage(Uint8Array.from([0x47, 0x49, 0x46, 0x38]), 'a.gif')).toThrow(
      'a.gif: unknown image format. Expected PNG or JPEG, got bytes 47 49 46 38.',
    );
  });
});
