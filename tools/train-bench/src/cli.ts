#!/usr/bin/env node
// cli.ts — `npm run bench:train`: training throughput of SegFormer models on the WASM backend.
import type { TfjsPeerReport } from './peers/tfjsBench.js';
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
  --peer tfjs      then run the same step in @tensorflow/tfjs-backend-wasm (with the conv gradients it
                   lacks added), B0 inference at 256x512 and 512x1024 and one stage-1 block fwd+bwd in
                   tfjs and ours, and print the ratios (JSON: one more object, {"peer": …, "ratios": …})
  --peer-arch A    architecture of the peer's training step and block (default segformer-b0)
  --peer-steps N   timed tfjs training steps per variant after 1 warm-up (default 3; a B0 step takes
                   tens of seconds)
  --peer-matmuls L tfjs variants: plain (tfjs's own matmul gradients) and/or xnnpack (the backward
                   of every 2-D matmul hand-routed through XNNPACK) (default plain,xnnpack)
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
    peer: null as 'tfjs' | null,
    peerArch: 'segformer-b0',
    peerSteps: 3,
    peerMatmuls: ['plain', 'xnnpack'] as ('plain' | 'xnnpack')[],
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
    else if (a === '--peer') {
      const p = v();
      if (p !== 'tfjs') throw new Error(`--peer: expected tfjs, got "${p}".`);
      o.peer = p;
    } else if (a === '--peer-arch') o.peerArch = v();
    else if (a === '--peer-steps') o.peerSteps = Math.max(1, int(a, v()));
    else if (a === '--peer-matmuls') {
      const l = v().split(',');
      for (const m of l)
        if (m !== 'plain' && m !== 'xnnpack')
          throw new Error(`--peer-matmuls: expected plain and/or xnnpack, got "${m}".`);
      o.peerMatmuls = l as ('plain' | 'xnnpack')[];
    } else if (a === '-h' || a === '--help') return null;
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
    `${r.arch} @ ${r.size}, batch ${r.batch}, ${r.threads} thread: ${r.imagesPerSec.toFixed(2)} images/s (${r.imagesPerSecCpu.toFixed(2)} on CPU time)`,
    `  step ${r.stepMs.toFixed(0)} ms (CPU ${r.stepCpuMs.toFixed(0)}) = forward ${r.forwardMs.toFixed(0)} + backward ${r.backwardMs.toFixed(0)} + update ${r.updateMs.toFixed(0)} (backward/forward ${r.backwardOverForward.toFixed(2)})`,
    `  ${(r.macsPerImage / 1e9).toFixed(2)} GMAC/image forward, ${r.gflops.toFixed(1)} model GFLOP/s, ${(100 * r.kernelShare).toFixed(0)}% of the time inside WASM kernels`,
    `  ms/step by llop: ${top}`,
    `  WASM memory ${r.wasmMemoryMiB.toFixed(0)} MiB (arena peak ${r.arenaPeakMiB.toFixed(0)} MiB); RSS ${r.rssMiB.first.toFixed(0)} → ${r.rssMiB.last.toFixed(0)} MiB (max ${r.rssMiB.max.toFixed(0)}, ${r.rssMiB.samples} samples)`,
  ].join('\n');
}

/** ours ÷ tfjs images/s per tfjs variant, and tfjs ÷ ours stage-1 block fwd+bwd ms. */
function peerRatios(ours: TrainBenchRow | undefined, p: TfjsPeerReport) {
  const imagesPerSec: Record<string, number> = {};
  const imagesPerSecCpu: Record<string, number> = {};
  if (ours) {
    for (const t of p.training) {
      imagesPerSec[t.matmuls] = ours.imagesPerSec / t.imagesPerSec;
      imagesPerSecCpu[t.matmuls] = ours.imagesPerSecCpu / t.imagesPerSecCpu;
    }
  }
  return {
    oursOverTfjsImagesPerSec: imagesPerSec,
    /** The same on CPU-time images/s (less inflated by other jobs on a shared machine). */
    oursOverTfjsImagesPerSecCpu: imagesPerSecCpu,
    blockTfjsOverOursMs: {
      plain: p.block.tfjs.totalMs / p.block.ours.totalMs,
      xnnpack: p.block.tfjsXnnpack.totalMs / p.block.ours.totalMs,
    },
    /** The same on CPU time, which other jobs on a shared machine inflate less than wall time. */
    blockTfjsOverOursCpuMs: {
      plain: p.block.tfjs.cpuMs / p.block.ours.cpuMs,
      xnnpack: p.block.tfjsXnnpack.cpuMs / p.block.ours.cpuMs,
    },
  };
}

function fmtPeer(p: TfjsPeerReport, ratios: ReturnType<typeof peerRatios>): string {
  const x = (v: number) => `${v.toFixed(2)}×`;
  const rg = p.resizeGrad;
  const lines = [
    `tfjs-backend-wasm ${p.version} peer, ${p.threads} thread`,
    `  gradients failing on wasm before the workarounds: ${p.missingGradients.map((g) => g.op).join(', ') || 'none'}`,
    `  backward kernels not registered for wasm: ${p.missingKernels.join(', ') || 'none'}`,
    `  resize gradient honours half-pixel centres: ${rg.honoursHalfPixel ? 'yes' : 'no'} (max error vs the half-pixel gradient ${rg.gradErrHalfPixel.toExponential(2)}, vs the legacy src = dst·in/out one ${rg.gradErrLegacy.toExponential(2)}; forward error ${rg.forwardErr.toExponential(2)})`,
  ];
  for (const t of p.training) {
    lines.push(
      `  ${t.arch} @ ${t.size}, batch ${t.batch}, ${t.matmuls} matmuls: ${t.imagesPerSec.toFixed(3)} images/s (${t.imagesPerSecCpu.toFixed(3)} on CPU time)`,
      `    step ${t.stepMs.toFixed(0)} ms (CPU ${t.stepCpuMs.toFixed(0)}) = forward ${t.forwardMs.toFixed(0)} + backward ${t.backwardMs.toFixed(0)} + update ${t.updateMs.toFixed(0)} (backward/forward ${t.backwardOverForward.toFixed(1)}); WASM heap ${t.wasmHeapMiB.toFixed(0)} MiB; loss ${t.loss.first.toFixed(3)} → ${t.loss.last.toFixed(3)}; ${t.params} params`,
    );
  }
  lines.push(
    `  inference (batch 1): ${p.inference.map((r) => `${r.size} ${r.ms.toFixed(0)} ms (CPU ${r.cpuMs.toFixed(0)})`).join(', ')}`,
  );
  const b = p.block;
  const bl = (r: typeof b.ours) =>
    `${r.totalMs.toFixed(1)} ms (fwd ${r.forwardMs.toFixed(1)}; CPU ${r.cpuMs.toFixed(1)})`;
  lines.push(
    `  stage-1 block fwd+bwd (${b.ours.shape}): tfjs ${bl(b.tfjs)}, tfjs xnnpack ${bl(b.tfjsXnnpack)}, ours ${bl(b.ours)}`,
    `  ratios: ours ÷ tfjs images/s ${
      Object.entries(ratios.oursOverTfjsImagesPerSec)
        .map(([k, v]) => `${x(v)} (${k})`)
        .join(', ') || 'n/a (no ours row for that architecture)'
    } (on CPU time ${
      Object.entries(ratios.oursOverTfjsImagesPerSecCpu)
        .map(([k, v]) => `${x(v)} (${k})`)
        .join(', ') || 'n/a'
    }); block fwd+bwd ms tfjs ÷ ours ${x(ratios.blockTfjsOverOursMs.plain)} (plain), ${x(ratios.blockTfjsOverOursMs.xnnpack)} (xnnpack), on CPU time ${x(ratios.blockTfjsOverOursCpuMs.plain)}, ${x(ratios.blockTfjsOverOursCpuMs.xnnpack)}`,
  );
  return lines.join('\n');
}

async function main(): Promise<number> {
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
  const rows: TrainBenchRow[] = [];
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
    rows.push(r);
    process.stdout.write(o.json ? `${JSON.stringify(r)}\n` : `${fmt(r)}\n\n`);
  }
  if (o.peer === 'tfjs') {
    const { runTfjsPeer } = await import('./peers/tfjsBench.js');
    const p = await runTfjsPeer({
      arch: o.peerArch,
      height: o.h,
      width: o.w,
      batch: o.batch,
      steps: o.peerSteps,
      variants: o.peerMatmuls,
      log,
    });
    const ratios = peerRatios(
      rows.find((r) => r.arch === o.peerArch),
      p,
    );
    process.stdout.write(o.json ? `${JSON.stringify({ peer: p, ratios })}\n` : `${fmtPeer(p, ratios)}\n`);
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`edgeseg-train-bench: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 1;
  },
);
