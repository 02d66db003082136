// tfjs.ts — @tensorflow/tfjs-backend-wasm (XNNPACK inside) as a benchmark peer, one thread.
// Optional devDependency: absent on a board, the benchmark says so.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// biome-ignore lint/suspicious/noExplicitAny: tfjs types are not a dependency of this tool.
type Tf = any;
let tfPromise: Promise<Tf | null> | undefined;

export function loadTfjsWasm(): Promise<Tf | null> {
  tfPromise ??= (async () => {
    try {
      const tf = await import('@tensorflow/tfjs-core');
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      const require = createRequire(import.meta.url);
      const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
      wasm.setWasmPaths(`${join(dist, '/')}`);
      wasm.setThreadsCount?.(1);
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      if (!(await tf.setBackend('wasm'))) return null;
      await tf.ready();
      return tf;
    } catch {
      return null;
    }
  })();
  return tfPromise;
}
