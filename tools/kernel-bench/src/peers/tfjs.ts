// tfjs.ts — @tensorflow/tfjs-backend-wasm (XNNPACK inside) as a benchmark peer, one thread.
// Optional devDependency: absent on a board, the benchmark says so.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// biome-ignore lint/suspicious/noExplicitAny: tfjs types are not a dependency of this tool.
type Tf = any;
let tfPromise: Promise<Tf | null> | undefined;
let unavailable = 'not installed';

/** tfjs-core on the wasm backend, one thread, or null (then tfjsStatus says why). */
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
      if (!(await tf.setBackend('wasm'))) {
        unavailable = 'the wasm backend did not initialize';
        return null;
      }
      await tf.ready();
      return tf;
    } catch (e) {
      unavailable = (e as Error).message.split('\n')[0];
      return null;
    }
  })();
  return tfPromise;
}

/** "tfjs-backend-wasm 4.22.0 (XNNPACK, 1 thread)", or "unavailable: <why>". Loads the package. */
export async function tfjsStatus(): Promise<string> {
  const tf = await loadTfjsWasm();
  if (!tf) return `unavailable: ${unavailable}`;
  return `tfjs-backend-wasm ${tf.version_core ?? '?'} (XNNPACK, 1 thread)`;
}
