import { describe, expect, it } from 'vitest';
import { archFor } from '../arch.js';
import { addCost, segformerCost, zeroCost } from './modelCost.js';

// REFERENCE.md §4.1: params with 19 classes and GMACs at 512×1024 (attention QKᵀ and AV included).
const PARAMS: Record<string, number> = {
  'segformer-b0': 3.72e6,
  'segformer-b1': 13.68e6,
  'segformer-b2': 27.36e6,
  'segformer-b3': 47.24e6,
  'segformer-b4': 64.01e6,
  'segformer-b5': 84.61e6,
};

describe('SegFormer cost accounting', () => {
  it.each(Object.entries(PARAMS))('%s has the published parameter count (±0.5%%)', (name, want) => {
    const c = segformerCost(archFor(name), 64, 128);
    expect(Math.abs(c.total.params / want - 1)).toBeLessThan(0.005);
  });

  it.each([
    ['segformer-b0', 17.8e9],
    ['segformer-b5', 240.0e9],
  ])('%s has the published MACs at 512×1024 (±2%%)', (name, want) => {
    const c = segformerCost(archFor(name as string), 512, 1024);
    expect(Math.abs(c.total.macs / (want as number) - 1)).toBeLessThan(0.02);
  });

  it('per-unit costs plus the fixed part add up to the whole model', () => {
    const c = segformerCost(archFor('segformer-b0'), 128, 256);
    let s = c.fixed;
    for (const u of c.units) s = addCost(s, u);
    for (const k of Object.keys(zeroCost()) as (keyof typeof s)[]) expect(s[k]).toBeCloseTo(c.total[k], -1);
    // 32 heads, FFN groups of 16 over 8 blocks, decoder projection and fuse groups.
    expect(c.units.filter((u) => u.kind === 'head')).toHaveLength(32);
    expect(c.units.filter((u) => u.kind === 'ffn-group')).toHaveLength((2 * (128 + 256 + 640 + 1024)) / 16);
    expect(c.units.filter((u) => u.kind === 'dec-fuse-group')).toHaveLength(16);
  });

  it('a stage-1 head costs far more than a stage-4 head (many more tokens)', () => {
    const c = segformerCost(archFor('segformer-b0'), 128, 256);
    const head = (s: number) => c.units.find((u) => u.kind === 'head' && u.stage === s)!;
    expect(head(0).macs).toBeGreaterThan(2 * head(3).macs);
    expect(head(0).attnElems).toBeGreaterThan(0);
  });
});
