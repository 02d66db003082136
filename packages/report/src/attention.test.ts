import { expect, test } from 'vitest';
import { attentionSvg, escapeXml, inferno, overlayRgb, upsampleNormalized } from './attention.js';
import { syntheticReport } from './synthetic.fixture.js';

test('inferno runs from near-black to pale yellow', () => {
  expect(inferno(0)).toEqual([0, 0, 4]);
  expect(inferno(1)).toEqual([252, 255, 164]);
  expect(inferno(0.5)).toEqual([188, 55, 84]);
  expect(inferno(-1)).toEqual(inferno(0));
  expect(inferno(Number.NaN)).toEqual(inferno(0));
});

test('upsampling keeps the map aligned (half-pixel centres) and normalizes to [0, 1]', () => {
  // 1×2 map [0, 1] → 1×4: centres at 0.25, 0.75 of the source → clamp, 0.25, 0.75, clamp.
  expect(Array.from(upsampleNormalized([0, 1], 1, 2, 1, 4))).toEqual([0, 0.25, 0.75, 1]);
  // Scale does not matter; a constant map is all zeros.
  expect(Array.from(upsampleNormalized([5, 10, 5, 10], 2, 2, 2, 2))).toEqual([0, 1, 0, 1]);
  expect(Array.from(upsampleNormalized([3, 3, 3, 3], 2, 2, 3, 3)).every((v) => v === 0)).toBe(true);
});

test('the overlay is bright where attention is high', () => {
  const image = { width: 2, height: 1, rgb: [100, 100, 100, 100, 100, 100] };
  const out = overlayRgb(image, { model: 'm', stage: 1, height: 1, width: 2, values: [0, 1] });
  expect(out[0] + out[1] + out[2]).toBeLessThan(out[3] + out[4] + out[5]);
  expect(Array.from(out.subarray(3))).toEqual([
    Math.round(35 + 0.65 * 252),
    Math.round(35 + 0.65 * 255),
    Math.round(35 + 0.65 * 164),
  ]);
});

test('the attention SVG has one panel per map plus the input, and escapes names', () => {
  const r = syntheticReport();
  r.attention![0].name = 'a<b>&"c"';
  const a = attentionSvg(r)!;
  expect(a.svg.match(/<image /g)?.length).toBe(6);
  expect(a.svg).toContain(escapeXml('a<b>&"c" — input'));
  expect(a.svg).not.toContain('a<b>');
  // The query pixel is marked on the input and both maps of the first sample only.
  expect(a.svg.match(/<circle /g)?.length).toBe(3 * 2);
  expect(attentionSvg({ ...r, attention: [] })).toBeNull();
});
