// image.ts — one entry point for decoding untrusted image files (PNG or JPEG, pure JS), by magic bytes.
// JPEG goes through jpeg-js with its size and memory bounds set from the same limits as PNG.
import jpeg from 'jpeg-js';
import { decodePng, isPng, MAX_PNG_PIXELS, type RasterImage } from './png.js';

export function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/**
 * Decodes a PNG or JPEG file's bytes into 8-bit RGB (3 channels), choosing the format by its magic bytes.
 * `file` names the source in every error.
 */
export function decodeImage(bytes: Uint8Array, file: string): RasterImage {
  if (isPng(bytes)) return decodePng(bytes, file, { kind: 'rgb' });
  if (isJpeg(bytes)) {
    let img: { width: number; height: number; data: Uint8Array };
    try {
      // jpeg-js checks the frame size against these bounds before it allocates.
      img = jpeg.decode(bytes, {
        useTArray: true,
        formatAsRGBA: false,
        maxResolutionInMP: MAX_PNG_PIXELS / 1e6,
        maxMemoryUsageInMB: 1024,
      });
    } catch (e) {
      throw new Error(
        `${file}: corrupt or unsupported JPEG. Expected a baseline/progressive JPEG, got: ${(e as Error).message}.`,
      );
    }
    return { width: img.width, height: img.height, channels: 3, data: img.data };
  }
  const head = Array.from(bytes.subarray(0, 4), (x) => x.toString(16).padStart(2, '0')).join(' ');
  throw new Error(
    `${file}: unknown image format. Expected PNG or JPEG, got bytes ${head || '(empty file)'}.`,
  );
}
