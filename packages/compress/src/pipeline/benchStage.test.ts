// benchStage.test.ts — the pipelined throughput figure the bench stage adds for the INT8 student.
import { archFor } from '@edgeseg/models';
import { randomModelFile } from '@edgeseg/runtime';
import { describe, expect, it } from 'vitest';
import { pipelinedFps } from './benchStage.js';

describe('pipelinedFps', () => {
  it('times frames with one in flight per thread and returns frames per wall-clock second', async () => {
    const arch = archFor('segformer-tiny');
    const t0 = performance.now();
    const fps = await pipelinedFps(
      randomModelFile(arch, 'int8', { height: 64, width: 128 }),
      [64, 128],
      2,
      6,
    );
    const wallS = (performance.now() - t0) / 1000;
    expect(Number.isFinite(fps)).toBe(true);
    // 6 timed frames cannot take longer than the whole call (which also starts workers and warms up).
    expect(fps).toBeGreaterThanOrEqual(6 / wallS);
  }, 60_000);
});
