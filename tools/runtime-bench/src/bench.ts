// bench.ts — one benchmark run: writes the models (INT8 and FP32 of one architecture, and the ONNX
// export of the INT8 one at each size), measures every thread count in its own process
// (threadRun.ts), then computes the ratios. Nothing here asserts a speed: the report says what was
// met and what was not.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { chooseBuild } from '@edgeseg/kernels';
import {
  type EdgesegModelFile,
  encodeEdgeseg,
  exportOnnx,
  type Precision,
  randomModelFile,
  readEdgeseg,
} from '@edgeseg/runtime';
import { type BenchArgs, SCALING_BASE, sizeLabel } from './args.js';
import { computeRatios, type Ratio } from './ratios.js';
import type { Row } from './row.js';
import { segformerB0Arch } from './segformerB0.js';
import { spawnThreadRun } from './spawnRun.js';
import type { ThreadJob } from './threadRun.js';

export type { Row } from './row.js';

export interface BenchResult {
  machine: {
    cpu: string;
    cores: number;
    /** 1/5/15-minute load averages when the run ended (the machine may be shared). */
    loadavg: number[];
    node: string;
    kernelsBuild: string;
    ortWeb?: string;
  };
  model: { name: string; source: string; precision: Precision };
  rows: Row[];
  ratios: Ratio[];
  notes: string[];
}

export async function runBench(a: BenchArgs, log: (s: string) => void): Promise<BenchResult> {
  const notes: string[] = [];
  const base = a.model ? readEdgeseg(a.model) : randomModelFile(segformerB0Arch(), 'int8', { seed: 1 });
  const arch = base.meta.arch;
  // The other precision of the same architecture, random weights (speed does not depend on values).
  const files: Record<Precision, EdgesegModelFile> = {
    int8: base.meta.precision === 'int8' ? base : randomModelFile(arch, 'int8', { seed: 1 }),
    fp32: base.meta.precision === 'fp32' ? base : randomModelFile(arch, 'fp32', { seed: 1 }),
  };
  if (a.model) {
    const other = base.meta.precision === 'int8' ? 'FP32' : 'INT8';
    notes.push(`${other} rows use random weights of the model's architecture.`);
  } else notes.push('SegFormer-B0 with random weights (speed only; no accuracy meaning).');
  const largest = a.sizes.reduce((m, s) => (s.height * s.width > m.height * m.width ? s : m));
  const dir = mkdtempSync(join(os.tmpdir(), 'edgeseg-runtime-bench-'));
  const rows: Row[] = [];
  let ortWeb: string | undefined;
  try {
    const models = { int8: join(dir, 'int8.edgeseg'), fp32: join(dir, 'fp32.edgeseg') };
    writeFileSync(models.int8, encodeEdgeseg(files.int8));
    writeFileSync(models.fp32, encodeEdgeseg(files.fp32));
    const sizes: ThreadJob['sizes'] = a.sizes.map((s) => {
      let onnx: string | undefined;
      if (!a.noOrt) {
        onnx = join(dir, `int8-${sizeLabel(s)}.onnx`);
        writeFileSync(onnx, exportOnnx(files.int8, s));
      }
      const scaling = s === largest && sizeLabel(s) !== sizeLabel(SCALING_BASE);
      return { ...s, ...(onnx ? { onnx } : {}), ...(scaling ? { scalingBase: SCALING_BASE } : {}) };
    });
    if (a.noOrt) notes.push('onnxruntime-web skipped (--no-ort).');
    const timing = { warmup: a.quick ? 1 : 2, iters: a.iters, minTime: a.minTime };
    for (const threads of a.threads) {
      const r = await spawnThreadRun({ threads, timing, models, sizes }, dir, log);
      if (!r.ok) {
        notes.push(`threads=${threads}: ${r.error}`);
        continue;
      }
      rows.push(...r.rows);
      notes.push(...r.notes);
      ortWeb ??= r.ortWeb;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    machine: {
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.availableParallelism?.() ?? os.cpus().length,
      loadavg: os.loadavg().map((v) => Math.round(v * 100) / 100),
      node: process.versions.node,
      kernelsBuild: await chooseBuild(),
      ...(ortWeb ? { ortWeb } : {}),
    },
    model: { name: arch.config.name, source: a.model ?? 'random', precision: base.meta.precision },
    rows,
    ratios: computeRatios(rows, a.sizes.map(sizeLabel), sizeLabel(SCALING_BASE), sizeLabel(largest)),
    notes: [...new Set(notes)],
  };
}
