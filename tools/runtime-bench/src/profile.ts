// profile.ts — `--profile`: where a frame's time goes, per op, for INT8 and FP32 of the same network
// on one thread in this process (profileFrames in @edgeseg/runtime). Times are CPU time of the
// process (user + system): on a shared machine wall time also counts other jobs' slices, CPU time
// does not, so the table holds still while the load moves. Nothing here asserts a speed.
import os from 'node:os';
import { chooseBuild } from '@edgeseg/kernels';
import {
  decodeEdgeseg,
  type EdgesegModelFile,
  encodeEdgeseg,
  type FrameProfile,
  type Precision,
  type ProfileEntry,
  profileFrames,
  randomModelFile,
  readEdgeseg,
} from '@edgeseg/runtime';
import { type BenchArgs, sizeLabel } from './args.js';
import { segformerB0Arch } from './segformerB0.js';

export interface ProfileResult {
  machine: { cpu: string; cores: number; loadavg: number[]; node: string; kernelsBuild: string };
  model: { name: string; source: string };
  /** One per frame size and precision. */
  runs: { size: string; precision: Precision; profile: FrameProfile }[];
}

function atSize(f: EdgesegModelFile, height: number, width: number): EdgesegModelFile {
  // Through the encoder, so the file is exactly what loadModel would see.
  return decodeEdgeseg(
    encodeEdgeseg({ meta: { ...f.meta, input: { ...f.meta.input, height, width } }, tensors: f.tensors }),
    '<profile>',
  );
}

export async function runProfile(a: BenchArgs, log: (s: string) => void): Promise<ProfileResult> {
  const base = a.model ? readEdgeseg(a.model) : randomModelFile(segformerB0Arch(), 'int8', { seed: 1 });
  const arch = base.meta.arch;
  const files: Record<Precision, EdgesegModelFile> = {
    int8: base.meta.precision === 'int8' ? base : randomModelFile(arch, 'int8', { seed: 1 }),
    fp32: base.meta.precision === 'fp32' ? base : randomModelFile(arch, 'fp32', { seed: 1 }),
  };
  const runs: ProfileResult['runs'] = [];
  for (const s of a.sizes) {
    for (const precision of ['int8', 'fp32'] as const) {
      log(`profile ${precision} ${sizeLabel(s)}`);
      const profile = await profileFrames(atSize(files[precision], s.height, s.width), {
        frames: a.iters,
        warmup: a.quick ? 1 : 2,
      });
      runs.push({ size: sizeLabel(s), precision, profile });
    }
  }
  return {
    machine: {
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.availableParallelism?.() ?? os.cpus().length,
      loadavg: os.loadavg().map((v) => Math.round(v * 100) / 100),
      node: process.versions.node,
      kernelsBuild: await chooseBuild(),
    },
    model: { name: arch.config.name, source: a.model ?? 'random' },
    runs,
  };
}

function table(head: string[], body: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i > 0 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** Entries summed under `key(name)` (e.g. an op over all stages), ms per frame. */
function grouped(
  m: Record<string, ProfileEntry>,
  frames: number,
  key: (name: string) => string,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const [name, e] of Object.entries(m)) {
    const g = key(name);
    out.set(g, (out.get(g) ?? 0) + e.cpuUs / 1000 / frames);
  }
  return out;
}

const opOf = (name: string) => name.replace(/^s\d\./, '');
const stageOf = (name: string) => (/^s\d\./.test(name) ? name.slice(0, 2) : name.split('.')[0]);

/** INT8 and FP32 side by side: ms per frame, FP32/INT8, share of the INT8 frame. */
function sideBySide(title: string, int8: Map<string, number>, fp32: Map<string, number>, total8: number) {
  const names = [...new Set([...int8.keys(), ...fp32.keys()])].sort(
    (x, y) => (int8.get(y) ?? 0) - (int8.get(x) ?? 0),
  );
  const body = names.map((n) => {
    const a = int8.get(n) ?? 0;
    const b = fp32.get(n) ?? 0;
    return [
      n,
      a.toFixed(2),
      b.toFixed(2),
      a > 0 ? `${(b / a).toFixed(2)}×` : '—',
      `${((100 * a) / total8).toFixed(1)}%`,
    ];
  });
  return `${title}\n${table(['', 'INT8 ms', 'FP32 ms', 'FP32/INT8', 'INT8 share'], body)}`;
}

export function formatProfile(r: ProfileResult): string {
  const m = r.machine;
  const out = [
    `${r.model.name} (${r.model.source === 'random' ? 'random weights' : r.model.source}) — per-op profile, 1 thread, ` +
      `CPU ms per frame — ${m.cpu}, ${m.cores} cores, load ${m.loadavg.join(' ')}; Node ${m.node}, kernels ${m.kernelsBuild}`,
  ];
  for (const size of [...new Set(r.runs.map((x) => x.size))]) {
    const p8 = r.runs.find((x) => x.size === size && x.precision === 'int8')!.profile;
    const p32 = r.runs.find((x) => x.size === size && x.precision === 'fp32')!.profile;
    const t8 = p8.total.cpuUs / 1000 / p8.frames;
    const t32 = p32.total.cpuUs / 1000 / p32.frames;
    const wall8 = p8.total.wallUs / 1000 / p8.frames;
    const wall32 = p32.total.wallUs / 1000 / p32.frames;
    out.push(
      '',
      `${size}: frame INT8 ${t8.toFixed(1)} ms CPU (${wall8.toFixed(1)} wall), FP32 ${t32.toFixed(1)} ms CPU ` +
        `(${wall32.toFixed(1)} wall), FP32/INT8 ${(t32 / t8).toFixed(2)}×; ${p8.frames} frames each` +
        `${p8.cpuTime ? '' : ' (no CPU clock here: wall time)'}`,
      '',
      sideBySide(
        'by op (all stages)',
        grouped(p8.ops, p8.frames, opOf),
        grouped(p32.ops, p32.frames, opOf),
        t8,
      ),
      '',
      sideBySide('by stage', grouped(p8.ops, p8.frames, stageOf), grouped(p32.ops, p32.frames, stageOf), t8),
      '',
      sideBySide(
        'by kernel (inside the ops)',
        grouped(p8.kernels, p8.frames, (n) => n),
        grouped(p32.kernels, p32.frames, (n) => n),
        t8,
      ),
    );
  }
  return out.join('\n');
}
