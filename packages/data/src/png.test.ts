import { encode } from 'fast-png';
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

  it('reports a corrupt stream as corrupt, with the file name', () => {
    const bytes = encodePng({ width: 4, height: 3, channels: 3, data: rgb });
    const bad = bytes.slice();
    bad[45] ^= 0xff; // inside IDAT: the CRC no longer matches
    expect(() => decodePng(bad, 'bad.png', { kind: 'rgb' })).toThrow(/^bad\.png: corrupt PNG\./);
  });
});

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
