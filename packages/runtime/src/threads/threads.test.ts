// threads.test.ts — worker threads give the single-thread executor's bits: the logits (not only the
// argmaxed classes) of random int8 and fp32 models, tiny, awkwardly shaped and SegFormer-B0-shaped,
// with 2 and 3 threads, row-split (latency) and frame-pipelined; failures reach the caller and wake
// the other threads; every worker ends at dispose()/close() (a leak would keep vitest from exiting).
import { loadKernels } from '@edgeseg/kernels';
import { afterAll, describe, expect, it } from 'vitest';
import type { SegFormerArch } from '../arch.js';
import { soloRun } from '../executor/run.js';
import { SegFormerExecutor } from '../executor/segformerExecutor.js';
import { segmentFrame } from '../executor/segmentFrame.js';
import { encodeEdgeseg, type Precision } from '../format.js';
import { loadModel } from '../loadModel.js';
import { randomModelFile } from '../randomModel.js';
import { segformerB0Arch } from '../testkit/segformerB0.js';
import { tinyArch } from '../testkit/tinyArch.js';
import { AtomicsTeam } from './barrier.js';
import { WorkerPool } from './pool.js';
import type { ThreadedModel } from './threadedModel.js';

/** tinyArch with odd widths everywhere: FFN 45 and 13, head dims 9 and 7, decoder 33/17/21/11, 5 classes. */
function awkwardArch(): SegFormerArch {
  const a = tinyArch({ classes: 5 });
  a.blocks = [
    [{ heads: 1, headDim: 9, ffn: 45 }],
    [{ heads: 0, headDim: 16, ffn: 13 }],
    [{ heads: 2, headDim: 7, ffn: 0 }],
    [{ heads: 4, headDim: 16, ffn: 45 }],
  ];
  a.decoder = { cDims: [33, 17, 21, 11], fuseDim: 19, bnFolded: true };
  return a;
}

function rgbOf(w: number, h: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 7 + seed * 131 + ((i * i) >> 5)) % 256);
}

/** Logits and classes of one frame on this thread (the reference). */
async function solo(bytes: Uint8Array, w: number, h: number, rgb: Uint8Array) {
  const k = await loadKernels();
  const { decodeEdgeseg } = await import('../format.js');
  const file = decodeEdgeseg(bytes, '<test>');
  const ex = new SegFormerExecutor(k, file);
  const r = segmentFrame(ex, soloRun(k, ex.ws), file.meta.input, w, h, rgb);
  const { height: H, width: W } = file.meta.input;
  const n = (Math.floor((H - 1) / 4) + 1) * (Math.floor((W - 1) / 4) + 1) * file.meta.arch.config.classes;
  const out = { classes: r.classes.toArray(), logits: ex.ws.f32('dec.logits', n).toArray().subarray(0, n) };
  ex.release();
  return out;
}

const CASES: [string, () => SegFormerArch, Precision, [number, number], [number, number]][] = [
  // name, arch, precision, model input [h, w], image [w, h]
  ['tiny int8, image resized down', tinyArch, 'int8', [64, 128], [150, 100]],
  ['tiny fp32, image at the input size', tinyArch, 'fp32', [64, 128], [128, 64]],
  ['awkward int8, odd sizes, image resized up', awkwardArch, 'int8', [50, 77], [40, 31]],
  ['awkward fp32, odd sizes', awkwardArch, 'fp32', [45, 61], [61, 45]],
  ['SegFormer-B0 int8', segformerB0Arch, 'int8', [128, 256], [256, 128]],
  ['SegFormer-B0 fp32, image resized up ×2', segformerB0Arch, 'fp32', [96, 160], [80, 48]],
];

describe('threads give the bits of one thread', () => {
  for (const [name, arch, prec, [H, W], [w, h]] of CASES) {
    it(name, async () => {
      const bytes = encodeEdgeseg(randomModelFile(arch(), prec, { height: H, width: W, seed: 5 }));
      const rgb = rgbOf(w, h, 1);
      const ref = await solo(bytes, w, h, rgb);
      for (const threads of [2, 3]) {
        const m = (await loadModel(bytes, { threads })) as ThreadedModel;
        try {
          expect(m.threads).toBe(threads);
          const r = await m.segment(rgb, w, h);
          const logits = m
            .workspace()
            .f32('dec.logits', ref.logits.length)
            .toArray()
            .subarray(0, ref.logits.length);
          const bad = logits.findIndex((v, i) => !Object.is(v, ref.logits[i]));
          expect(
            bad,
            `${threads} threads: first differing logit at ${bad}: ${logits[bad]} vs ${ref.logits[bad]}`,
          ).toBe(-1);
          expect(r.classes).toEqual(ref.classes);
          // a second frame of another image reuses the plan
          const rgb2 = rgbOf(w, h, 2);
          const ref2 = await solo(bytes, w, h, rgb2);
          expect((await m.segment(rgb2, w, h)).classes).toEqual(ref2.classes);
        } finally {
          await m.dispose();
        }
      }
    });
  }
});

describe('frames of changing sizes', () => {
  const bytes = encodeEdgeseg(randomModelFile(awkwardArch(), 'int8', { height: 50, width: 77, seed: 9 }));
  const sizes: [number, number][] = [
    [77, 50],
    [40, 31],
    [100, 80],
    [77, 50],
    [40, 31],
  ];

  it('row-split: each new size is planned again and gives one thread’s classes', async () => {
    const refs = await Promise.all(sizes.map(([w, h], i) => solo(bytes, w, h, rgbOf(w, h, i))));
    const m = await loadModel(bytes, { threads: 2 });
    try {
      for (const [i, [w, h]] of sizes.entries()) {
        expect((await m.segment(rgbOf(w, h, i), w, h)).classes, `frame ${i}`).toEqual(refs[i].classes);
      }
    } finally {
      await m.dispose();
    }
  });

  it('pipelined: N frames in flight on N workers give one thread’s classes', async () => {
    const refs = await Promise.all(sizes.map(([w, h], i) => solo(bytes, w, h, rgbOf(w, h, i))));
    const m = await loadModel(bytes, { threads: 2, pipeline: true });
    try {
      expect(m.threads).toBe(2);
      const got = await Promise.all(sizes.map(([w, h], i) => m.segment(rgbOf(w, h, i), w, h)));
      for (const [i, g] of got.entries()) expect(g.classes, `frame ${i}`).toEqual(refs[i].classes);
    } finally {
      await m.dispose();
    }
    await expect(m.segment(rgbOf(77, 50, 0), 77, 50)).rejects.toThrow(/the model was disposed/);
  });
});

describe('thread options', () => {
  const bytes = encodeEdgeseg(randomModelFile(tinyArch(), 'int8', { height: 64, width: 128 }));

  it('refuses a bad count and falls back to 1 thread, saying why, on kernels without shared memory', async () => {
    await expect(loadModel(bytes, { threads: 0 })).rejects.toThrow(
      /threads must be a whole number ≥ 1 or 'auto'\. Got 0/,
    );
    await expect(loadModel(bytes, { threads: 1.5 })).rejects.toThrow(/Got 1.5/);
    const notes: string[] = [];
    const m = await loadModel(bytes, {
      threads: 2,
      kernels: await loadKernels(),
      onWarning: (s) => notes.push(s),
    });
    expect(m.threads).toBe(1);
    expect(notes).toEqual([
      expect.stringMatching(/2 threads were asked for, but the kernels given are not on a shared memory/),
    ]);
    await m.dispose();
  });

  it("'auto' uses the cores available", async () => {
    const { availableThreads } = await import('./cores.js');
    const m = await loadModel(bytes);
    expect(m.threads).toBe(availableThreads());
    await m.dispose();
  });
});

describe('WorkerPool', () => {
  const pools: WorkerPool[] = [];
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
  });

  it('runs kernels by pointer on the shared memory, and a failing member wakes the team with its error', async () => {
    const k = await loadKernels({ threads: true });
    const pool = await WorkerPool.start(2);
    pools.push(pool);
    const bytes = encodeEdgeseg(randomModelFile(tinyArch(), 'int8', { height: 64, width: 128 }));
    const { decodeEdgeseg } = await import('../format.js');
    const file = decodeEdgeseg(bytes, '<test>');
    const ex = new SegFormerExecutor(k, file);
    const control = k.alloc('i32', 4);
    const init = {
      module: k.module!,
      build: k.build,
      memory: k.memory,
      control: control.ptr,
      layout: ex.layout(),
      spec: file.meta.input,
    };
    await pool.all((r) => r.init(init));
    // a raw call: the ABI version, through the comlink round trip (printed, not asserted)
    const t0 = performance.now();
    const n = 50;
    for (let i = 0; i < n; i++) expect(await pool.on(1, (r) => r.call('abi_version', []))).toBe(1);
    console.log(`comlink round trip to a worker: ${(((performance.now() - t0) / n) * 1000).toFixed(0)} µs`);
    // Member 1 misses a buffer member 0 has: it fails at its first use; member 0, waiting at a
    // barrier for it, must wake up and report the abort instead of hanging.
    const { Workspace } = await import('../executor/workspace.js');
    const { dryKernels } = await import('../executor/run.js');
    const ws = new Workspace(k);
    for (let tid = 0; tid < 2; tid++) {
      const team = { tid, size: 2, barrier() {}, dry: true };
      segmentFrame(ex, { k: dryKernels(k), team, ws, local: ws.local(tid) }, file.meta.input, 128, 64);
    }
    const table = ws.table();
    await pool.on(0, (r) => r.plan({ table, tid: 0, size: 2 }));
    await pool.on(1, (r) => r.plan({ table: table.filter((b) => b.name !== 'attn.q@1'), tid: 1, size: 2 }));
    AtomicsTeam.reset(new Int32Array(k.memory.buffer, control.ptr, 4));
    const res = await Promise.allSettled([0, 1].map((i) => pool.on(i, (r) => r.frame(128, 64))));
    expect(res[1]).toMatchObject({
      status: 'rejected',
      reason: { message: expect.stringMatching(/workspace buffer "attn.q@1" was not planned/) },
    });
    expect(res[0]).toMatchObject({
      status: 'rejected',
      reason: { message: expect.stringMatching(/the frame was aborted because thread 1 failed/) },
    });
    expect(await pool.on(0, (r) => r.call('abi_version', []))).toBe(1); // member 0 is not stuck
    await pool.close();
    await expect(pool.on(0, (r) => r.call('abi_version', []))).rejects.toThrow(/the pool was closed/);
  });
});
