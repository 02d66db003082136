// threads.ts — latency of a random-weight SegFormer-B0 (int8 by default) at 512×1024 on 1, 2, …
// threads (rows split across workers), and the throughput of the pipeline schedule. Random weights
// time exactly like trained ones (same shapes, same kernels); nothing here is a test.
//
//   npm run bench:threads -w @edgeseg/runtime -- [--threads 1,2] [--runs 5] [--height 512] [--width 1024]
//                                                [--precision int8|fp32] [--pipeline]
import { encodeEdgeseg, loadModel, randomModelFile } from '../src/index.js';
import { segformerB0Arch } from '../src/testkit/segformerB0.js';
import { threadCpuMs } from '../src/threads/cores.js';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : dflt;
}

const threadsList = arg('threads', '1,2').split(',').map(Number);
const runs = Number(arg('runs', '5'));
const H = Number(arg('height', '512'));
const W = Number(arg('width', '1024'));
const precision = arg('precision', 'int8') as 'int8' | 'fp32';
const pipeline = process.argv.includes('--pipeline');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const bytes = encodeEdgeseg(randomModelFile(segformerB0Arch(), precision, { height: H, width: W, seed: 1 }));
const rgb = Uint8Array.from({ length: H * W * 3 }, (_, i) => (i * 7 + ((i * i) >> 7)) % 256);
console.log(
  `SegFormer-B0 ${precision} ${H}×${W}, random weights, ${runs} runs after 1 warm-up, Node ${process.versions.node}`,
);

// Frames alternate between the models (1 thread, 2 threads, …, then again), so that each sees the
// same load from whatever else runs on the machine; the speed-up is the median of per-round ratios.
interface Stats {
  barriers: number;
  waitMs: number;
  cpuMs?: number;
}
const base: Record<string, number> = {};
const models: {
  threads: number;
  m: Awaited<ReturnType<typeof loadModel>>;
  wall: number[];
  net: number[];
  cpu: number[];
  waits: number[];
}[] = [];
for (const threads of threadsList) {
  const m = await loadModel(bytes, { threads, pipeline: false });
  await m.segment(rgb, W, H); // warm-up (and the workers' plan)
  models.push({
    threads,
    m,
    wall: [] as number[],
    net: [] as number[],
    cpu: [] as number[],
    waits: [] as number[],
  });
}
for (let i = 0; i < runs; i++) {
  for (const x of models) {
    const c0 = threadCpuMs();
    const t0 = performance.now();
    const r = await x.m.segment(rgb, W, H);
    x.wall.push(performance.now() - t0);
    x.net.push(r.inferenceMs);
    const stats = (x.m as { lastStats?: Stats[] }).lastStats;
    if (stats && stats.length > 0) {
      x.cpu.push(Math.max(...stats.map((s) => s.cpuMs ?? Number.NaN))); // the busiest worker
      x.waits.push(Math.max(...stats.map((s) => s.waitMs)));
    } else if (c0 !== undefined) x.cpu.push(threadCpuMs()! - c0);
  }
}
for (const x of models) {
  await x.m.dispose();
  const med = median(x.wall);
  const ratio = median(x.wall.map((t, i) => models[0].wall[i] / t));
  base.cpu ??= median(x.cpu);
  console.log(
    `latency  threads=${x.threads}: median ${med.toFixed(0)} ms (min ${Math.min(...x.wall).toFixed(0)}, network ${median(x.net).toFixed(0)} ms)` +
      `  speed-up ×${ratio.toFixed(2)} (min vs min ×${(Math.min(...models[0].wall) / Math.min(...x.wall)).toFixed(2)})` +
      (x.cpu.length > 0
        ? `; CPU of the busiest thread ${median(x.cpu).toFixed(0)} ms (×${(base.cpu / median(x.cpu)).toFixed(2)})`
        : '') +
      (x.waits.length > 0 ? `, waits at barriers ${median(x.waits).toFixed(0)} ms` : ''),
  );
}

if (pipeline) {
  for (const threads of threadsList) {
    const m = await loadModel(bytes, { threads, pipeline: true });
    await Promise.all(Array.from({ length: threads }, () => m.segment(rgb, W, H)));
    const frames = runs * threads;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: frames }, () => m.segment(rgb, W, H)));
    const fps = frames / ((performance.now() - t0) / 1000);
    await m.dispose();
    base.fps ??= fps;
    console.log(
      `pipeline threads=${threads}: ${fps.toFixed(2)} frames/s (${frames} frames)  ×${(fps / base.fps).toFixed(2)}`,
    );
  }
}
