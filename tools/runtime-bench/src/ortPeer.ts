// ortPeer.ts — onnxruntime-web (WASM backend, in Node) as the peer the exported ONNX runs on. It is
// an optional devDependency: without it the bench says so and measures ours alone. Its thread pool
// is fixed when its WASM module initializes (`env.wasm.numThreads`, once per process), so one
// process measures one thread count; the bench runs a child process per count (threadRun.ts).

// biome-ignore lint/suspicious/noExplicitAny: onnxruntime-web's types are not needed by callers.
export type Ort = any;

let loaded: { threads: number; ort: Ort | null } | undefined;

/** The onnxruntime-web module with `threads` WASM threads, or null when it is not installed. */
export async function loadOrtWeb(threads: number): Promise<Ort | null> {
  if (loaded) {
    if (loaded.threads !== threads) {
      throw new Error(
        `ort-web: already initialized with ${loaded.threads} thread(s) in this process. Expected one thread count per process, got ${threads}.`,
      );
    }
    return loaded.ort;
  }
  let ort: Ort | null = null;
  try {
    const mod = await import('onnxruntime-web');
    ort = (mod as { default?: Ort }).default ?? mod;
    ort.env.wasm.numThreads = threads;
    ort.env.wasm.simd = true;
    ort.env.logLevel = 'error';
  } catch {
    ort = null;
  }
  loaded = { threads, ort };
  return ort;
}

export interface OrtRunner {
  /** Logits [1, classes, h, w] (NCHW) of a normalized NCHW image [1, 3, H, W]. */
  run(input: Float32Array): Promise<Float32Array>;
  release(): Promise<void>;
}

export async function ortRunner(
  ort: Ort,
  model: Uint8Array,
  height: number,
  width: number,
  extra: Record<string, unknown> = {},
): Promise<OrtRunner> {
  const session = await ort.InferenceSession.create(model, {
    executionProviders: ['wasm'],
    graphOptimizationLevel: 'all',
    ...extra,
  });
  return {
    async run(input) {
      const feed = new ort.Tensor('float32', input, [1, 3, height, width]);
      const out = await session.run({ [session.inputNames[0]]: feed });
      const logits = out[session.outputNames[0]];
      const data = (logits.data as Float32Array).slice();
      logits.dispose?.();
      return data;
    },
    async release() {
      await session.release();
    },
  };
}
