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

const base: Record<string, number> = {};
interface Stats {
  barriers: number;
  waitMs: number;
  cpuMs?: number;
}
for (const threads of threadsList) {
  const m = await loadModel(bytes, { threads, pipeline: false });
  await m.segment(rgb, W, H);
  const wall: number[] = [];
  const net: number[] = [];
  const cpu: number[] = []; // the busiest thread's CPU time per frame
  const waits: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = threadCpuMs();
    const t0 = performance.now();
    const r = await m.segment(rgb, W, H);
    wall.push(performance.now() - t0);
    net.push(r.inferenceMs);
    const stats = (m as { lastStats?: Stats[] }).lastStats;
    if (stats && stats.length > 0) {
      cpu.push(Math.max(...stats.map((s) => s.cpuMs ?? Number.NaN)));
      waits.push(Math.max(...stats.map((s) => s.waitMs)));
    } else if (c0 !== undefined) cpu.push(threadCpuMs()! - c0);
  }
  await m.dispose();
  const med = median(wall);
  const cpuMed = median(cpu);
  base.latency ??= med;
  base.cpu ??= cpuMed;
  console.log(
    `latency  threads=${threads}: median ${med.toFixed(0)} ms (min ${Math.min(...wall).toFixed(0)}, network ${median(net).toFixed(0)} ms)` +
      `  speed-up ×${(base.latency / med).toFixed(2)}` +
      (cpu.length > 0
        ? `; CPU of the busiest thread ${cpuMed.toFixed(0)} ms (×${(base.cpu / cpuMed).toFixed(2)})`
        : '') +
      (waits.length > 0 ? `, waits at barriers ${median(waits).toFixed(0)} ms` : ''),
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
