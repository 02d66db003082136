// threads.test.ts — the threaded builds (`release-mt`, `relaxed-mt`): instantiated on a shared memory,
// they compute the bits of their single-thread twins; a second instance on the same memory (what a
// worker does) sees the first one's buffers, re-copies only its static data below heap_base, and has
// a borrowed arena; the arena keeps working when the shared memory grows. Plus the guard DESIGN §6
// asks for: a WASM atomic.wait loop, compiled the way the loader compiles threaded builds, wakes
// after a notify (Node 20's Liftoff was seen never to).
import { Worker } from 'node:worker_threads';
import { Rng } from '@edgeseg/testing';
import { afterAll, describe, expect, it } from 'vitest';
import {
  disableLiftoffOnNode,
  GEMM_F32_SCRATCH_BYTES,
  gemmF32,
  gemmI8F32,
  gemmI8ScratchBytes,
  type Kernels,
  kernelsFromModule,
  loadKernels,
  loadKernelsSync,
  packGemmF32B,
  packGemmI8Weights,
} from '../src/index.js';

const rng = new Rng(7);

/** One int8 GEMM with a dequantizing epilogue and one f32 GEMM, m×n×k = 37×29×67 (tails everywhere). */
function gemms(k: Kernels): { i8: Float32Array; f32: Float32Array } {
  const [m, n, kk] = [37, 29, 67];
  const r = new Rng(11);
  const a8 = k.from(
    'i8',
    Int8Array.from({ length: m * kk }, () => r.int(-128, 127)),
  );
  const b8 = Int8Array.from({ length: n * kk }, () => r.int(-127, 127));
  const w8 = packGemmI8Weights(k, b8, {
    n,
    k: kk,
    layout: 'nk',
    bias: Int32Array.from({ length: n }, () => r.int(-500, 500)),
  });
  const scales = k.from(
    'f32',
    Float32Array.from({ length: n }, () => 1e-3 * (1 + r.float())),
  );
  const c8 = k.alloc('f32', m * n);
  gemmI8F32(k, a8, w8, c8, scales, { m, za: 3, scratch: k.alloc('u8', gemmI8ScratchBytes(n, kk)) });
  const af = k.from(
    'f32',
    Float32Array.from({ length: m * kk }, () => r.float() - 0.5),
  );
  const bf = k.from(
    'f32',
    Float32Array.from({ length: n * kk }, () => r.float() - 0.5),
  );
  const packed = packGemmF32B(k, bf, { k: kk, n, transB: true });
  const cf = k.alloc('f32', m * n);
  gemmF32(k, { m, n, k: kk, a: af, packed, c: cf, scratch: k.alloc('u8', GEMM_F32_SCRATCH_BYTES) });
  return { i8: c8.toArray(), f32: cf.toArray() };
}

describe('threaded builds', () => {
  const workers: Worker[] = [];
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.terminate()));
  });

  it('load on a new shared memory and give the single-thread build’s bits', async () => {
    for (const isa of ['simd128', 'relaxed'] as const) {
      let single: Kernels;
      try {
        single = loadKernelsSync({ isa });
      } catch {
        continue; // no relaxed SIMD on this engine
      }
      const mt = await loadKernels({ isa, threads: true });
      expect(mt.build).toBe(isa === 'simd128' ? 'release-mt' : 'relaxed-mt');
      expect(mt.shared).toBe(true);
      expect(single.shared).toBe(false);
      expect(mt.module).toBeInstanceOf(WebAssembly.Module);
      const a = gemms(single);
      const b = gemms(mt);
      expect(b.i8).toEqual(a.i8);
      expect(b.f32).toEqual(a.f32);
      // the synchronous loader picks the same build
      expect(loadKernelsSync({ isa, threads: true }).build).toBe(mt.build);
    }
  });

  it('a second instance on the same memory shares buffers, keeps them intact and cannot allocate', async () => {
    const k = await loadKernels({ threads: true });
    const block = k.from(
      'f32',
      Float32Array.from({ length: 4096 }, (_, i) => i * 0.5),
    );
    const before = block.toArray();
    const other = kernelsFromModule(k.module!, k.build, k.memory);
    expect(other.memory).toBe(k.memory);
    expect(other.arena.base).toBe(k.arena.base);
    // its static data was copied again, below heap_base: the arena's blocks are untouched
    expect(block.toArray()).toEqual(before);
    // the second instance's view of the first one's block
    expect(other.arena.view('f32', block.ptr, 4)).toEqual(Float32Array.from([0, 0.5, 1, 1.5]));
    expect(() => other.alloc('f32', 16)).toThrow(/cannot allocate 64 bytes in a borrowed arena/);
    expect(() => kernelsFromModule(k.module!, k.build)).toThrow(/imports a shared memory\. Expected memory/);
    expect(() => kernelsFromModule(k.module!, k.build, new WebAssembly.Memory({ initial: 1 }))).toThrow(
      /got an unshared one/,
    );
  });

  it('keeps buffers and views valid while the shared memory grows', async () => {
    const k = await loadKernels({ threads: true });
    const a = k.from(
      'i32',
      Int32Array.from({ length: 1000 }, (_, i) => i),
    );
    const pages = k.memory.buffer.byteLength / 65536;
    const big = k.alloc('u8', 64 * 65536);
    expect(k.memory.buffer.byteLength / 65536).toBeGreaterThan(pages + 63);
    expect(k.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(a.view()[999]).toBe(999);
    big.fill(7);
    expect(big.view()[64 * 65536 - 1]).toBe(7);
  });

  it('refuses what it cannot do, naming the argument', async () => {
    await expect(loadKernels({ threads: true, debug: true })).rejects.toThrow(
      /no threaded variant of the debug build/,
    );
    await expect(loadKernels({ threads: true, isa: 'scalar' })).rejects.toThrow(
      /no threaded variant of the scalar build/,
    );
    await expect(loadKernels({ memory: new WebAssembly.Memory({ initial: 1 }) })).rejects.toThrow(
      /memory must be a shared WebAssembly.Memory/,
    );
    await expect(loadKernels({ threads: true, maximumPages: 0 })).rejects.toThrow(
      /maximumPages is out of range/,
    );
  });

  it('an instance in a worker thread writes what the owning thread reads', async () => {
    const k = await loadKernels({ threads: true });
    const x = k.from(
      'f32',
      Float32Array.from({ length: 64 }, () => rng.float() * 10 - 5),
    );
    const y = k.alloc('i8', 64);
    // The worker instantiates the same module on the same memory and quantizes x into y by pointer.
    const w = new Worker(
      `const { parentPort, workerData: d } = require('node:worker_threads');
       const i = new WebAssembly.Instance(d.module, { env: { memory: d.memory } });
       i.exports[d.fn](d.x, d.y, 64, 0.05, 3, -128, 127, 0);
       parentPort.postMessage('done');`,
      {
        eval: true,
        workerData: {
          module: k.module,
          memory: k.memory,
          fn: k.pick('quantize_f32_i8').name,
          x: x.ptr,
          y: y.ptr,
        },
      },
    );
    workers.push(w);
    await new Promise<void>((resolve, reject) => {
      w.once('message', () => resolve());
      w.once('error', reject);
    });
    const xv = x.view();
    const yv = y.toArray();
    for (let i = 0; i < 64; i++) {
      const q = Math.max(-128, Math.min(127, roundHalfEven(xv[i] / 0.05) + 3));
      expect(yv[i], `y[${i}] for x=${xv[i]}`).toBe(q);
    }
  });

  /*
   * (module
   *   (import "env" "memory" (memory 1 1 shared))
   *   (func (export "wait_for") (param $addr i32) (result i32)
   *     (local $n i32)
   *     (block $done
   *       (loop $again
   *         (br_if $done (i32.ne (i32.atomic.load (local.get $addr)) (i32.const 0)))
   *         (drop (memory.atomic.wait32 (local.get $addr) (i32.const 0) (i64.const -1)))
   *         (local.set $n (i32.add (local.get $n) (i32.const 1)))
   *         (br $again)))
   *     (local.get $n)))
   */
  const WAIT_PROBE = new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x02,
    0x10, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x03, 0x01, 0x01,
    0x03, 0x02, 0x01, 0x00, 0x07, 0x0c, 0x01, 0x08, 0x77, 0x61, 0x69, 0x74, 0x5f, 0x66, 0x6f, 0x72, 0x00,
    0x00, 0x0a, 0x2e, 0x01, 0x2c, 0x01, 0x01, 0x7f, 0x02, 0x40, 0x03, 0x40, 0x20, 0x00, 0xfe, 0x10, 0x02,
    0x00, 0x41, 0x00, 0x47, 0x0d, 0x01, 0x20, 0x00, 0x41, 0x00, 0x42, 0x7f, 0xfe, 0x01, 0x02, 0x00, 0x1a,
    0x20, 0x01, 0x41, 0x01, 0x6a, 0x21, 0x01, 0x0c, 0x00, 0x0b, 0x00, 0x0b, 0x20, 0x01, 0x0b,
  ]);

  it('a WASM atomic.wait loop compiled as the loader compiles threaded builds wakes on every notify', async () => {
    await disableLiftoffOnNode(); // what chooseBuild does before compiling a threaded build
    const module = new WebAssembly.Module(WAIT_PROBE);
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    const rounds = 100;
    // Ping-pong: the worker waits in WASM on word 16, the main thread sets it and waits (in JS) for
    // the worker's count in word 2. A worker that is never woken shows up as a timed-out round.
    const w = new Worker(
      `const { parentPort, workerData: d } = require('node:worker_threads');
       const i = new WebAssembly.Instance(d.module, { env: { memory: d.memory } });
       const words = new Int32Array(d.memory.buffer);
       for (let r = 0; r < ${rounds}; r++) {
         i.exports.wait_for(64);
         Atomics.store(words, 16, 0);
         Atomics.add(words, 2, 1);
         Atomics.notify(words, 2);
       }
       parentPort.postMessage('done');`,
      { eval: true, workerData: { module, memory } },
    );
    workers.push(w);
    const words = new Int32Array(memory.buffer);
    for (let r = 0; r < rounds; r++) {
      Atomics.store(words, 16, 1);
      Atomics.notify(words, 16);
      const t0 = Date.now();
      while (Atomics.load(words, 2) === r) {
        Atomics.wait(words, 2, r, 100);
        if (Date.now() - t0 > 5000) {
          throw new Error(
            `atomic.wait probe: the worker was not woken in round ${r} of ${rounds} (Liftoff bug?).`,
          );
        }
      }
    }
    expect(Atomics.load(words, 2)).toBe(rounds);
  });
});

function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}
