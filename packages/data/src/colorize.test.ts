import { describe, expect, it } from 'vitest';
import { colorize, colorizeLabelIds } from './colorize.js';

describe('colorize', () => {
  it('paints trainIds with the Cityscapes palette and ignored pixels with the ignore colour', () => {
    expect(Array.from(colorize(Uint8Array.from([0, 5, 18, 255])))).toEqual([
      128, 64, 128, 153, 153, 153, 119, 11, 32, 0, 0, 0,
    ]);
    expect(Array.from(colorize([255], [9, 8, 7]))).toEqual([9, 8, 7]);
  });

  it('paints labelIds with each label’s own colour (as _gtFine_color.png)', () => {
    expect(Array.from(colorizeLabelIds(Uint8Array.from([7, 5, 1])))).toEqual([
      128, 64, 128, 111, 74, 0, 0, 0, 0,
    ]);
  });
});
