// run.ts — the benchmark run: load the kernel builds, measure the SIMD ceilings, run each family
// against its peers, compute ratios.
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { type Isa, type Kernels, kernelsOf, loadKernels } from '@edgeseg/kernels';
import type { BenchArgs } from './args.js';
import {
  bestOfCeilings,
  type Ceiling,
  type CeilingKind,
  type CeilingProbe,
  ceilingAvailable,
  ceilingProbe,
  measureCeiling,
} from './ceiling.js';
import { benchAdamwF32 } from './families/adamw_f32.js';
import { benchBinaryF32 } from './families/binary_f32.js';
import type { BenchContext, OursBuild } from './families/context.js';
import { benchDwconvF32 } from './families/dwconv_f32.js';
import { benchGemmF32 } from './families/gemm_f32.js';
import { benchGemmI8 } from './families/gemm_i8.js';
import { benchIm2colF32 } from './families/im2col_f32.js';
import { benchLayernormF32 } from './families/layernorm_f32.js';
import { benchQuantize } from './families/quantize.js';
import { benchReduceF32 } from './families/reduce_f32.js';
import { benchResizeF32 } from './families/resize_f32.js';
import { benchSoftmax } from './families/softmax.js';
import { benchTransposeF32 } from './families/transpose_f32.js';
import { benchUnaryF32 } from './families/unary_f32.js';
import { addRatios, type Row } from './report.js';
import { makeRng } from './rng.js';
import { type GemmShape, parseShapesFile } from './segformerShapes.js';
import type { Clock } from './timing.js';
import { type Verdict, verdicts } from './verdicts.js';

export interface BenchResult {
  rows: Row[];
  /** GOPS (GFLOPS) of each ceiling kind: the best of its loop variants. */
  ceilings: Partial<Record<CeilingKind, number>>;
  /** Each kind's measurement, every variant's figure included. */
  ceilingDetails: Partial<Record<CeilingKind, Ceiling>>;
  builds: string[];
  /** Each peer that was asked for and tried: its name and version, or "unavailable: <why>". */
  peers: Record<string, string>;
  /** Issue #2's targets judged on these rows. */
  verdicts: Verdict[];
  machine: MachineInfo;
}

export interface MachineInfo {
  cpu: string;
  cores: number;
  node: string;
  v8: string;
  clock: Clock;
  /** os.loadavg() (1, 5, 15 minutes) when the run started and when it ended. */
  loadStart: number[];
  loadEnd: number[];
  seconds: number;
}

const defaultShapesFile = new URL('../shapes/segformer-b0-512x1024.txt', import.meta.url);

/** Shapes at the edges of the kernels' tiling: a matrix-vector product, odd and tiny K, N one short of a block. */
export const AWKWARD_GEMM_SHAPES: GemmShape[] = [
  { m: 1, n: 1024, k: 1024, name: 'm=1 (matrix-vector)' },
  { m: 1, n: 19, k: 256, name: 'm=1 n=19 (one pixel, classifier)' },
  { m: 4096, n: 64, k: 17, name: 'k=17' },
  { m: 512, n: 255, k: 256, name: 'n=255' },
  { m: 257, n: 129, k: 65, name: 'odd m, n, k' },
  { m: 1024, n: 1024, k: 1, name: 'k=1 (outer product)' },
];

export function loadGemmShapes(args: BenchArgs): GemmShape[] {
  if (args.shapesFile) {
    let text: string;
    try {
      text = readFileSync(args.shapesFile, 'utf8');
    } catch (e) {
      throw new Error(`--shapes: cannot read ${args.shapesFile} (${(e as Error).message}).`);
    }
    return parseShapesFile(text, args.shapesFile).map((s) => ({ ...s, group: 'model' as const }));
  }
  const squares = [256, 512, 1024].map((s) => ({
    m: s,
    n: s,
    k: s,
    name: 'square',
    group: 'square' as const,
  }));
  const b0 = parseShapesFile(readFileSync(defaultShapesFile, 'utf8'), defaultShapesFile.pathname).map(
    (s) => ({
      ...s,
      group: 'model' as const,
    }),
  );
  const edge = AWKWARD_GEMM_SHAPES.map((s) => ({ ...s, group: 'edge' as const }));
  if (args.quick) {
    return [squares[1], ...b0.filter((s) => s.m * s.n * s.k <= 2 ** 28).slice(0, 4), edge[2]];
  }
  return [...squares, ...b0, ...edge];
}

export async function runBench(args: BenchArgs, log: (msg: string) => void): Promise<BenchResult> {
  const loadStart = loadavg();
  const t0 = performance.now();
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

  // Only the GEMM rows are compared with a ceiling: measure the kinds the chosen families need, at the
  // start of the run and again at its end (the better of the two: load only lowers a figure).
  const ceilings: Partial<Record<CeilingKind, number>> = {};
  const ceilingDetails: Partial<Record<CeilingKind, Ceiling>> = {};
  const needs: Record<CeilingKind, string> = { i8dot: 'gemm_i8', f32muladd: 'gemm_f32', f32madd: 'gemm_f32' };
  const kinds = (['i8dot', 'f32muladd', 'f32madd'] as CeilingKind[]).filter(
    (kind) => args.families.includes(needs[kind]) && ceilingAvailable(kind),
  );
  const measureCeilings = (when: string) => {
    for (const kind of kinds) {
      log(`measuring the ${kind} ceiling (${when})…`);
      const c = measureCeiling(kind, 0.15, 7, args.clock);
      const before = ceilingDetails[kind];
      ceilingDetails[kind] = before ? bestOfCeilings(before, c) : c;
      ceilings[kind] = ceilingDetails[kind]?.gops;
    }
  };
  measureCeilings('start of run');

  const probes: Partial<Record<CeilingKind, CeilingProbe>> = {};
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
    timing: { minTime: args.minTime, minReps: args.quick ? 3 : 5, warmup: 2, clock: args.clock },
    includeRef: args.ref,
    peers: new Set(args.peers),
    peerStatus: new Map(),
    // The best variant of the start-of-run measurement, timed in rounds with each GEMM case's kernels.
    probe(kind: CeilingKind): CeilingProbe | undefined {
      const c = ceilingDetails[kind];
      if (!c) return undefined;
      probes[kind] ??= ceilingProbe(kind, c.variant);
      return probes[kind];
    },
    log,
  };

  const rows: Row[] = [];
  const gemmShapes = () => loadGemmShapes(args);
  const families: Record<string, () => Promise<Row[]>> = {
    gemm_i8: () => benchGemmI8(ctx, gemmShapes()),
    gemm_f32: () => benchGemmF32(ctx, gemmShapes()),
    softmax: () => benchSoftmax(ctx, args.quick),
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
  if (rows.some((r) => r.family === 'gemm_i8' || r.family === 'gemm_f32')) measureCeilings('end of run');
  // ×ceiling: int8 GEMM rows against the int8 dot ceiling; f32 GEMM rows against mul+add, or against
  // relaxed madd for the relaxed (FMA) kernel. Softmax is bound by its exp polynomial: no ceiling.
  const ceilingOf = (r: Row): number | undefined => {
    if (r.family === 'gemm_i8') return ceilings.i8dot;
    if (r.family === 'gemm_f32') return r.impl.includes('relaxed') ? ceilings.f32madd : ceilings.f32muladd;
    return undefined;
  };
  addRatios(rows, (r) => r.impl.startsWith('ours'), ['ts-ref', 'ort-web', 'ort-node', 'tfjs'], ceilingOf);
  return {
    rows,
    ceilings,
    ceilingDetails,
    builds: [release.build, relaxed?.build ?? '-', scalar.build],
    peers: Object.fromEntries(ctx.peerStatus),
    verdicts: verdicts(rows),
    machine: {
      cpu: cpus()[0]?.model ?? '?',
      cores: cpus().length,
      node: process.versions.node,
      v8: process.versions.v8,
      clock: args.clock,
      loadStart,
      loadEnd: loadavg(),
      seconds: (performance.now() - t0) / 1000,
    },
  };
}
