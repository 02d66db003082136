// args.ts — the benchmark's command line, parsed by hand (no runtime dependencies, like kernel-bench).

export interface Size {
  height: number;
  width: number;
}

export interface BenchArgs {
  json: boolean;
  quick: boolean;
  /** Frame sizes of the main table (latency, FPS, FP32 vs INT8, ours vs ort-web). */
  sizes: Size[];
  /** Thread counts, each measured for ours and ort-web. */
  threads: number[];
  /** At least this many timed frames per cell… */
  iters: number;
  /** …and at least this many seconds of them. */
  minTime: number;
  /** An .edgeseg model instead of the random-weight SegFormer-B0 INT8 student. */
  model?: string;
  /** Skip onnxruntime-web. */
  noOrt: boolean;
  /** Per-op CPU-time profile on one thread instead of the latency tables. */
  profile: boolean;
  help: boolean;
}

/** The smallest frame of the resolution-scaling row. */
export const SCALING_BASE: Size = { height: 128, width: 256 };

export const HELP = `edgeseg-runtime-bench — end-to-end speed of the edgeseg runtime on this machine

Usage: npm run bench:runtime -- [options]
       node tools/runtime-bench/dist/cli.js [options]

Options:
  --model FILE      an .edgeseg model to measure (default: SegFormer-B0, INT8, random weights)
  --sizes LIST      frame sizes HxW, comma-separated (default 256x512,512x1024; --quick 128x256,256x512)
  --threads LIST    thread counts, comma-separated (default 1,2)
  --iters N         at least N timed frames per measurement (default 10, --quick 3)
  --min-time S      and at least S seconds of them (default 2, --quick 0.3)
  --quick           smaller frames and fewer repetitions (a smoke run)
  --no-ort          skip onnxruntime-web
  --profile         per-op table instead: CPU ms per frame of every op, INT8 and FP32, 1 thread
                    (--iters frames per size after a warm-up; --sizes as above)
  --json            one JSON object on stdout instead of the tables
  -h, --help        this text

Measured in one run, on one machine: latency (p50/p90 of whole segment() calls: normalize, network,
logits upsampling, argmax) and FPS (1000 / mean latency) at each size; FP32 vs INT8 of the same
architecture (FP32 weights random when --model is INT8, and the other way round); ours vs
onnxruntime-web (WASM) running the ONNX export of the same model with the same threads (network
only: ORT gets the normalized NCHW tensor and returns 1/4-resolution logits); 1 vs N threads; and
how latency grows from ${SCALING_BASE.height}x${SCALING_BASE.width} to the largest size against the pixel ratio.`;

export class UsageError extends Error {}

function parseSize(s: string): Size {
  const m = /^(\d+)x(\d+)$/.exec(s.trim());
  if (!m) throw new UsageError(`--sizes: "${s}" is not HxW. Expected e.g. 256x512.`);
  const size = { height: Number(m[1]), width: Number(m[2]) };
  if (size.height < 64 || size.width < 64 || size.height > 4096 || size.width > 4096) {
    throw new UsageError(`--sizes: ${s} is out of range. Expected each side in 64..4096.`);
  }
  return size;
}

export function parseArgs(argv: string[]): BenchArgs {
  const a: BenchArgs = {
    json: false,
    quick: false,
    sizes: [],
    threads: [1, 2],
    iters: 10,
    minTime: 2,
    noOrt: false,
    profile: false,
    help: false,
  };
  let itersSet = false;
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
      case '--quick':
        a.quick = true;
        break;
      case '--no-ort':
        a.noOrt = true;
        break;
      case '--profile':
        a.profile = true;
        break;
      case '--model':
        a.model = value();
        break;
      case '--sizes':
        a.sizes = value().split(',').map(parseSize);
        break;
      case '--threads': {
        const v = value();
        a.threads = v.split(',').map((t) => {
          const n = Number(t);
          if (!Number.isInteger(n) || n < 1 || n > 256)
            throw new UsageError(
              `--threads: "${t}" is not a thread count. Expected whole numbers ≥ 1, e.g. 1,2.`,
            );
          return n;
        });
        a.threads = [...new Set(a.threads)].sort((x, y) => x - y);
        break;
      }
      case '--iters': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 1)
          throw new UsageError(`--iters: expected a whole number ≥ 1, got ${argv[i]}.`);
        a.iters = n;
        itersSet = true;
        break;
      }
      case '--min-time': {
        const s = Number(value());
        if (!(s >= 0) || !Number.isFinite(s))
          throw new UsageError(`--min-time: expected a number of seconds ≥ 0, got ${argv[i]}.`);
        a.minTime = s;
        minTimeSet = true;
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
  if (a.sizes.length === 0)
    a.sizes = a.quick
      ? [SCALING_BASE, { height: 256, width: 512 }]
      : [
          { height: 256, width: 512 },
          { height: 512, width: 1024 },
        ];
  if (a.quick && !itersSet) a.iters = 3;
  if (a.quick && !minTimeSet) a.minTime = 0.3;
  return a;
}

export const sizeLabel = (s: Size) => `${s.height}x${s.width}`;
