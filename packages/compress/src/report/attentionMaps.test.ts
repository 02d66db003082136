import { RefBackend, Rng, Tensor } from '@edgeseg/autograd';
import { archFor, SegFormer } from '@edgeseg/models';
import { describe, expect, it } from 'vitest';
import { attentionMaps } from './attentionMaps.js';

const be = new RefBackend();
const image = (h: number, w: number) => {
  const r = new Rng(5);
  return Tensor.from(
    be,
    [1, h, w, 3],
    Float32Array.from({ length: h * w * 3 }, () => r.normal()),
  );
};

describe('attentionMaps', () => {
  it('gives softmax rows over the reduced key grid of each stage (sums to 1)', () => {
    const m = new SegFormer(be, archFor('segformer-tiny'), new Rng(1));
    const maps = attentionMaps(m, image(64, 128), [1, 2, 4], { x: 70, y: 20 });
    expect(maps.map((a) => a.stage)).toEqual([1, 2, 4]);
    const sr = m.arch.config.srRatios;
    for (const a of maps) {
      const tokH = 64 / 2 ** (a.stage + 1);
      const tokW = 128 / 2 ** (a.stage + 1);
      expect([a.height, a.width]).toEqual([
        Math.floor(tokH / sr[a.stage - 1]),
        Math.floor(tokW / sr[a.stage - 1]),
      ]);
      const sum = (v: Float32Array) => v.reduce((s, x) => s + x, 0);
      expect(sum(a.query)).toBeCloseTo(1, 5);
      expect(sum(a.received)).toBeCloseTo(1, 5);
      expect(new Set(a.query).size).toBeGreaterThan(1);
    }
  });

  it('is uniform when every query is zero, and skips a stage whose heads were all cut', () => {
    const m = new SegFormer(be, archFor('segformer-tiny'), new Rng(1));
    const attn = m.stages[1].blocks[0].attn!;
    be.view(attn.q.weight.storage).fill(0);
    be.view(attn.q.bias!.storage).fill(0);
    const [a] = attentionMaps(m, image(64, 128), [2], { x: 0, y: 0 });
    for (const v of a.query) expect(v).toBeCloseTo(1 / a.query.length, 6);
    for (const b of m.stages[2].blocks) b.attn = null;
    expect(attentionMaps(m, image(64, 128), [3], { x: 0, y: 0 })).toEqual([]);
  });
});
