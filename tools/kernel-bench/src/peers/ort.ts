// ort.ts — onnxruntime-web (WASM, one thread) and onnxruntime-node (native, one intra-op thread) as
// benchmark peers. Both are optional devDependencies: on a board without them the benchmark says
// so and goes on.

export type OrtKind = 'ort-web' | 'ort-node';

export interface OrtSession {
  kind: OrtKind;
  /** Runs the model once on `feeds` (name → typed array + dims) and returns the first output's data. */
  run(): Promise<unknown>;
  release(): Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: the two packages share an API but not a type import we can rely on here.
type OrtModule = any;
const modules = new Map<OrtKind, Promise<OrtModule | null>>();
const unavailable = new Map<OrtKind, string>();

/** The package, or null (then ortStatus says why): an optional peer may be missing or not load here. */
export function loadOrt(kind: OrtKind): Promise<OrtModule | null> {
  let p = modules.get(kind);
  if (!p) {
    p = (async () => {
      try {
        const ort = kind === 'ort-web' ? await import('onnxruntime-web') : await import('onnxruntime-node');
        const mod = ort.default ?? ort;
        if (kind === 'ort-web') {
          mod.env.wasm.numThreads = 1;
          mod.env.wasm.simd = true;
          mod.env.logLevel = 'error';
        }
        return mod;
      } catch (e) {
        unavailable.set(kind, (e as Error).message.split('\n')[0]);
        return null;
      }
    })();
    modules.set(kind, p);
  }
  return p;
}

/** "onnxruntime-web 1.30.0 (wasm, 1 thread)", or "unavailable: <why>". Loads the package. */
export async function ortStatus(kind: OrtKind): Promise<string> {
  const ort = await loadOrt(kind);
  if (!ort) return `unavailable: ${unavailable.get(kind) ?? 'not installed'}`;
  const version = ort.env?.versions?.common ?? '?';
  return kind === 'ort-web'
    ? `onnxruntime-web ${version} (wasm SIMD, 1 thread)`
    : `onnxruntime-node ${version} (native CPU, 1 intra-op thread)`;
}

export interface Feed {
  name: string;
  type: 'float32' | 'int8' | 'uint8';
  data: Float32Array | Int8Array | Uint8Array;
  dims: number[];
}

export async function ortSession(
  kind: OrtKind,
  model: Uint8Array,
  feeds: Feed[],
): Promise<OrtSession | null> {
  const ort = await loadOrt(kind);
  if (!ort) return null;
  const opts =
    kind === 'ort-web'
      ? { executionProviders: ['wasm'], graphOptimizationLevel: 'all' }
      : {
          executionProviders: ['cpu'],
          intraOpNumThreads: 1,
          interOpNumThreads: 1,
          graphOptimizationLevel: 'all',
        };
  const session = await ort.InferenceSession.create(model, opts);
  const inputs: Record<string, unknown> = {};
  for (const f of feeds) inputs[f.name] = new ort.Tensor(f.type, f.data, f.dims);
  return {
    kind,
    async run() {
      const out = await session.run(inputs);
      const first = out[session.outputNames[0]];
      const data = first.data;
      first.dispose?.();
      return data;
    },
    async release() {
      await session.release();
    },
  };
}
