// outputs.ts — the files a run writes into --out: `<name>_mask.png` (the model's palette) or
// `<name>_overlay.png` (the mask blended over the photo), at the photo's size, atomically. Inputs from
// different folders with the same name get -2, -3… rather than overwriting each other.
import { basename, extname, join } from 'node:path';
import { encodePng, type RasterImage } from '@edgeseg/runtime';
import { writeFileAtomic } from './atomicWrite.js';
import { colorizeClasses, overlay, resizeNearest } from './render.js';

export class OutputWriter {
  private used = new Map<string, number>();
  readonly written: string[] = [];
  constructor(
    readonly dir: string,
    readonly kind: 'mask' | 'overlay',
    private readonly alpha: number,
    private readonly palette: [number, number, number][],
  ) {}

  async write(file: string, img: RasterImage, classes: Uint8Array, cw: number, ch: number): Promise<void> {
    const stem = basename(file, extname(file));
    const n = (this.used.get(stem) ?? 0) + 1;
    this.used.set(stem, n);
    const name = `${stem}${n > 1 ? `-${n}` : ''}_${this.kind}.png`;
    const mask = resizeNearest(classes, cw, ch, img.width, img.height);
    const data =
      this.kind === 'overlay'
        ? overlay(img.data, mask, this.palette, this.alpha)
        : colorizeClasses(mask, this.palette);
    const path = join(this.dir, name);
    await writeFileAtomic(path, encodePng({ width: img.width, height: img.height, channels: 3, data }, 1));
    this.written.push(path);
  }
}
