// run.ts — the benchmark run: load the kernel builds, measure the SIMD ceilings, run each family
// against its peers, compute ratios.
import { readFileSync } from 'node:fs';
import { type Isa, type Kernels, kernelsOf, loadKernels } from '@edgeseg/kernels';
import type { BenchArgs } from './args.js';
import { type CeilingKind, ceilingAvailable, measureCeiling } from './ceiling.js';
import { benchAdamwF32 } from './families/adamw_f32.js';
import { benchBinaryF32 } from './families/binary_f32.js';
import type { BenchContext, OursBuild } from './families/context.js';
import { benchDwconvF32 } from './families/dwconv_f32.js';
import { benchIm2colF32 } from './families/im2col_f32.js';
import { benchLayernormF32 } from './families/layernorm_f32.js';
import { benchQuantize } from './families/quantize.js';
import { benchReduceF32 } from './families/reduce_f32.js';
import { benchResizeF32 } from './families/resize_f32.js';
import { benchTransposeF32 } from './families/transpose_f32.js';
import { benchUnaryF32 } from './families/unary_f32.js';
import { addRatios, type Row } from './report.js';
import { makeRng } from './rng.js';
import { type GemmShape, parseShapesFile } from './segformerShapes.js';

export interface BenchResult {
  rows: Row[];
  ceilings: Partial<Record<CeilingKind, number>>;
  builds: string[];
}

const defaultShapesFile = new URL('../shapes/segformer-b0-512x1024.txt', import.meta.url);

export function loadGemmShapes(args: BenchArgs): GemmShape[] {
  if (args.shapesFile) {
    let text: string;
    try {
      text = readFileSync(args.shapesFile, 'utf8');
    } catch (e) {
      throw new Error(`--shapes: cannot read ${args.shapesFile} (${(e as Error).message}).`);
    }
    return parseShapesFile(text, args.shapesFile);
  }
  const squares = [256, 512, 1024].map((s) => ({ m: s, n: s, k: s, name: `square ${s}` }));
  const b0 = parseShapesFile(readFileSync(defaultShapesFile, 'utf8'), defaultShapesFile.pathname);
  if (args.quick) return [squares[1], ...b0.filter((s) => s.m * s.n * s.k <= 2 ** 28).slice(0, 4)];
  return [...squares, ...b0];
}

export async function runBench(args: BenchArgs, log: (msg: string) => void): Promise<BenchResult> {
  // Load every build before compiling anything else: on Node 20 the relaxed build turns on V8 flags
  // (relaxed SIMD, TurboFan only) that only affect modules compiled afterwards.
  const release = await loadKernels({ isa: 'simd128' });
  let relaxed: Kernels | null = null;
  try {
    relaxed = await loadKernels({ isa: 'relaxed' });
  } catch {
    log('relaxed SIMD is not available on this engine: relaxed kernels are skipped.');
  }
  const scalar = await loadKernels({ isa: 'scalar' });

  const ceilings: Partial<Record<CeilingKind, number>> = {};
  for (const kind of ['i8dot', 'f32muladd', 'f32madd'] as CeilingKind[]) {
    if (!ceilingAvailable(kind)) continue;
    log(`measuring the ${kind} ceiling…`);
    ceilings[kind] = measureCeiling(kind).gops;
  }

  const rng = makeRng(42);
  const ctx: BenchContext = {
    ours(op?: string): OursBuild[] {
      const list: OursBuild[] = [{ k: release, isa: 'simd128' as Isa, impl: 'ours-simd128' }];
      if (relaxed && (!op || kernelsOf(op).some((k) => k.isa === 'relaxed'))) {
        list.push({ k: relaxed, isa: 'relaxed', impl: 'ours-relaxed' });
      }
      list.push({ k: scalar, isa: 'scalar', impl: 'ours-scalar' });
      return list;
    },
    rng,
    timing: { minTime: args.minTime, minReps: args.quick ? 3 : 5, warmup: 2 },
    includeRef: args.ref,
    peers: new Set(args.peers),
    log,
  };

  const rows: Row[] = [];
  const families: Record<string, () => Promise<Row[]>> = {
    quantize: () => benchQuantize(ctx),
    dwconv_f32: () => benchDwconvF32(ctx, args.quick),
    im2col_f32: () => benchIm2colF32(ctx, args.quick),
    resize_f32: () => benchResizeF32(ctx, args.quick),
    layernorm_f32: () => benchLayernormF32(ctx, args.quick),
    transpose_f32: () => benchTransposeF32(ctx, args.quick),
    unary_f32: () => benchUnaryF32(ctx, args.quick),
    binary_f32: () => benchBinaryF32(ctx, args.quick),
    reduce_f32: () => benchReduceF32(ctx, args.quick),
    adamw_f32: () => benchAdamwF32(ctx, args.quick),
  };
  for (const f of args.families) {
    const run = families[f];
    if (!run) {
      log(`${f}: not benchmarked yet (no kernels in this build).`);
      continue;
    }
    log(`benchmarking ${f}…`);
    rows.push(...(await run()));
  }
  const ceilingOf: Record<string, number> = {};
  if (ceilings.i8dot) ceilingOf.gemm_i8 = ceilings.i8dot;
  if (ceilings.f32muladd) ceilingOf.gemm_f32 = ceilings.f32muladd;
  addRatios(rows, (r) => r.impl.startsWith('ours'), ['ort-web', 'tfjs', 'ort-node', 'ts-ref'], ceilingOf);
  return { rows, ceilings, builds: [release.build, relaxed?.build ?? '-', scalar.build] };
}
