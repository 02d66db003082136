// The per-op profile (runtime-bench --profile): every op of the frame is named, the ops account for
// the frame's time, and the profiled frame computes the same classes as an unprofiled one. No
// figure is asserted — only that the bookkeeping adds up.
import { loadKernels } from '@edgeseg/kernels';
import { describe, expect, it } from 'vitest';
import { decodeEdgeseg, encodeEdgeseg } from '../format.js';
import { randomModelFile } from '../randomModel.js';
import { tinyArch } from '../testkit/tinyArch.js';
import { OpProfile, profiledKernels } from './profile.js';
import { profileFrames } from './profileFrames.js';
import { soloRun } from './run.js';
import { SegFormerExecutor } from './segformerExecutor.js';
import { segmentFrame } from './segmentFrame.js';

const file = decodeEdgeseg(
  encodeEdgeseg(randomModelFile(tinyArch(), 'int8', { height: 64, width: 128 })),
  'tiny.edgeseg',
);

describe('profileFrames', () => {
  it('names every op of the frame and the ops add up to the frame', async () => {
    const p = await profileFrames(file, { frames: 2, warmup: 1 });
    // Op names without their stage (the tiny architecture has excised blocks in some stages).
    const ops = new Set(Object.keys(p.ops).map((n) => n.replace(/^s\d\./, '')));
    for (const want of [
      'pre.normalize',
      'embed',
      'attn.scores',
      'attn.softmax',
      'ffn.fc1',
      'ffn.dw',
      'dec.fuse',
    ])
      expect([...ops]).toContain(want);
    expect([...ops]).toContain('post.resize+argmax');
    expect(Object.keys(p.kernels)).toContain('gemm_i8_f32');
    const sum = Object.values(p.ops).reduce((a, e) => a + e.wallUs, 0);
    // The ops tile the frame (the gaps are the calls to the clock themselves).
    expect(sum).toBeLessThanOrEqual(p.total.wallUs + 1);
    expect(sum).toBeGreaterThan(0.5 * p.total.wallUs);
    expect(p.ops['dec.fuse'].calls).toBe(2);
  });

  it('a profiled frame gives the classes of an unprofiled one', async () => {
    const k = await loadKernels();
    const ex = new SegFormerExecutor(k, file);
    const rgb = Uint8Array.from({ length: 64 * 128 * 3 }, (_, i) => (i * 13) % 256);
    const plain = segmentFrame(ex, soloRun(k, ex.ws), file.meta.input, 128, 64, rgb).classes.toArray();
    const prof = new OpProfile();
    const pk = profiledKernels(k, prof);
    const timed = segmentFrame(ex, soloRun(pk, ex.ws, prof), file.meta.input, 128, 64, rgb).classes.toArray();
    expect([...timed]).toEqual([...plain]);
    expect(prof.kernels.get('resize_bilinear_argmax_f32')?.calls).toBe(1);
    ex.release();
  });
});
