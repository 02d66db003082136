#!/usr/bin/env node
// cli.ts — `npm run bench:train`: training throughput of SegFormer models on the WASM backend.
import { benchTraining, type TrainBenchRow } from './run.js';

const HELP = `edgeseg-train-bench — time SegFormer training steps on the WASM kernels

Usage: npm run bench:train -- [options]

Options:
  --arch LIST      architectures (default segformer-tiny,segformer-b0)
  --size HxW       input size (default 128x256)
  --batch N        batch size (default 8)
  --steps N        timed steps after warm-up (default 10)
  --rss-steps N    steps over which RSS is sampled to show memory stays flat (default 0)
  --json           one JSON object per architecture on stdout
  -h, --help       this text

Single thread. images/s = batch / median step time; kernel share = time inside WASM kernels / wall time.`;

function parse(argv: string[]) {
  const o = {
    archs: ['segformer-tiny', 'segformer-b0'],
    h: 128,
    w: 256,
    batch: 8,
    steps: 10,
    rssSteps: 0,
    json: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${a}: a value is missing.`);
      return x;
    };
    const int = (name: string, s: string) => {
      const n = Number(s);
      if (!Number.isInteger(n) || n < 0) throw new Error(`${name}: expected a whole number ≥ 0, got "${s}".`);
      return n;
    };
    if (a === '--arch') o.archs = v().split(',');
    else if (a === '--size') {
      const m = v().match(/^(\d+)x(\d+)$/);
      if (!m) throw new Error(`--size: expected HxW such as 128x256, got "${argv[i]}".`);
      o.h = Number(m[1]);
      o.w = Number(m[2]);
    } else if (a === '--batch') o.batch = int(a, v());
    else if (a === '--steps') o.steps = Math.max(1, int(a, v()));
    else if (a === '--rss-steps') o.rssSteps = int(a, v());
    else if (a === '--json') o.json = true;
    else if (a === '-h' || a === '--help') return null;
    else throw new Error(`unknown option "${a}". Expected one of the options in --help.`);
  }
  return o;
}

function fmt(r: TrainBenchRow): string {
  const top = Object.entries(r.llopMs)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([k, v]) => `${k} ${v.toFixed(0)}`)
    .join(', ');
  return [
    `${r.arch} @ ${r.size}, batch ${r.batch}, ${r.threads} thread: ${r.imagesPerSec.toFixed(2)} images/s`,
    `  step ${r.stepMs.toFixed(0)} ms = forward ${r.forwardMs.toFixed(0)} + backward ${r.backwardMs.toFixed(0)} + update ${r.updateMs.toFixed(0)} (backward/forward ${r.backwardOverForward.toFixed(2)})`,
    `  ${(r.macsPerImage / 1e9).toFixed(2)} GMAC/image forward, ${r.gflops.toFixed(1)} model GFLOP/s, ${(100 * r.kernelShare).toFixed(0)}% of the time inside WASM kernels`,
    `  ms/step by llop: ${top}`,
    `  WASM memory ${r.wasmMemoryMiB.toFixed(0)} MiB (arena peak ${r.arenaPeakMiB.toFixed(0)} MiB); RSS ${r.rssMiB.first.toFixed(0)} → ${r.rssMiB.last.toFixed(0)} MiB (max ${r.rssMiB.max.toFixed(0)}, ${r.rssMiB.samples} samples)`,
  ].join('\n');
}

function main(): number {
  let o: ReturnType<typeof parse>;
  try {
    o = parse(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`edgeseg-train-bench: ${(e as Error).message}\n`);
    return 2;
  }
  if (!o) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const log = (m: string) => process.stderr.write(`${m}\n`);
  for (const arch of o.archs) {
    const r = benchTraining({
      arch,
      height: o.h,
      width: o.w,
      batch: o.batch,
      steps: o.steps,
      warmup: 2,
      rssSteps: o.rssSteps,
      seed: 1,
      log,
    });
    process.stdout.write(o.json ? `${JSON.stringify(r)}\n` : `${fmt(r)}\n\n`);
  }
  return 0;
}

process.exitCode = main();
