// args.ts — the benchmark's command line, parsed by hand (no runtime dependencies).
import type { Clock } from './timing.js';

export interface BenchArgs {
  json: boolean;
  families: string[];
  shapesFile?: string;
  quick: boolean;
  peers: string[];
  ref: boolean;
  minTime: number;
  /** cpu: process CPU time (default: steady on a shared machine); wall: performance.now. */
  clock: Clock;
  help: boolean;
}

export const FAMILIES = ['gemm_i8', 'gemm_f32', 'softmax', 'quantize'];
// The spatial and normalization families of the training backend.
FAMILIES.push('dwconv_f32', 'im2col_f32', 'resize_f32', 'layernorm_f32', 'transpose_f32');
// The elementwise families of the training backend.
FAMILIES.push('unary_f32', 'binary_f32', 'reduce_f32', 'adamw_f32');
export const PEERS = ['ort-web', 'ort-node', 'tfjs'];

export const HELP = `edgeseg-kernel-bench — benchmark edgeseg's WASM kernels in isolation

Usage: npm run bench:kernels -- [options]
       node tools/kernel-bench/dist/cli.js [options]

Options:
  --family F[,F]    only these families (${FAMILIES.join(', ')}); repeatable
  --shapes FILE     GEMM shapes, one "M N K [name]" per line (default: squares 256/512/1024,
                    shapes/segformer-b0-512x1024.txt and edge shapes: m=1, k=17, n=255, odd, k=1)
  --quick           fewer shapes and shorter timings (a smoke run)
  --peers LIST      peers to run: ${PEERS.join(',')} or none (default: all that are installed)
  --no-ref          skip the TS reference twins
  --min-time S      seconds of timed calls per cell (default 0.3, --quick 0.05)
  --clock cpu|wall  time calls by process CPU time (default: steady while other processes share the
                    cores) or by wall clock (what a user waits; use it on a quiet machine)
  --json            one JSON object per line on stdout instead of the table
  -h, --help        this text

Every figure is a median after warm-up, single thread, on the --clock; a case's SIMD kernels, peers
and ceiling loop are timed in rounds, one call each per round (calls under 2 ms in batches). GEMM
rates are 2·M·N·K per second; ×ceiling is the fraction of this machine's SIMD ceiling (a register-
resident loop of the same instructions, the best of a few variants, timed alongside); ×PEER is our
rate divided by the peer's on the same shape, ×best-wasm by the faster of ort-web and tfjs. Every
GEMM and softmax result is checked against the TS twin (int8 bit-exact, f32 within the test suite's
tolerance); a mismatch fails the run. After the table, issue #2's speed targets are judged on this
run's ratios: target, value, met / NOT MET.`;

export function parseArgs(argv: string[]): BenchArgs {
  const a: BenchArgs = {
    json: false,
    families: [],
    quick: false,
    peers: [...PEERS],
    ref: true,
    minTime: 0.3,
    clock: 'cpu',
    help: false,
  };
  let minTimeSet = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--'))
        throw new UsageError(`${arg}: a value is missing. Expected ${arg} <value>.`);
      return v;
    };
    switch (arg) {
      case '--json':
        a.json = true;
        break;
      case '--family':
        for (const f of value().split(',')) {
          if (!FAMILIES.includes(f))
            throw new UsageError(`--family: unknown family "${f}". Expected one of ${FAMILIES.join(', ')}.`);
          a.families.push(f);
        }
        break;
      case '--shapes':
        a.shapesFile = value();
        break;
      case '--quick':
        a.quick = true;
        break;
      case '--peers': {
        const v = value();
        a.peers = v === 'none' ? [] : v.split(',');
        for (const p of a.peers) {
          if (!PEERS.includes(p))
            throw new UsageError(`--peers: unknown peer "${p}". Expected ${PEERS.join(', ')} or none.`);
        }
        break;
      }
      case '--no-ref':
        a.ref = false;
        break;
      case '--min-time': {
        const v = Number(value());
        if (!(v > 0)) throw new UsageError(`--min-time: expected a number of seconds > 0, got ${argv[i]}.`);
        a.minTime = v;
        minTimeSet = true;
        break;
      }
      case '--clock': {
        const v = value();
        if (v !== 'cpu' && v !== 'wall') throw new UsageError(`--clock: expected cpu or wall, got "${v}".`);
        a.clock = v;
        break;
      }
      case '-h':
      case '--help':
        a.help = true;
        break;
      default:
        throw new UsageError(`unknown option "${arg}". Expected one of the options in --help.`);
    }
  }
  if (a.families.length === 0) a.families = [...FAMILIES];
  if (a.quick && !minTimeSet) a.minTime = 0.05;
  return a;
}

export class UsageError extends Error {}
