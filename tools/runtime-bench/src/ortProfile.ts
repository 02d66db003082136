// ortProfile.ts — which kernels ONNX Runtime actually ran: its profiler lists every node it
// executed after graph optimization, with the kernel's op type ("QGemm" is the integer GEMM a QDQ
// MatMul/Gemm becomes; a "Conv" fed by DequantizeLinear is a float conv on dequantized values).
// onnxruntime-web's WASM build cannot write the profile to a file we can read; it prints it to
// stdout with `fs.writeSync(1, …)` (its Emscripten glue in Node), so we tap that call while the
// profile is flushed.
import fs from 'node:fs';
import type { Ort } from './ortPeer.js';

/** Runs `fn` with writes to fd 1 collected instead of printed. */
async function captureStdout(fn: () => Promise<void> | void): Promise<string> {
  const original = fs.writeSync;
  const chunks: string[] = [];
  // biome-ignore lint/suspicious/noExplicitAny: writeSync has several overloads; we forward them all.
  (fs as any).writeSync = (fd: number, data: unknown, ...rest: unknown[]) => {
    if (fd !== 1) return (original as (...a: unknown[]) => number)(fd, data, ...rest);
    const s = typeof data === 'string' ? data : Buffer.from(data as Uint8Array).toString('utf8');
    chunks.push(s);
    return Buffer.byteLength(s);
  };
  try {
    await fn();
  } finally {
    fs.writeSync = original;
  }
  return chunks.join('');
}

/** Kernel op types ONNX Runtime executed for one run of `model`, with how many nodes ran each. */
export async function executedOps(
  ort: Ort,
  model: Uint8Array,
  height: number,
  width: number,
): Promise<Map<string, number>> {
  const session = await ort.InferenceSession.create(model, {
    executionProviders: ['wasm'],
    graphOptimizationLevel: 'all',
    enableProfiling: true,
  });
  const feed = new ort.Tensor('float32', new Float32Array(3 * height * width), [1, 3, height, width]);
  await session.run({ [session.inputNames[0]]: feed });
  const text = await captureStdout(() => session.endProfiling());
  await session.release();
  const ops = new Map<string, number>();
  for (const m of text.matchAll(/"op_name"\s*:\s*"(\w+)"/g)) ops.set(m[1], (ops.get(m[1]) ?? 0) + 1);
  if (ops.size === 0) {
    throw new Error(
      'ort-web: the profile listed no nodes. Expected onnxruntime-web to print its profile to stdout on endProfiling.',
    );
  }
  return ops;
}
